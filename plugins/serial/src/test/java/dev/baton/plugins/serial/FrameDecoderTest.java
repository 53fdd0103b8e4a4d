package dev.baton.plugins.serial;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static dev.baton.plugins.serial.TestBytes.concat;
import static dev.baton.plugins.serial.TestBytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The framing alone, on byte streams built in memory (the serial tests run the same over socat). */
class FrameDecoderTest {
    private final CounterSet counters = new CounterSet();
    private final FrameDecoder decoder = new FrameDecoder(counters);

    /** Feeds the stream in chunks of at most {@code chunk} bytes, collecting every frame on the way. */
    private List<String> decode(byte[] stream, int chunk) {
        List<String> frames = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            int n = Math.min(Math.min(chunk, stream.length - at), decoder.freeSpace());
            decoder.feed(stream, at, n);
            at += n;
            for (Optional<byte[]> f = decoder.next(); f.isPresent(); f = decoder.next()) {
                frames.add(new String(f.get(), StandardCharsets.UTF_8));
            }
        }
        return frames;
    }

    @Test
    void framesComeOutWholeWhateverTheChunkSize() {
        byte[] stream = concat(FrameFormat.encode(text("one")), FrameFormat.encode(new byte[0]),
                FrameFormat.encode(text("three")));
        for (int chunk : new int[] {1, 2, 7, stream.length}) {
            assertThat(decode(stream, chunk)).as("chunk " + chunk).containsExactly("one", "", "three");
        }
        assertThat(counters.snapshot().resyncBytes()).isZero();
    }

    @Test
    void theLargestFrameFitsAndOneByteMoreIsRefusedAtTheSender() {
        byte[] largest = new byte[FrameFormat.MAX_PAYLOAD_BYTES];
        new Random(1).nextBytes(largest);
        decoder.feed(FrameFormat.encode(largest), 0, FrameFormat.MAX_WIRE_BYTES);
        assertThat(decoder.next()).get().isEqualTo(largest);
        assertThatThrownBy(() -> FrameFormat.encode(new byte[FrameFormat.MAX_PAYLOAD_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
    }

    @Test
    void noiseBetweenFramesIsSkippedAndCounted() {
        // Noise holding a lone first magic byte, a magic with a bad length check, and a trailing first magic byte.
        byte[] noise = {'n', 'o', FrameFormat.MAGIC_0, 'x', FrameFormat.MAGIC_0, FrameFormat.MAGIC_1, 0, 5, 0, 5,
                '\r', '\n', FrameFormat.MAGIC_0};
        byte[] stream = concat(noise, FrameFormat.encode(text("a")), noise, FrameFormat.encode(text("b")));
        assertThat(decode(stream, 3)).containsExactly("a", "b");
        assertThat(counters.snapshot().resyncBytes()).isEqualTo(2L * noise.length);
    }

    @Test
    void aFrameWithABadCrcIsDroppedAndTheNextOneDelivered() {
        byte[] bad = FrameFormat.encode(text("corrupt me"));
        bad[FrameFormat.HEADER_BYTES + 3] ^= 0x40;
        assertThat(decode(concat(bad, FrameFormat.encode(text("good"))), 5)).containsExactly("good");
        assertThat(counters.snapshot().badCrc()).isEqualTo(1);
        assertThat(counters.snapshot().resyncBytes()).isEqualTo(bad.length);
    }

    @Test
    void anOversizeLengthIsRefusedWithoutWaitingForItsBytes() {
        byte[] header = new byte[FrameFormat.HEADER_BYTES];
        FrameFormat.writeHeader(header, 60_000);
        assertThat(decode(concat(header, FrameFormat.encode(text("after"))), 64)).containsExactly("after");
        assertThat(counters.snapshot().oversize()).isEqualTo(1);
    }

    @Test
    void theBufferNeverHoldsMoreThanOneLargestFrame() {
        byte[] header = new byte[FrameFormat.HEADER_BYTES];
        FrameFormat.writeHeader(header, FrameFormat.MAX_PAYLOAD_BYTES);
        decoder.feed(header, 0, header.length);
        assertThat(decoder.next()).isEmpty();
        assertThat(decoder.buffered() + decoder.freeSpace()).isEqualTo(FrameFormat.MAX_WIRE_BYTES);
        assertThatThrownBy(() -> decoder.feed(new byte[FrameFormat.MAX_WIRE_BYTES], 0, FrameFormat.MAX_WIRE_BYTES))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCutFrameIsAbandonedAsSoonAsAWholeFrameFollowsIt() {
        byte[] big = FrameFormat.encode(new byte[1500]);
        byte[] cut = Arrays.copyOf(big, 100);
        byte[] next = FrameFormat.encode(text("next"));
        decoder.feed(cut, 0, cut.length);
        assertThat(decoder.next()).isEmpty();
        decoder.feed(next, 0, next.length);
        // Delivered now, not after 1400 more bytes.
        assertThat(decoder.next()).get().isEqualTo(text("next"));
        assertThat(counters.snapshot().truncated()).isEqualTo(1);
        assertThat(counters.snapshot().resyncBytes()).isEqualTo(cut.length);
    }

    @Test
    void randomNoiseNeverYieldsAFrameAndNeverOverflows() {
        Random random = new Random(42);
        byte[] noise = new byte[200_000];
        random.nextBytes(noise);
        byte[] stream = concat(noise, FrameFormat.encode(text("survivor")));
        assertThat(decode(stream, 997)).containsExactly("survivor");
    }
}
