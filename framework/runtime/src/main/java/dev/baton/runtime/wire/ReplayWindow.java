package dev.baton.runtime.wire;

/**
 * The sequence numbers of one stream seen so far: the highest, and a bitmap of the
 * {@link #SIZE} numbers up to it (a ring indexed by seq mod SIZE, as RFC 6479 describes).
 * Older numbers are refused outright. Not thread-safe: {@link ReplayGuard} holds the lock.
 */
final class ReplayWindow {
    static final int SIZE = 1024;
    private static final int MASK = SIZE - 1;

    private final long[] seen = new long[SIZE / 64];
    private long highest;
    long lastUsedTick;

    /** Whether {@code seq} (≥ 1) may still be accepted: newer than the highest, or in the window and unseen. */
    boolean isFresh(long seq) {
        if (seq > highest) {
            return true;
        }
        return highest - seq < SIZE && !isSet(seq);
    }

    /** Records {@code seq}, which {@link #isFresh} accepted. */
    void mark(long seq) {
        if (seq > highest) {
            slideTo(seq);
        }
        seen[(int) (seq & MASK) >>> 6] |= 1L << (seq & 63);
    }

    long highest() {
        return highest;
    }

    private void slideTo(long seq) {
        if (seq - highest >= SIZE) {
            java.util.Arrays.fill(seen, 0L);
        } else {
            for (long s = highest + 1; s <= seq; s++) {
                seen[(int) (s & MASK) >>> 6] &= ~(1L << (s & 63));
            }
        }
        highest = seq;
    }

    private boolean isSet(long seq) {
        return (seen[(int) (seq & MASK) >>> 6] & (1L << (seq & 63))) != 0;
    }
}
