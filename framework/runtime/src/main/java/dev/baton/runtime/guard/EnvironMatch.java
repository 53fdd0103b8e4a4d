package dev.baton.runtime.guard;

import java.io.IOException;
import java.io.InputStream;

/**
 * Whether a NUL-separated environment block (the bytes of /proc/PID/environ) holds one entry
 * exactly: {@code BATON_TAG=n1} must not match {@code BATON_TAG=n10} nor {@code XBATON_TAG=n1}.
 * Streams the block through a caller-owned buffer, so a huge environment costs no allocation.
 */
final class EnvironMatch {
    private final byte[] entry;
    /** Bytes of the current environment entry that matched so far, or -1 once it cannot match. */
    private int matched;

    EnvironMatch(byte[] entry) {
        this.entry = entry.clone();
    }

    /** Reads the stream to its end (or until the entry is found) and answers whether it holds the entry. */
    boolean find(InputStream in, byte[] buffer) throws IOException {
        matched = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (feed(buffer, n)) {
                return true;
            }
        }
        return matched == entry.length; // a last entry without its NUL
    }

    /** Answers for a whole block held in memory. */
    boolean find(byte[] block) {
        matched = 0;
        return feed(block, block.length) || matched == entry.length;
    }

    private boolean feed(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            if (b == 0) {
                if (matched == entry.length) {
                    return true;
                }
                matched = 0;
            } else if (matched >= 0) {
                matched = matched < entry.length && b == entry[matched] ? matched + 1 : -1;
            }
        }
        return false;
    }
}
