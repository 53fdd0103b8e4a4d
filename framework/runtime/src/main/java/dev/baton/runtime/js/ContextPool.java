package dev.baton.runtime.js;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Idle contexts of one resource type, with the module already evaluated, so that a warm call
 * costs microseconds instead of a context build and a module evaluation. A context goes back
 * only after a call that ended normally; one that timed out or was cancelled is closed. Module
 * state is therefore neither guaranteed fresh nor guaranteed kept: methods must keep none.
 */
public final class ContextPool implements AutoCloseable {
    private final JsEngine engine;
    private final JsModule module;
    private final int maxIdle;
    private final int maxConsoleLineBytes;
    private final Deque<Lease> idle = new ArrayDeque<>();
    private boolean closed;

    public ContextPool(JsEngine engine, JsModule module, int maxIdle, int maxConsoleLineBytes) {
        this.engine = engine;
        this.module = module;
        this.maxIdle = maxIdle;
        this.maxConsoleLineBytes = maxConsoleLineBytes;
    }

    /** A context for one call: an idle one, or a new one whose module is evaluated on first {@link Lease#exports()}. */
    public Lease acquire() throws IOException {
        synchronized (this) {
            Lease l = idle.pollFirst();
            if (l != null) {
                return l;
            }
        }
        ConsoleSink console = new ConsoleSink(maxConsoleLineBytes);
        return new Lease(engine.newContext(module.typesRoot(), console), console, module);
    }

    /** Returns a context after a call; {@code reusable} false (or a full pool) closes it. */
    public void release(Lease lease, boolean reusable) {
        lease.console().attach(null);
        synchronized (this) {
            if (reusable && !closed && lease.evaluated() && idle.size() < maxIdle) {
                idle.addFirst(lease);
                return;
            }
        }
        lease.close();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        Lease l;
        while ((l = poll()) != null) {
            l.close();
        }
    }

    private synchronized Lease poll() {
        return idle.pollFirst();
    }

    /** One context on loan to one call. */
    public static final class Lease {
        private final Context context;
        private final ConsoleSink console;
        private final JsModule module;
        private Value exports;

        Lease(Context context, ConsoleSink console, JsModule module) {
            this.context = context;
            this.console = console;
            this.module = module;
        }

        public Context context() {
            return context;
        }

        public ConsoleSink console() {
            return console;
        }

        /** The module's exports, evaluating the module the first time. */
        public Value exports() {
            if (exports == null) {
                exports = context.eval(module.source());
            }
            return exports;
        }

        boolean evaluated() {
            return exports != null;
        }

        void close() {
            try {
                context.close(true);
            } catch (RuntimeException e) {
                // Closing a cancelled context may report the cancellation again; it is closed either way.
            }
        }
    }
}
