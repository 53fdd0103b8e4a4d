package dev.baton.runtime.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/**
 * The cluster key: 32 random bytes (AES-256) every node shares. Frames are sealed under keys
 * derived from it ({@link Sealer}); a node without it is not heard.
 *
 * <p>On disk it is one line of text, {@code baton-cluster-key v1 <64 hex digits>}, so it survives
 * being copied between nodes by hand, and a file that is something else is recognised as such. The
 * file must be readable by its owner only (0600 or 0400): {@link #load} refuses anything wider,
 * because a key the whole machine can read authenticates nothing. Error messages name the file and
 * the problem, never the key's digits.
 */
public final class ClusterKey {
    public static final int KEY_BYTES = 32;
    static final String FILE_PREFIX = "baton-cluster-key v1 ";
    /** A valid file is ~86 bytes; anything much longer is not a key file, and is not read whole. */
    private static final int MAX_FILE_BYTES = 256;
    private static final int FINGERPRINT_BYTES = 8;
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_READ = PosixFilePermissions.fromString("r--------");

    private final byte[] key;

    private ClusterKey(byte[] key) {
        this.key = key;
    }

    public static ClusterKey generate() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return new ClusterKey(key);
    }

    /** Builds a key from raw bytes (tests with fixed keys). */
    static ClusterKey of(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a cluster key has " + KEY_BYTES + " bytes, got " + key.length);
        }
        return new ClusterKey(key.clone());
    }

    public static ClusterKey load(Path file) throws IOException {
        checkOwnerOnly(file);
        return parse(file, readBounded(file));
    }

    /**
     * Writes the key to a new file, readable and writable by its owner only. Atomic: the content is
     * written and synced under a temporary name, then linked to {@code file} (which, unlike a rename,
     * fails if {@code file} exists, so an existing key is never replaced), and the directory synced.
     */
    public void save(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw alreadyExists(target);
        }
        Path dir = target.getParent();
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + HexFormat.of().toHexDigits(new SecureRandom().nextInt()));
        try {
            writeSynced(temp, (FILE_PREFIX + HexFormat.of().formatHex(key) + "\n").getBytes(StandardCharsets.US_ASCII));
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw alreadyExists(target);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
    }

    /** The first 8 bytes of SHA-256 of the key, in hex: tells keys apart in logs without revealing them. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, FINGERPRINT_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The raw key, for deriving frame keys; never leaves this package. */
    byte[] bytes() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterKey other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return fingerprint().hashCode();
    }

    @Override
    public String toString() {
        return "ClusterKey[" + fingerprint() + "]";
    }

    private static void checkOwnerOnly(Path file) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new IOException("cluster key file " + file + " does not exist", e);
        } catch (UnsupportedOperationException e) {
            throw new IOException("cluster key file " + file + ": cannot check its permissions (not a POSIX file system)", e);
        }
        if (!attributes.isRegularFile()) {
            throw new IOException("cluster key file " + file + " is not a regular file");
        }
        Set<PosixFilePermission> mode = attributes.permissions();
        if (!mode.equals(OWNER_READ_WRITE) && !mode.equals(OWNER_READ)) {
            throw new IOException("cluster key file " + file + " has mode " + PosixFilePermissions.toString(mode)
                    + "; it must be readable by its owner only (0600 or 0400): chmod 600 " + file);
        }
    }

    private static byte[] readBounded(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] content = in.readNBytes(MAX_FILE_BYTES + 1);
            if (content.length > MAX_FILE_BYTES) {
                throw new IOException("cluster key file " + file + " is longer than " + MAX_FILE_BYTES
                        + " bytes: not a Baton cluster key file");
            }
            return content;
        }
    }

    static ClusterKey parse(Path file, byte[] content) throws IOException {
        String text = new String(content, StandardCharsets.US_ASCII).strip();
        if (!text.startsWith(FILE_PREFIX)) {
            throw new IOException("cluster key file " + file + " does not start with '" + FILE_PREFIX.strip()
                    + "': not a Baton cluster key file");
        }
        String hex = text.substring(FILE_PREFIX.length());
        if (hex.length() != 2 * KEY_BYTES) {
            throw new IOException("cluster key file " + file + " has " + hex.length() + " characters after '"
                    + FILE_PREFIX.strip() + "', expected " + 2 * KEY_BYTES + " hex digits");
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IOException("cluster key file " + file + ": character " + (i + 1)
                        + " of the key is not a hex digit");
            }
        }
        return new ClusterKey(HexFormat.of().parseHex(hex));
    }

    private static void writeSynced(Path temp, byte[] content) throws IOException {
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
        try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        // The creation mode passes through the umask, which can only take bits away; set it exactly.
        Files.setPosixFilePermissions(temp, OWNER_READ_WRITE);
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static IOException alreadyExists(Path file) {
        return new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite an existing cluster key file");
    }
}
