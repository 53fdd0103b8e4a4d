package dev.baton.runtime.daemon;

import dev.baton.core.Effects;
import dev.baton.core.Input;
import dev.baton.core.NodeCore;
import dev.baton.core.ccr.Table;
import dev.baton.runtime.wire.InputCodec;
import dev.baton.runtime.wire.WireFormatException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Steps a fresh core through a daemon's recording ({@link Recording}): the same inputs at the same
 * times give the same effects, because the core is deterministic. Refuses a recording whose
 * beginning was rotated away (its first record is not sequence 0, a {@link Input.Boot}).
 */
public final class Replay {
    private Replay() {
    }

    /** One replayed step: its input, time and the effects the core produced. */
    public record Step(long sequence, long nowNanos, Input input, Effects effects) {
    }

    /** Replays the recording in {@code recordingDir} as node {@code self}; returns the number of steps. */
    public static long run(Path recordingDir, int self, java.util.function.Consumer<Step> each) throws IOException {
        List<Path> files = Recording.files(recordingDir);
        if (files.isEmpty()) {
            throw new IOException("no recording in " + recordingDir);
        }
        NodeCore[] core = new NodeCore[1];
        long[] expected = {0};
        for (Path file : files) {
            read(file, (seq, in) -> {
                if (seq != expected[0]) {
                    throw new IllegalStateException(file + ": record " + seq + " where " + expected[0]
                            + " was expected: rotation dropped part of the run, which cannot be replayed from its boot");
                }
                expected[0]++;
                if (core[0] == null) {
                    core[0] = bootCore(in.input(), self, file);
                }
                each.accept(new Step(seq, in.nowNanos(), in.input(), core[0].step(in.input(), in.nowNanos())));
            });
        }
        return expected[0];
    }

    private record Timed(long nowNanos, Input input) {
    }

    private static NodeCore bootCore(Input first, int self, Path file) {
        if (!(first instanceof Input.Boot boot)) {
            throw new IllegalStateException(file + ": the recording does not start with the daemon's Boot");
        }
        Table table = boot.tables().stream().filter(t -> t.name().equals(ClusterDescriptionText.TABLE)).findFirst()
                .orElseThrow(() -> new IllegalStateException(file + ": the Boot holds no cluster table"));
        return new NodeCore(self, ClusterDescriptionText.parse(table.content(), file + ": cluster table").config());
    }

    private static void read(Path file, BiConsumer<Long, Timed> each) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != Recording.MAGIC) {
                throw new IOException(file + " is not a Baton recording");
            }
            while (true) {
                long seq;
                try {
                    seq = in.readLong();
                } catch (EOFException e) {
                    return;
                }
                long now = in.readLong();
                int length = in.readInt();
                if (length < 0 || length > dev.baton.runtime.wire.MessageCodec.MAX_MESSAGE_BYTES * 2) {
                    throw new IOException(file + ": record " + seq + " has length " + length);
                }
                byte[] bytes = in.readNBytes(length);
                if (bytes.length < length) {
                    return; // the daemon died mid-record: the rest was never written
                }
                try {
                    each.accept(seq, new Timed(now, InputCodec.decode(bytes)));
                } catch (WireFormatException e) {
                    throw new IOException(file + ": record " + seq + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
