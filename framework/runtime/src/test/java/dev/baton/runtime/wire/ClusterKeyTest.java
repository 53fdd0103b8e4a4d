package dev.baton.runtime.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterKeyTest {
    @TempDir
    Path dir;

    @Test
    void aSavedKeyLoadsBackEqualAndOwnerOnly() throws IOException {
        ClusterKey key = ClusterKey.generate();
        Path file = dir.resolve("cluster.key");
        key.save(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ClusterKey.load(file)).isEqualTo(key);
        assertThat(ClusterKey.load(file).fingerprint()).isEqualTo(key.fingerprint());
        try (var listing = Files.list(dir)) {
            assertThat(listing).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void saveNeverOverwritesAnExistingFile() throws IOException {
        Path file = dir.resolve("cluster.key");
        ClusterKey first = ClusterKey.generate();
        first.save(file);

        assertThatThrownBy(() -> ClusterKey.generate().save(file))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("refusing to overwrite");
        assertThat(ClusterKey.load(file)).isEqualTo(first);
    }

    @Test
    void aMissingFileIsNamed() {
        Path file = dir.resolve("absent.key");
        assertThatThrownBy(() -> ClusterKey.load(file))
                .isInstanceOf(IOException.class)
                .hasMessage("cluster key file " + file + " does not exist");
    }

    @Test
    void aFileOthersCanReadIsRefused() throws IOException {
        Path file = dir.resolve("cluster.key");
        ClusterKey.generate().save(file);
        for (String mode : new String[] {"rw-r-----", "rw----r--", "rw-rw-rw-", "rwx------", "-w-------"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> ClusterKey.load(file)).as(mode)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cluster key file " + file + " has mode " + mode)
                    .hasMessageContaining("0600 or 0400");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(ClusterKey.load(file).fingerprint()).hasSize(16);
    }

    @Test
    void aDirectoryIsNotAKeyFile() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> ClusterKey.load(sub)).hasMessage("cluster key file " + sub + " is not a regular file");
    }

    @Test
    void corruptFilesAreRefusedWithTheProblemNamed() throws IOException {
        String hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        assertCorrupt("secret " + hex + "\n", "does not start with 'baton-cluster-key v1': not a Baton cluster key file");
        assertCorrupt("baton-cluster-key v1 " + hex.substring(2) + "\n", "has 62 characters after 'baton-cluster-key v1', expected 64 hex digits");
        assertCorrupt("baton-cluster-key v1 " + hex + "00\n", "has 66 characters after");
        assertCorrupt("baton-cluster-key v1 " + hex.substring(0, 10) + "g" + hex.substring(11), "character 11 of the key is not a hex digit");
        assertCorrupt("x".repeat(300), "is longer than 256 bytes");
        assertCorrupt("", "does not start with");
    }

    @Test
    void aHandWrittenFileWithUpperCaseHexAndNoNewlineLoads() throws IOException {
        byte[] raw = new byte[32];
        raw[0] = (byte) 0xAB;
        Path file = writeOwnerOnly("baton-cluster-key v1 " + HexFormat.of().withUpperCase().formatHex(raw));
        assertThat(ClusterKey.load(file)).isEqualTo(ClusterKey.of(raw));
    }

    @Test
    void theFingerprintIsShortAndRevealsNothingOfTheKey() {
        byte[] raw = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        ClusterKey key = ClusterKey.of(raw);
        // The first 8 bytes of SHA-256 of these 32 bytes (computed with Python's hashlib): logs stay comparable across versions.
        assertThat(key.fingerprint()).isEqualTo("4773d12e2371bb93");
        assertThat(HexFormat.of().formatHex(raw)).doesNotContain(key.fingerprint().substring(0, 8));
        assertThat(key.toString()).isEqualTo("ClusterKey[" + key.fingerprint() + "]");
        assertThat(ClusterKey.generate().fingerprint()).isNotEqualTo(ClusterKey.generate().fingerprint());
    }

    private void assertCorrupt(String content, String problem) throws IOException {
        Path file = writeOwnerOnly(content);
        assertThatThrownBy(() -> ClusterKey.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cluster key file " + file)
                .hasMessageContaining(problem)
                .hasMessageNotContaining("00112233");
    }

    private Path writeOwnerOnly(String content) throws IOException {
        Path file = Files.createTempFile(dir, "key", ".txt");
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
