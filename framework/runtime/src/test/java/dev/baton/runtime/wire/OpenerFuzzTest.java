package dev.baton.runtime.wire;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random and mutated frames against one Opener: it must only ever return or throw
 * {@link RejectedFrameException}, and its remembered state must stay within its bounds while
 * genuine frames from hundreds of senders, incarnations and streams churn it.
 */
class OpenerFuzzTest {
    private static final int CASES_PER_SEED = 25_000;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void openerOnlyAcceptsOrRejectsAndStaysBounded(long seed) {
        Random random = new Random(seed);
        ClusterKey key = ClusterKey.of(bytes(random, 32));
        Opener opener = new Opener(key);
        Map<Long, Sealer> sealers = new HashMap<>();
        long rejected = 0;
        long accepted = 0;
        for (int i = 0; i < CASES_PER_SEED; i++) {
            byte[] frame = nextFrame(random, key, sealers);
            try {
                Opened opened = opener.open(frame, 0, frame.length);
                assertThat(opened.plaintext()).isNotNull();
                accepted++;
            } catch (RejectedFrameException e) {
                assertThat(e.reason()).isNotNull();
                rejected++;
            }
            assertBounded(opener);
        }
        Counters counters = opener.counters();
        assertThat(counters.accepted()).isEqualTo(accepted);
        assertThat(counters.droppedTotal()).isEqualTo(rejected);
        assertThat(accepted).as("the fuzz mix includes genuine frames").isGreaterThan(CASES_PER_SEED / 10);
        assertThat(counters.unauthenticated()).as("and forgeries").isGreaterThan(CASES_PER_SEED / 10);
    }

    private static void assertBounded(Opener opener) {
        assertThat(opener.trackedSenders()).isLessThanOrEqualTo(Opener.MAX_SENDERS);
        assertThat(opener.trackedStreams()).isLessThanOrEqualTo(Opener.MAX_SENDERS * Opener.MAX_STREAMS_PER_SENDER);
        assertThat(opener.cachedSubkeys()).isLessThanOrEqualTo(Opener.MAX_CACHED_SUBKEYS);
    }

    private static byte[] nextFrame(Random random, ClusterKey key, Map<Long, Sealer> sealers) {
        return switch (random.nextInt(6)) {
            case 0 -> bytes(random, random.nextInt(120));
            case 1 -> withValidMagic(bytes(random, FrameFormat.OVERHEAD_BYTES + random.nextInt(80)));
            case 2 -> mutate(random, genuine(random, key, sealers));
            case 3 -> Arrays.copyOf(genuine(random, key, sealers), random.nextInt(FrameFormat.OVERHEAD_BYTES + 20));
            case 4 -> withRandomHeaderFields(random, genuine(random, key, sealers));
            default -> genuine(random, key, sealers);
        };
    }

    /** A frame from one of ~130 senders × 4 incarnations, on one of ~100 streams: more than the Opener keeps. */
    private static byte[] genuine(Random random, ClusterKey key, Map<Long, Sealer> sealers) {
        int sender = random.nextInt(130);
        long incarnation = random.nextInt(4);
        Sealer sealer = sealers.computeIfAbsent(sender * 16L + incarnation, k -> new Sealer(key, sender, incarnation));
        return sealer.seal(random.nextInt(100), bytes(random, random.nextInt(64)));
    }

    private static byte[] mutate(Random random, byte[] frame) {
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            frame[random.nextInt(frame.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return frame;
    }

    /** Keeps the tag but claims another sender, incarnation, stream or sequence: churns the key cache. */
    private static byte[] withRandomHeaderFields(Random random, byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        switch (random.nextInt(4)) {
            case 0 -> b.putShort(3, (short) random.nextInt());
            case 1 -> b.putLong(5, random.nextLong());
            case 2 -> b.putInt(13, random.nextInt());
            default -> b.putLong(17, random.nextLong());
        }
        return frame;
    }

    private static byte[] withValidMagic(byte[] frame) {
        frame[0] = (byte) 0xBA;
        frame[1] = 0x70;
        frame[2] = 1;
        return frame;
    }

    private static byte[] bytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
