package dev.baton.runtime.method;

import dev.baton.api.type.MethodName;
import dev.baton.api.type.PropertyProblem;
import dev.baton.runtime.process.CallProcesses;
import dev.baton.runtime.resource.Resource;
import org.graalvm.polyglot.Context;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state of one method call: its deadline, the processes it started, its log and the
 * problems it reported, and the thread and context running it so that {@link #expire()} can
 * stop everything when the deadline passes.
 */
final class MethodCall {
    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int EXPIRED = 2;
    private static final int MAX_PROBLEMS = 100;
    private static final int MAX_PROPERTY_NAME_CHARS = 64;

    final Resource resource;
    final MethodName method;
    final String nodeName;
    final Duration timeout;
    final long startNanos;
    final long deadlineNanos;
    final MethodLog log;
    final CallProcesses processes;
    final FilePolicy files;
    private final List<PropertyProblem> problems = new ArrayList<>();
    private final AtomicInteger phase = new AtomicInteger(RUNNING);
    private volatile Thread worker;
    private volatile Context context;

    MethodCall(Resource resource, MethodName method, String nodeName, Duration timeout, MethodLog log) {
        this.resource = resource;
        this.method = method;
        this.nodeName = nodeName;
        this.timeout = timeout;
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + timeout.toNanos();
        this.log = log;
        this.processes = new CallProcesses(Instant.now());
        this.files = FilePolicy.of(resource);
    }

    long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    long remainingMs() {
        return Math.max(0, remainingNanos() / 1_000_000);
    }

    boolean expired() {
        return phase.get() == EXPIRED;
    }

    /**
     * Claims the call's result for the method: false when the deadline won the race, in which
     * case everything was (or is being) killed and the result must be TIMED_OUT.
     */
    boolean finish() {
        return phase.compareAndSet(RUNNING, FINISHED) || phase.get() == FINISHED;
    }

    void attachWorker(Thread thread) {
        this.worker = thread;
    }

    /** Registers the context that runs the call; cancels it at once if the deadline already passed. */
    synchronized void attachContext(Context c) {
        this.context = c;
        if (expired()) {
            cancelContext(c);
        }
    }

    /**
     * The method is over: after this returns, {@link #expire} no longer interrupts the thread,
     * which may already be running another call.
     */
    synchronized void detach() {
        this.worker = null;
        this.context = null;
    }

    /**
     * The deadline passed: kill every process the call started, wake the thread from whatever
     * it waits on, and cancel the JavaScript. Runs on the watchdog thread.
     */
    void expire() {
        if (!phase.compareAndSet(RUNNING, EXPIRED)) {
            return; // the method finished first: its result stands and nothing is killed
        }
        int signalled = processes.killAll();
        if (signalled > 0) {
            log.add(MethodLog.Level.WARN, "timeout: killed " + signalled + " process(es) started by " + method.jsName());
        }
        synchronized (this) {
            if (worker != null) {
                worker.interrupt();
            }
            if (context != null) {
                cancelContext(context);
            }
        }
    }

    private static void cancelContext(Context c) {
        // close(true) waits for the guest to stop; never let that hold the watchdog thread. A platform
        // thread, not a virtual one: with method.executor=virtual, spinning guests can hold every
        // carrier, and a virtual canceller would then never run (GraalJsOnVirtualThreadsTest).
        Thread.ofPlatform().daemon().name("baton-cancel").start(() -> {
            try {
                c.close(true);
            } catch (RuntimeException e) {
                // Already closed or closing: cancelled either way.
            }
        });
    }

    synchronized void addProblem(PropertyProblem p) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new PropertyProblem(MethodLog.clip(p.property(), MAX_PROPERTY_NAME_CHARS),
                    MethodLog.clip(p.message(), log.maxLineChars())));
        }
    }

    synchronized List<PropertyProblem> problems() {
        return List.copyOf(problems);
    }
}
