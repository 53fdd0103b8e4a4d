package dev.baton.runtime.wire;

import dev.baton.core.Input;
import dev.baton.core.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded garbage against the decoders: random bytes, truncations, bit flips, inserted and deleted
 * bytes and hostile counts spliced into valid encodings of every sample. A decoder may only
 * return or throw {@link WireFormatException}; what it returns must encode again and decode equal;
 * and it never allocates more than a small multiple of its input (measured with the JDK's
 * per-thread allocation counter).
 */
class CodecFuzzTest {
    private static final int CASES_PER_SEED = 50_000;
    private static final int WARM_UP_CASES = 5_000;
    /** Allocation allowed per decode: a multiple of the input plus a constant for an exception and its message. */
    private static final long ALLOCATION_PER_INPUT_BYTE = 32;
    private static final long ALLOCATION_CONSTANT_BYTES = 64 * 1024;
    private static final int[] HOSTILE_INTS = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 100_000, 100_001, 65_536, 0x7F, 0xFF};

    private final List<byte[]> messages = CoreSamples.messages().stream().map(MessageCodec::encode).toList();
    private final List<byte[]> inputs = CoreSamples.inputs().stream().map(InputCodec::encode).toList();
    private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long worstAllocationBytes;
    private int worstAllocationInputBytes;

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void decodersOnlyReturnOrRefuse(long seed) {
        run(-seed, WARM_UP_CASES, false);
        int decoded = run(seed, CASES_PER_SEED, true);
        System.out.printf("seed %d: %d of %d cases decoded; worst allocation %d bytes for %d input bytes%n",
                seed, decoded, CASES_PER_SEED, worstAllocationBytes, worstAllocationInputBytes);
        assertThat(decoded).as("some mutations still decode (e.g. a flipped bit in a number)").isPositive();
    }

    /** Returns how many cases decoded. Allocation is checked only once warm: loading classes allocates too. */
    private int run(long seed, int cases, boolean checkAllocation) {
        Random random = new Random(seed);
        int decoded = 0;
        for (int i = 0; i < cases; i++) {
            boolean asInput = random.nextBoolean();
            byte[] bytes = garbage(random, pick(random, asInput ? inputs : messages));
            if (decodeOnce(bytes, asInput, seed, i, checkAllocation)) {
                decoded++;
            }
        }
        return decoded;
    }

    /** True if the bytes decoded; fails the test on anything but a WireFormatException. */
    private boolean decodeOnce(byte[] bytes, boolean asInput, long seed, int caseNo, boolean checkAllocation) {
        long before = threads.getCurrentThreadAllocatedBytes();
        Object result;
        try {
            result = asInput ? InputCodec.decode(bytes) : MessageCodec.decode(bytes);
        } catch (WireFormatException e) {
            result = null;
        } catch (Throwable t) {
            throw new AssertionError("seed " + seed + " case " + caseNo + " (" + (asInput ? "input" : "message") + "): "
                    + t + " decoding " + HexFormat.of().formatHex(bytes), t);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        if (checkAllocation && allocated > allowedAllocation(bytes.length)) {
            // Once more: the first decode down a new path also loads classes. Real over-allocation repeats.
            allocated = allocationOfDecoding(bytes, asInput);
            assertThat(allocated).as("seed %d case %d: bytes allocated decoding %d bytes", seed, caseNo, bytes.length)
                    .isLessThanOrEqualTo(allowedAllocation(bytes.length));
        }
        if (checkAllocation && allocated > worstAllocationBytes) {
            worstAllocationBytes = allocated;
            worstAllocationInputBytes = bytes.length;
        }
        if (result != null) {
            assertReencodes(result);
        }
        return result != null;
    }

    private static long allowedAllocation(int inputBytes) {
        return ALLOCATION_PER_INPUT_BYTE * inputBytes + ALLOCATION_CONSTANT_BYTES;
    }

    private long allocationOfDecoding(byte[] bytes, boolean asInput) {
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            Object ignored = asInput ? InputCodec.decode(bytes) : MessageCodec.decode(bytes);
        } catch (WireFormatException e) {
            // measured, not examined: the first decode already checked the outcome
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static void assertReencodes(Object decoded) {
        try {
            if (decoded instanceof Message m) {
                assertThat(MessageCodec.decode(MessageCodec.encode(m))).isEqualTo(m);
            } else {
                Input in = (Input) decoded;
                assertThat(InputCodec.decode(InputCodec.encode(in))).isEqualTo(in);
            }
        } catch (WireFormatException e) {
            throw new AssertionError("a decoded value did not survive a second round trip: " + decoded, e);
        }
    }

    private static byte[] garbage(Random random, byte[] valid) {
        return switch (random.nextInt(7)) {
            case 0 -> randomBytes(random, random.nextInt(300));
            case 1 -> withHeader(random, randomBytes(random, 2 + random.nextInt(200)));
            case 2 -> Arrays.copyOf(valid, random.nextInt(valid.length));
            case 3 -> flipBits(random, valid.clone());
            case 4 -> withHostileInt(random, valid.clone());
            case 5 -> insertOrDelete(random, valid);
            default -> valid.clone();
        };
    }

    private static byte[] withHeader(Random random, byte[] bytes) {
        bytes[0] = 1;
        bytes[1] = (byte) random.nextInt(24);
        return bytes;
    }

    private static byte[] flipBits(Random random, byte[] bytes) {
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips && bytes.length > 0; i++) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
    }

    /** A huge, negative or boundary value where a count or length may be. */
    private static byte[] withHostileInt(Random random, byte[] bytes) {
        if (bytes.length >= 4) {
            ByteBuffer.wrap(bytes).putInt(random.nextInt(bytes.length - 3), HOSTILE_INTS[random.nextInt(HOSTILE_INTS.length)]);
        }
        return bytes;
    }

    private static byte[] insertOrDelete(Random random, byte[] valid) {
        int at = random.nextInt(valid.length);
        if (random.nextBoolean()) {
            byte[] out = new byte[valid.length + 1];
            System.arraycopy(valid, 0, out, 0, at);
            out[at] = (byte) random.nextInt();
            System.arraycopy(valid, at, out, at + 1, valid.length - at);
            return out;
        }
        byte[] out = new byte[valid.length - 1];
        System.arraycopy(valid, 0, out, 0, at);
        System.arraycopy(valid, at + 1, out, at, valid.length - at - 1);
        return out;
    }

    private static byte[] pick(Random random, List<byte[]> samples) {
        return samples.get(random.nextInt(samples.size()));
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
