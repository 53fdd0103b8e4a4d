package dev.baton.core.ccr;

import dev.baton.core.membership.Epoch;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * One configuration table: a name, its version and its content (text, at most {@link #MAX_CONTENT_CHARS}).
 * The checksum covers name, epoch, generation and content, so a table read back from a damaged disk
 * or a bad peer is detected by {@link #verify()} and refused.
 */
public record Table(String name, TableVersion version, String content) {
    public static final int MAX_CONTENT_CHARS = 64 * 1024;

    public static Table create(String name, Epoch epoch, long generation, String content) {
        return new Table(name, new TableVersion(epoch, generation, checksum(name, epoch, generation, content)), content);
    }

    public boolean verify() {
        return version.checksum() == checksum(name, version.epoch(), version.generation(), content);
    }

    static long checksum(String name, Epoch epoch, long generation, String content) {
        CRC32C crc = new CRC32C();
        crc.update((name + "\n" + epoch + "\n" + generation + "\n").getBytes(StandardCharsets.UTF_8));
        crc.update(content.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
