package dev.baton.runtime.js;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Where a context's {@code console.log} goes: split into lines and handed to the current call's
 * log. Lines are cut at {@code maxLineBytes}; with no call attached, output is discarded.
 */
public final class ConsoleSink extends OutputStream {
    private final int maxLineBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private volatile Consumer<String> target;

    public ConsoleSink(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** Directs lines to {@code target} (null discards them). */
    public synchronized void attach(Consumer<String> newTarget) {
        flushLine();
        this.target = newTarget;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else if (line.size() < maxLineBytes) {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public synchronized void flush() {
        flushLine();
    }

    private void flushLine() {
        if (line.size() == 0) {
            return;
        }
        Consumer<String> t = target;
        if (t != null) {
            t.accept(line.toString(StandardCharsets.UTF_8));
        }
        line.reset();
    }
}
