package dev.baton.runtime.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Durable, atomic replacement of small files: a reader sees the old content or the new, never a
 * mix, and after {@link #write} returns the new content survives a power cut. The technique:
 * write a temp file in the same directory, force it, rename it over the target with
 * {@code ATOMIC_MOVE}, then force the directory so the rename itself is on disk.
 *
 * <p>Temp files start with {@value #TEMP_PREFIX} and end with {@value #TEMP_SUFFIX}; one left by a
 * crash between the write and the rename is garbage, and {@link #removeTempFiles} deletes it.
 */
public final class AtomicFiles {
    public static final String TEMP_PREFIX = ".";
    public static final String TEMP_SUFFIX = ".tmp";
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private AtomicFiles() {
    }

    public static void write(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code target} with {@code bytes} atomically and durably; the file is readable by its owner only. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE);
        Path temp = Files.createTempFile(dir, TEMP_PREFIX + target.getFileName() + ".", TEMP_SUFFIX, ownerOnly);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        forceDirectory(dir);
    }

    /** Deletes {@code target} if present, durably (the directory entry's removal is forced too). */
    public static void delete(Path target) throws IOException {
        if (Files.deleteIfExists(target)) {
            forceDirectory(target.toAbsolutePath().getParent());
        }
    }

    /**
     * Moves {@code source} to {@code target} atomically and forces both directories; fails with
     * {@link FileAlreadyExistsException} rather than replace an existing target.
     */
    public static void move(Path source, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(target.toAbsolutePath().getParent());
        forceDirectory(source.toAbsolutePath().getParent());
    }

    /** Makes a rename, creation or deletion in {@code dir} durable (Linux lets a directory be opened and forced). */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    public static boolean isTempFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX);
    }

    /** Deletes the temp files a crash left in {@code dir} (not below it); returns their names. */
    public static List<String> removeTempFiles(Path dir) throws IOException {
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, AtomicFiles::isTempFile)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry) && Files.deleteIfExists(entry)) {
                    removed.add(entry.getFileName().toString());
                }
            }
        }
        if (!removed.isEmpty()) {
            forceDirectory(dir);
        }
        return removed;
    }
}
