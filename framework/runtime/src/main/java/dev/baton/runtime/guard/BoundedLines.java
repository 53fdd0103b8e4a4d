package dev.baton.runtime.guard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads newline-terminated ASCII lines of at most a given length from a stream; the rest of a
 * longer line is read and dropped, so a runaway writer costs a fixed amount of memory.
 */
final class BoundedLines {
    private final InputStream in;
    private final int maxChars;

    /** A line, and whether its end was dropped. */
    record Line(String text, boolean truncated) {
    }

    BoundedLines(InputStream in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line without its newline, or null at the end of the stream (a last unterminated line counts). */
    Line next() throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        boolean truncated = false;
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (kept.size() < maxChars) {
                kept.write(b);
            } else {
                truncated = true;
            }
        }
        if (b < 0 && kept.size() == 0 && !truncated) {
            return null;
        }
        return new Line(kept.toString(StandardCharsets.US_ASCII), truncated);
    }
}
