package dev.baton.runtime.state;

import dev.baton.core.Effect;
import dev.baton.core.Effects;
import dev.baton.core.Input;
import dev.baton.core.Message;
import dev.baton.core.ccr.CcrReplica;
import dev.baton.core.ccr.PreparedChange;
import dev.baton.core.ccr.Table;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.membership.Epoch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateDirTest {
    private static final Epoch E3 = new Epoch(3, 1);
    private static final Table RGM = Table.create("rgm", E3, 7, "group web {\n  node 1\n---\n}\nunicode: é ✓ \uD83D\uDE00\n");
    private static final Table NETS = Table.create("networks", new Epoch(2, 2), 1, "");

    @TempDir
    Path tmp;

    private Path state() {
        return tmp.resolve("state");
    }

    // ---- layout ------------------------------------------------------------------------------

    @Test
    void openCreatesAPrivateLayout() throws IOException {
        StateDir dir = StateDir.open(state());
        for (Path d : List.of(state(), state().resolve("ccr"), dir.recordingDir(), dir.runDir())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as(d.toString()).isEqualTo("rwx------");
        }
        assertThat(dir.keyFile()).isEqualTo(state().resolve("cluster.key"));
        assertThat(dir.recordingDir()).isEqualTo(state().resolve("recording"));
        assertThat(dir.runDir()).isEqualTo(state().resolve("run"));
    }

    @Test
    void aDirectoryOthersCanWriteIsRefused() throws IOException {
        Files.createDirectories(state());
        Files.setPosixFilePermissions(state(), PosixFilePermissions.fromString("rwxrwx---"));
        assertThatThrownBy(() -> StateDir.open(state()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(state().toString())
                .hasMessageContaining("writable by its group or others (rwxrwx---)");
    }

    @Test
    void aSubdirectoryOthersCanWriteIsRefused() throws IOException {
        StateDir.open(state());
        Files.setPosixFilePermissions(state().resolve("run"), PosixFilePermissions.fromString("rwx---rwx"));
        assertThatThrownBy(() -> StateDir.open(state())).hasMessageContaining("run is writable by its group or others");
    }

    @Test
    void aDirectoryOwnedBySomeoneElseIsRefused() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
                "only root can give a directory to another user");
        Files.createDirectories(state(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setAttribute(state(), "unix:uid", 54_321);
        assertThatThrownBy(() -> StateDir.open(state())).hasMessageContaining("belongs to uid 54321");
    }

    @Test
    void aFreshDirectoryBootsEmpty() throws IOException {
        BootState loaded = StateDir.open(state()).load();
        assertThat(loaded.boot()).isEqualTo(Input.Boot.empty());
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.mayStart()).isTrue();
    }

    // ---- round trips -------------------------------------------------------------------------

    @Test
    void aPromiseRoundTripsAndNeverGoesDown() throws IOException {
        StateDir dir = StateDir.open(state());
        dir.persist(new Effect.PersistPromise(E3));
        dir.persist(new Effect.PersistPromise(new Epoch(2, 9)));
        assertThat(StateDir.open(state()).load().boot().promised()).isEqualTo(E3);
        assertThat(Files.readString(state().resolve("promise"))).startsWith("baton-promise 1\n").contains("epoch: 3.1\n");

        StateDir reopened = StateDir.open(state());
        reopened.persist(new Effect.PersistPromise(new Epoch(3, 0)));
        assertThat(reopened.load().boot().promised()).isEqualTo(E3);
    }

    @Test
    void tablesRoundTripExactlyAndReadAsText() throws IOException {
        StateDir dir = StateDir.open(state());
        dir.persist(new Effect.PersistTable(RGM));
        dir.persist(new Effect.PersistTable(NETS));
        BootState loaded = StateDir.open(state()).load();
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.boot().tables()).containsExactly(NETS, RGM);
        assertThat(Files.readString(state().resolve("ccr/rgm.tbl"))).startsWith("baton-table 1\n")
                .contains("name: rgm\n", "epoch: 3.1\n", "generation: 7\n",
                        "checksum: " + Long.toHexString(RGM.version().checksum()) + "\n", "---\n" + RGM.content());
    }

    @Test
    void aNewerTableReplacesTheOlder() throws IOException {
        StateDir dir = StateDir.open(state());
        dir.persist(new Effect.PersistTable(RGM));
        Table newer = Table.create("rgm", new Epoch(4, 2), 1, "group db {}\n");
        dir.persist(new Effect.PersistTable(newer));
        assertThat(dir.load().boot().tables()).containsExactly(newer);
    }

    @Test
    void aPreparedChangeRoundTripsAndAnEmptyOneDeletesIt() throws IOException {
        StateDir dir = StateDir.open(state());
        PreparedChange change = new PreparedChange("3.1#4", RGM);
        dir.persist(new Effect.PersistPrepared(Optional.of(change)));
        assertThat(StateDir.open(state()).load().boot().prepared()).contains(change);
        assertThat(Files.readString(state().resolve("prepared"))).startsWith("baton-prepared 1\n").contains("\ntx: 3.1#4\nname: rgm\n");

        dir.persist(new Effect.PersistPrepared(Optional.empty()));
        assertThat(state().resolve("prepared")).doesNotExist();
        assertThat(dir.load().boot().prepared()).isEmpty();
        dir.persist(new Effect.PersistPrepared(Optional.empty()));
    }

    @Test
    void rolledBackVersionsRoundTrip() throws IOException {
        StateDir dir = StateDir.open(state());
        SortedSet<TableVersion> versions = new TreeSet<>(TableVersion.TOTAL_ORDER);
        versions.add(RGM.version());
        versions.add(new TableVersion(E3, 7, 0xffff_ffffL));
        versions.add(NETS.version());
        dir.persist(new Effect.PersistRolledBack(versions));
        assertThat(StateDir.open(state()).load().boot().rolledBack()).containsExactlyInAnyOrderElementsOf(versions);

        dir.persist(new Effect.PersistRolledBack(new TreeSet<>(TableVersion.TOTAL_ORDER)));
        BootState loaded = dir.load();
        assertThat(loaded.boot().rolledBack()).isEmpty();
        assertThat(loaded.problems()).isEmpty();
    }

    @Test
    void theCoreAcceptsWhatTheDiskGaveBack() throws IOException {
        StateDir dir = StateDir.open(state());
        dir.persist(new Effect.PersistTable(RGM));
        dir.persist(new Effect.PersistTable(NETS));
        Input.Boot boot = dir.load().boot();
        CcrReplica replica = new CcrReplica(1, 1_000);
        Effects.Builder out = new Effects.Builder();
        replica.boot(boot.tables(), boot.prepared(), boot.rolledBack(), out);
        assertThat(replica.tables()).containsEntry("rgm", RGM).containsEntry("networks", NETS);
        assertThat(out.build(0).ordered()).isEmpty();
    }

    @Test
    void onlyPersistEffectsAreAccepted() throws IOException {
        StateDir dir = StateDir.open(state());
        assertThatThrownBy(() -> dir.persist(new Effect.Send(2, new Message.TableRequest(1, "rgm"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a persist effect: Send");
        assertThatThrownBy(() -> dir.persist(new Effect.PersistTable(Table.create("../escape", E3, 1, "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../escape' must match");
    }

    // ---- corruption --------------------------------------------------------------------------

    @Test
    void aFlippedContentByteIsRefusedNamingTheFileAndMovedAside() throws IOException {
        StateDir dir = StateDir.open(state(), clockAt("2026-11-21T10:15:00.123Z"));
        dir.persist(new Effect.PersistTable(RGM));
        dir.persist(new Effect.PersistTable(NETS));
        Path file = state().resolve("ccr/rgm.tbl");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x01;
        Files.write(file, bytes);
        String corrupted = new String(bytes, StandardCharsets.UTF_8);
        String content = corrupted.substring(corrupted.indexOf("\n---\n") + 5);
        long computed = Table.create("rgm", E3, 7, content).version().checksum();

        BootState loaded = dir.load();

        assertThat(loaded.boot().tables()).containsExactly(NETS);
        assertThat(loaded.problems()).containsExactly("ccr/rgm.tbl: checksum mismatch (stored "
                + Long.toHexString(RGM.version().checksum()) + ", computed " + Long.toHexString(computed)
                + "); refused, will be fetched from peers; moved to ccr/refused/rgm.tbl.20261121T101500.123Z");
        assertThat(file).doesNotExist();
        assertThat(state().resolve("ccr/refused/rgm.tbl.20261121T101500.123Z")).hasBinaryContent(bytes);
        assertThat(loaded.mayStart()).isTrue();
        assertThat(dir.load().problems()).isEmpty();
    }

    @Test
    void aTruncatedTableIsRefused() throws IOException {
        StateDir dir = StateDir.open(state());
        dir.persist(new Effect.PersistTable(RGM));
        Path file = state().resolve("ccr/rgm.tbl");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThat(dir.load().problems()).singleElement().asString()
                .startsWith("ccr/rgm.tbl: truncated or padded: header says " + RGM.content().getBytes(StandardCharsets.UTF_8).length
                        + " body bytes, the file holds ")
                .contains("refused, will be fetched from peers");
    }

    @Test
    void aTableCutInsideItsHeaderIsRefused() throws IOException {
        StateDir dir = StateDir.open(state());
        dir.persist(new Effect.PersistTable(RGM));
        Path file = state().resolve("ccr/rgm.tbl");
        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 40));
        BootState loaded = dir.load();
        assertThat(loaded.boot().tables()).isEmpty();
        assertThat(loaded.problems()).singleElement().asString().startsWith("ccr/rgm.tbl: malformed header");
    }

    @Test
    void aGarbageHeaderIsRefused() throws IOException {
        StateDir dir = StateDir.open(state());
        Files.writeString(state().resolve("ccr/rgm.tbl"), "\u0000\u0001garbage\nname: rgm\n");
        Files.writeString(state().resolve("ccr/other.tbl"), "baton-table 7\nname: other\n");
        Files.writeString(state().resolve("ccr/third.tbl"), "baton-table 1\nname: third\nepoch: three\n");
        BootState loaded = dir.load();
        assertThat(loaded.boot().tables()).isEmpty();
        assertThat(loaded.problems()).hasSize(3);
        assertThat(loaded.problems().get(0)).startsWith("ccr/other.tbl: format version '7' is not one this Baton reads (1)");
        assertThat(loaded.problems().get(1)).startsWith("ccr/rgm.tbl: malformed header: the first line should start with 'baton-table ', found '??garbage'");
        assertThat(loaded.problems().get(2)).startsWith("ccr/third.tbl: malformed header: 'epoch' is not an epoch (round.coordinator): 'three'");
    }

    @Test
    void aTableUnderAnotherTablesNameIsRefused() throws IOException {
        StateDir dir = StateDir.open(state());
        dir.persist(new Effect.PersistTable(RGM));
        Files.copy(state().resolve("ccr/rgm.tbl"), state().resolve("ccr/networks.tbl"));
        BootState loaded = dir.load();
        assertThat(loaded.boot().tables()).containsExactly(RGM);
        assertThat(loaded.problems()).singleElement().asString()
                .startsWith("ccr/networks.tbl: holds table 'rgm', the file name says 'networks'");
    }

    @Test
    void atMostTenRefusedFilesAreKept() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
        StateDir dir = StateDir.open(state(), clock);
        for (int i = 0; i < 13; i++) {
            Files.writeString(state().resolve("ccr/rgm.tbl"), "garbage " + i);
            assertThat(dir.load().problems()).hasSize(1);
            clock.now = clock.now.plusSeconds(1);
        }
        try (var refused = Files.list(state().resolve("ccr/refused"))) {
            assertThat(refused.map(p -> p.getFileName().toString()).sorted().toList())
                    .hasSize(RefusedFiles.KEEP)
                    .first().isEqualTo("rgm.tbl.20261121T100003.000Z");
        }
        assertThat(state().resolve("ccr/refused/rgm.tbl.20261121T100012.000Z")).hasContent("garbage 12");
    }

    @Test
    void twoRefusalsInOneMillisecondKeepBothCopies() throws IOException {
        StateDir dir = StateDir.open(state(), clockAt("2026-11-21T10:00:00Z"));
        Files.writeString(state().resolve("ccr/rgm.tbl"), "first");
        dir.load();
        Files.writeString(state().resolve("ccr/rgm.tbl"), "second");
        dir.load();
        assertThat(state().resolve("ccr/refused/rgm.tbl.20261121T100000.000Z")).hasContent("first");
        assertThat(state().resolve("ccr/refused/rgm.tbl.20261121T100000.001Z")).hasContent("second");
    }

    @Test
    void aCorruptPreparedChangeIsRefusedButTheNodeMayStart() throws IOException {
        StateDir dir = StateDir.open(state());
        dir.persist(new Effect.PersistPrepared(Optional.of(new PreparedChange("3.1#4", RGM))));
        Path file = state().resolve("prepared");
        Files.writeString(file, Files.readString(file).replace("generation: 7", "generation: 8"));
        BootState loaded = dir.load();
        assertThat(loaded.boot().prepared()).isEmpty();
        assertThat(loaded.problems()).singleElement().asString().startsWith("prepared: checksum mismatch (stored ")
                .contains("refused, the members' recovery rolls the change forward or back without this copy; moved to ccr/refused/prepared.");
        assertThat(loaded.mayStart()).isTrue();
    }

    @Test
    void anUnreadablePromiseStopsTheStartAndStaysForTheOperator() throws IOException {
        StateDir dir = StateDir.open(state());
        dir.persist(new Effect.PersistTable(RGM));
        Files.writeString(state().resolve("promise"), "baton-promise 1\nepoch: 3\n");
        BootState loaded = dir.load();
        assertThat(loaded.mayStart()).isFalse();
        assertThat(loaded.problems()).singleElement().asString()
                .startsWith("promise: malformed header: 'epoch' is not an epoch (round.coordinator): '3'")
                .endsWith("so it must not start (left in place for the operator)");
        assertThat(state().resolve("promise")).exists();
        assertThat(loaded.boot().tables()).containsExactly(RGM);
    }

    @Test
    void anUnreadableRolledBackListStopsTheStart() throws IOException {
        StateDir dir = StateDir.open(state());
        SortedSet<TableVersion> versions = new TreeSet<>(TableVersion.TOTAL_ORDER);
        versions.add(RGM.version());
        dir.persist(new Effect.PersistRolledBack(versions));
        Path file = state().resolve("rolledback");
        Files.writeString(file, Files.readString(file).replace("/7/", "/x/"));
        BootState loaded = dir.load();
        assertThat(loaded.mayStart()).isFalse();
        assertThat(loaded.problems()).singleElement().asString().startsWith("rolledback: malformed version '3.1/x/");
    }

    // ---- crash safety ------------------------------------------------------------------------

    @Test
    void tempFilesLeftByACrashAreIgnoredAndRemoved() throws IOException {
        StateDir dir = StateDir.open(state());
        dir.persist(new Effect.PersistPromise(E3));
        dir.persist(new Effect.PersistTable(RGM));
        Files.writeString(state().resolve(".promise.4711.tmp"), "baton-promise 1\nepoch: 9.9\n");
        Files.writeString(state().resolve("ccr/.rgm.tbl.4712.tmp"), "half a tab");
        Files.writeString(state().resolve("ccr/.x.tbl.4713.tmp"), "");

        BootState loaded = StateDir.open(state()).load();

        assertThat(loaded.boot().promised()).isEqualTo(E3);
        assertThat(loaded.boot().tables()).containsExactly(RGM);
        assertThat(loaded.problems()).containsExactlyInAnyOrder(
                ".promise.4711.tmp: removed a temp file left by an interrupted write",
                "ccr/.rgm.tbl.4712.tmp: removed a temp file left by an interrupted write",
                "ccr/.x.tbl.4713.tmp: removed a temp file left by an interrupted write");
        try (var left = Files.list(state().resolve("ccr"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("rgm.tbl");
        }
        assertThat(loaded.mayStart()).isTrue();
    }

    @Test
    void writesLeaveNoTempFilesAndPrivateFiles() throws IOException {
        StateDir dir = StateDir.open(state());
        dir.persist(new Effect.PersistTable(RGM));
        dir.persist(new Effect.PersistPromise(E3));
        try (var files = Files.walk(state())) {
            assertThat(files.filter(Files::isRegularFile).filter(AtomicFiles::isTempFile)).isEmpty();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state().resolve("ccr/rgm.tbl")))).isEqualTo("rw-------");
    }

    // ---- incarnation -------------------------------------------------------------------------

    @Test
    void incarnationsFollowTheClockAndSurviveAReopen() throws IOException {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_000_000));
        StateDir dir = StateDir.open(state(), clock);
        assertThat(dir.nextIncarnation()).isEqualTo(1_000_000);
        assertThat(dir.nextIncarnation()).isEqualTo(1_000_001);
        clock.now = Instant.ofEpochMilli(2_000_000);
        assertThat(dir.nextIncarnation()).isEqualTo(2_000_000);
        assertThat(StateDir.open(state(), clock).nextIncarnation()).isEqualTo(2_000_001);
        assertThat(Files.readString(state().resolve("incarnation"))).contains("last: 2000001\n");
    }

    @Test
    void incarnationsStillGrowWhenTheClockWentBack() throws IOException {
        long future = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();
        StateDir dir = StateDir.open(state(), clockAt("2026-11-21T10:00:00Z"));
        Files.writeString(state().resolve("incarnation"), StateFormats.incarnation(future));
        assertThat(dir.nextIncarnation()).isEqualTo(future + 1);
        assertThat(StateDir.open(state(), clockAt("2026-11-21T10:00:00Z")).nextIncarnation()).isEqualTo(future + 2);
    }

    @Test
    void aGarbageIncarnationFileFallsBackToTheClock() throws IOException {
        StateDir dir = StateDir.open(state(), clockAt("2026-11-21T10:00:00Z"));
        Files.writeString(state().resolve("incarnation"), "last: banana");
        assertThat(dir.nextIncarnation()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z").toEpochMilli());
        assertThat(dir.nextIncarnation()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z").toEpochMilli() + 1);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static Clock clockAt(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
