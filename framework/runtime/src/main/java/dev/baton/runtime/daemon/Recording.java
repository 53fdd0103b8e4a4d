package dev.baton.runtime.daemon;

import dev.baton.core.Input;
import dev.baton.runtime.wire.InputCodec;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every input the core stepped on, with the time it was given, so a node's decisions can be
 * replayed exactly ({@code baton replay}). Bounded and rotating: files of at most
 * {@code maxFileBytes}, at most {@code maxFiles} kept. Each record is its sequence number (so a
 * replay can tell when rotation dropped the beginning), the monotonic time, and the input encoded by
 * {@link InputCodec}. Written by the event-loop thread through a buffer, flushed at least every
 * {@value #FLUSH_EVERY_MS} ms; never fsynced (losing the last second of a recording is acceptable,
 * slowing the loop is not). A failing disk turns recording off with one warning rather than
 * stopping the node.
 */
final class Recording implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Recording.class);
    static final int MAGIC = 0x4254_5231; // "BTR1"
    private static final long FLUSH_EVERY_MS = 1_000;

    private final Path dir;
    private final long maxFileBytes;
    private final int maxFiles;
    private DataOutputStream out;
    private long fileBytes;
    private int fileIndex;
    private long sequence;
    private long lastFlushNanos;
    private boolean broken;

    Recording(Path dir, long maxFileBytes, int maxFiles) throws IOException {
        this.dir = dir;
        this.maxFileBytes = maxFileBytes;
        this.maxFiles = maxFiles;
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith("inputs-")).toList()) {
                Files.delete(p); // a recording belongs to one daemon run: it replays from that run's Boot
            }
        }
        open();
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("inputs-\\d{6}\\.bin")).sorted().toList();
        }
    }

    void record(Input input, long nowNanos) {
        if (broken) {
            return;
        }
        try {
            byte[] encoded = InputCodec.encode(input);
            out.writeLong(sequence++);
            out.writeLong(nowNanos);
            out.writeInt(encoded.length);
            out.write(encoded);
            fileBytes += 20 + encoded.length;
            if (fileBytes >= maxFileBytes) {
                rotate();
            } else if (nowNanos - lastFlushNanos > FLUSH_EVERY_MS * 1_000_000L) {
                out.flush();
                lastFlushNanos = nowNanos;
            }
        } catch (IOException | RuntimeException e) {
            broken = true;
            LOG.warn("recording of inputs stopped (replay of this run will not be possible): {}", e.toString());
        }
    }

    private void open() throws IOException {
        Path file = dir.resolve(String.format("inputs-%06d.bin", fileIndex));
        OutputStream raw = Files.newOutputStream(file);
        out = new DataOutputStream(new BufferedOutputStream(raw, 64 * 1024));
        out.writeInt(MAGIC);
        fileBytes = 4;
    }

    private void rotate() throws IOException {
        out.close();
        fileIndex++;
        Path stale = dir.resolve(String.format("inputs-%06d.bin", fileIndex - maxFiles));
        Files.deleteIfExists(stale);
        open();
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // a recording is best effort
        }
    }
}
