package dev.baton.runtime.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A daemon's own plugins folder when several daemons share one machine (the demo, the tests): PF4J
 * unpacks each zip beside it, so daemons starting together from one folder would unpack over each
 * other. Production runs one daemon per machine on the distribution's folder directly.
 */
public final class PluginFolders {
    private PluginFolders() {
    }

    /** {@code own}, holding a copy of every plugin zip in {@code shared} (copied once; an existing folder is kept). */
    public static Path privateCopy(Path shared, Path own) throws IOException {
        if (Files.isDirectory(own)) {
            return own;
        }
        Files.createDirectories(own);
        try (Stream<Path> zips = Files.list(shared)) {
            for (Path zip : zips.filter(p -> p.toString().endsWith(".zip")).toList()) {
                Files.copy(zip, own.resolve(zip.getFileName()));
            }
        }
        return own;
    }
}
