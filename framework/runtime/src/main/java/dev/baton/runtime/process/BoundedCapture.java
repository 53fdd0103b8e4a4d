package dev.baton.runtime.process;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keeps the first {@code limitBytes} written to it and counts the rest, so a command printing
 * gigabytes costs a fixed amount of memory and is still drained (a full pipe would block it).
 */
public final class BoundedCapture extends OutputStream {
    private final byte[] kept;
    private int keptBytes;
    private long totalBytes;

    public BoundedCapture(int limitBytes) {
        this.kept = new byte[limitBytes];
    }

    @Override
    public synchronized void write(int b) {
        if (keptBytes < kept.length) {
            kept[keptBytes++] = (byte) b;
        }
        totalBytes++;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = Math.min(len, kept.length - keptBytes);
        if (room > 0) {
            System.arraycopy(b, off, kept, keptBytes, room);
            keptBytes += room;
        }
        totalBytes += len;
    }

    public synchronized long totalBytes() {
        return totalBytes;
    }

    public synchronized boolean truncated() {
        return totalBytes > keptBytes;
    }

    /** The kept bytes as UTF-8; a character cut at the limit or malformed input becomes U+FFFD. */
    public synchronized String text() {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return decoder.decode(ByteBuffer.wrap(Arrays.copyOf(kept, keptBytes))).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder cannot fail", e);
        }
    }
}
