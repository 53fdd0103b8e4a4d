package dev.baton.runtime.state;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where refused state files go instead of being deleted, so an operator can still read what the
 * disk held: {@code <dir>/<file name>.<UTC timestamp>}, the newest {@link #KEEP} kept.
 */
final class RefusedFiles {
    static final int KEEP = 10;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int STAMP_CHARS = "20260101T000000.000Z".length();

    private final Path dir;
    private final Clock clock;

    RefusedFiles(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** Moves {@code file} aside and drops the oldest refused files beyond {@link #KEEP}; returns where it went. */
    Path moveAside(Path file) throws IOException {
        Files.createDirectories(dir);
        Path target = freeName(file.getFileName().toString());
        AtomicFiles.move(file, target);
        prune();
        return target;
    }

    /** A name not yet taken; two refusals of one file in the same millisecond get consecutive stamps. */
    private Path freeName(String name) {
        Instant at = clock.instant();
        Path target = dir.resolve(name + "." + STAMP.format(at));
        while (Files.exists(target)) {
            at = at.plusMillis(1);
            target = dir.resolve(name + "." + STAMP.format(at));
        }
        return target;
    }

    private void prune() throws IOException {
        List<Path> refused = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(refused::add);
        }
        if (refused.size() <= KEEP) {
            return;
        }
        refused.sort(Comparator.comparing(RefusedFiles::stamp));
        for (Path oldest : refused.subList(0, refused.size() - KEEP)) {
            Files.deleteIfExists(oldest);
        }
        AtomicFiles.forceDirectory(dir);
    }

    private static String stamp(Path file) {
        String name = file.getFileName().toString();
        return name.length() < STAMP_CHARS ? "" : name.substring(name.length() - STAMP_CHARS);
    }
}
