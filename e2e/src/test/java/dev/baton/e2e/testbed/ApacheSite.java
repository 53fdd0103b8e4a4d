package dev.baton.e2e.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
  * A document root whose index.html names the node that serves it, so a client can tell which node
  * answered: point the apache resource's {@code Document_root} at {@link #write}'s result.
  */
public final class ApacheSite {

    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern SERVED_BY = Pattern.compile("served-by: (" + NODE_NAME.pattern() + ")<");

    private ApacheSite() {}

    /**
      * Writes {@code dir/htdocs-NODE/index.html} naming {@code nodeName} and returns the document root.
      * Apache's workers run as www-data, so every folder on the way must be world-searchable: one
      * that is not is refused here, rather than found later as a 403.
      */
    public static Path write(Path dir, String nodeName) {
        if (!NODE_NAME.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("node name must match " + NODE_NAME + ", got '" + nodeName + "'");
        }
        requireSearchableByOthers(dir.toAbsolutePath());
        Path docRoot = dir.resolve("htdocs-" + nodeName);
        try {
            Files.createDirectories(docRoot);
            Files.setPosixFilePermissions(docRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path index = docRoot.resolve("index.html");
            Files.writeString(index, page(nodeName));
            Files.setPosixFilePermissions(index, PosixFilePermissions.fromString("rw-r--r--"));
            return docRoot;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the document root for " + nodeName + " in " + dir, e);
        }
    }

    /** The node an index.html written by {@link #write} names, if the body is one. */
    public static Optional<String> nodeIn(String body) {
        Matcher matcher = SERVED_BY.matcher(body);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    static String page(String nodeName) {
        return """
                <!DOCTYPE html>
                <html><head><title>baton e2e</title></head>
                <body><p>served-by: %s</p></body></html>
                """.formatted(nodeName);
    }

    private static void requireSearchableByOthers(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            try {
                if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new IllegalArgumentException(p + " is not searchable by others: apache's www-data workers could not read "
                            + dir + " (use Testbed.dir(), which is mode 755)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the permissions of " + p, e);
            }
        }
    }
}
