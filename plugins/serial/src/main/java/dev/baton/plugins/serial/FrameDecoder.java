package dev.baton.plugins.serial;

import java.util.Arrays;
import java.util.Optional;

import static dev.baton.plugins.serial.FrameFormat.HEADER_BYTES;
import static dev.baton.plugins.serial.FrameFormat.MAGIC_0;
import static dev.baton.plugins.serial.FrameFormat.MAGIC_1;
import static dev.baton.plugins.serial.FrameFormat.MAX_PAYLOAD_BYTES;
import static dev.baton.plugins.serial.FrameFormat.MAX_WIRE_BYTES;
import static dev.baton.plugins.serial.FrameFormat.NOT_A_HEADER;

/**
 * Finds whole frames in a byte stream that may hold noise, cut frames and corrupted frames.
 * Pure (no I/O) and single-threaded. Its buffer holds exactly one largest frame and never grows:
 * the buffered bytes always begin with a (possible) magic, so a frame whose header is good fits.
 *
 * <p>Start at {@link #next}: it drops a byte at a time from a bad header, a bad CRC or an
 * oversize length, and looks on from the following byte, so frames behind a bad one are still
 * found. A frame that was cut short (its sender died mid-frame, bytes were lost) would make it
 * wait for bytes that belong to the next frames; it is abandoned as soon as a whole valid frame
 * is found after it, so one cut frame delays nothing.
 */
final class FrameDecoder {
    private final byte[] buffer = new byte[MAX_WIRE_BYTES];
    private final CounterSet counters;
    private int start;
    private int end;

    FrameDecoder(CounterSet counters) {
        this.counters = counters;
    }

    /** How many bytes {@link #feed} takes now; more than zero whenever {@link #next} returned empty. */
    int freeSpace() {
        compact();
        return buffer.length - end;
    }

    void feed(byte[] source, int offset, int length) {
        if (length > freeSpace()) {
            throw new IllegalArgumentException("feeding " + length + " bytes into " + freeSpace() + " free");
        }
        System.arraycopy(source, offset, buffer, end, length);
        end += length;
    }

    int buffered() {
        return end - start;
    }

    /** The next whole, intact frame's payload, or empty until more bytes arrive. */
    Optional<byte[]> next() {
        while (true) {
            skipToMagic();
            if (buffered() < HEADER_BYTES) {
                return Optional.empty();
            }
            int length = FrameFormat.declaredLength(buffer, start);
            if (length == NOT_A_HEADER) {
                drop(1);
            } else if (length > MAX_PAYLOAD_BYTES) {
                counters.oversize.incrementAndGet();
                drop(1);
            } else if (buffered() < FrameFormat.wireBytes(length)) {
                int later = wholeFrameAfter(start + 1);
                if (later < 0) {
                    return Optional.empty();
                }
                counters.truncated.incrementAndGet();
                drop(later - start);
            } else if (!FrameFormat.crcMatches(buffer, start, length)) {
                counters.badCrc.incrementAndGet();
                drop(1);
            } else {
                return Optional.of(take(length));
            }
        }
    }

    private byte[] take(int length) {
        byte[] payload = Arrays.copyOfRange(buffer, start + HEADER_BYTES, start + HEADER_BYTES + length);
        start += FrameFormat.wireBytes(length);
        counters.framesIn.incrementAndGet();
        return payload;
    }

    /** Drops bytes up to the next magic; a lone first magic byte at the end is kept for the next read. */
    private void skipToMagic() {
        int i = start;
        while (i < end && !magicAt(i)) {
            i++;
        }
        drop(i - start);
    }

    private boolean magicAt(int i) {
        return buffer[i] == MAGIC_0 && (i + 1 == end || buffer[i + 1] == MAGIC_1);
    }

    /** Where a whole frame with a good header and CRC starts at or after {@code from}; -1 if none is buffered. */
    private int wholeFrameAfter(int from) {
        for (int i = from; i + HEADER_BYTES <= end; i++) {
            if (buffer[i] != MAGIC_0 || buffer[i + 1] != MAGIC_1) {
                continue;
            }
            int length = FrameFormat.declaredLength(buffer, i);
            if (length != NOT_A_HEADER && length <= MAX_PAYLOAD_BYTES
                    && i + FrameFormat.wireBytes(length) <= end && FrameFormat.crcMatches(buffer, i, length)) {
                return i;
            }
        }
        return -1;
    }

    private void drop(int bytes) {
        start += bytes;
        counters.resyncBytes.addAndGet(bytes);
    }

    private void compact() {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
    }
}
