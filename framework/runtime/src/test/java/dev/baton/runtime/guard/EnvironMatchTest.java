package dev.baton.runtime.guard;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The tag must match one whole environment entry, wherever the read buffer splits the block. */
class EnvironMatchTest {
    private static final EnvironMatch TAG = new EnvironMatch("BATON_TAG=n1".getBytes(StandardCharsets.US_ASCII));

    private static boolean holds(String block) {
        return TAG.find(block.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void exactEntriesOnly() {
        assertThat(holds("PATH=/bin\0BATON_TAG=n1\0HOME=/\0")).isTrue();
        assertThat(holds("BATON_TAG=n1")).as("last entry without NUL").isTrue();
        assertThat(holds("BATON_TAG=n1\0")).isTrue();
        assertThat(holds("BATON_TAG=n10\0")).isFalse();
        assertThat(holds("XBATON_TAG=n1\0")).isFalse();
        assertThat(holds("BATON_TAG=n\0")).isFalse();
        assertThat(holds("A=BATON_TAG=n1\0")).isFalse();
        assertThat(holds("")).isFalse();
        assertThat(holds("BATON_TAG=n10\0BATON_TAG=n1\0")).as("second entry").isTrue();
    }

    @Test
    void everyBufferSplitGivesTheSameAnswer() throws IOException {
        byte[] block = "LONG=xxxxxxxxxxxxxxxxxxxxxxx\0BATON_TAG=n10\0BATON_TAG=n1\0Z=1".getBytes(StandardCharsets.US_ASCII);
        for (int size = 1; size <= block.length; size++) {
            assertThat(TAG.find(new ByteArrayInputStream(block), new byte[size])).as("buffer " + size).isTrue();
        }
        byte[] without = "BATON_TAG=n10\0BATON_TAG=n\0".getBytes(StandardCharsets.US_ASCII);
        for (int size = 1; size <= without.length; size++) {
            assertThat(TAG.find(new ByteArrayInputStream(without), new byte[size])).as("buffer " + size).isFalse();
        }
    }
}
