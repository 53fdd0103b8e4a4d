package dev.baton.plugins.apache;

import dev.baton.testkit.FreePorts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/** A Server_root with a page to serve, readable by httpd's workers (www-data when run as root). */
final class ApacheFixture {
    static final String PAGE = "<h1>served by Baton</h1>\n";

    private ApacheFixture() {
    }

    /** Valid properties for a generated configuration on 127.0.0.1 and a free port. */
    static Map<String, String> properties(Path parent, String name) throws IOException {
        Path root = Files.createDirectories(parent.resolve(name));
        Path htdocs = Files.createDirectories(root.resolve("htdocs"));
        Files.writeString(htdocs.resolve("index.html"), PAGE);
        openUp(parent);
        openUp(root);
        openUp(htdocs);
        Files.setPosixFilePermissions(htdocs.resolve("index.html"), PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Server_root", root.toString());
        p.put("Listen_address", "127.0.0.1");
        p.put("Port", Integer.toString(FreePorts.tcp()));
        return p;
    }

    private static void openUp(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The pid httpd wrote for a generated configuration. */
    static long pid(Map<String, String> props) throws IOException {
        return Long.parseLong(Files.readString(pidFile(props.get("Server_root"))).trim());
    }

    /** The generated configuration's pid file: one per node, named after the node (the host name in tests). */
    static Path pidFile(String serverRoot) throws IOException {
        return Path.of(serverRoot, "run", "httpd-" + java.net.InetAddress.getLocalHost().getHostName() + ".pid");
    }
}
