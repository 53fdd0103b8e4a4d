package dev.baton.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes throwaway plugins for tests: plugin.properties plus files under types/, as an unpacked
 * folder, a zip or a jar in a plugins directory.
 */
public final class TestPlugins {
    private final Path pluginsDir;

    public TestPlugins(Path pluginsDir) {
        this.pluginsDir = pluginsDir;
    }

    public Path dir() {
        return pluginsDir;
    }

    public Plugin plugin(String id) {
        return new Plugin(id);
    }

    /** A minimal valid descriptor for a type named {@code name} with module {@code name}.js. */
    public static String descriptor(String name, String extra) {
        return """
                name: %s
                version: 1.0.0
                module: %s.js
                methods:
                  start: {timeout: 5s}
                  stop: {timeout: 5s}
                  probe: {timeout: 5s}
                """.formatted(name, name) + extra;
    }

    public static final String TRIVIAL_MODULE = """
            export function start(ctx) { return ctx.success(); }
            export function stop(ctx) { return ctx.success(); }
            export function probe(ctx) { return ctx.notRunning(); }
            """;

    public final class Plugin {
        private final String id;
        private String requires = ">=0.1.0";
        private final Map<String, String> types = new LinkedHashMap<>();

        Plugin(String id) {
            this.id = id;
        }

        public Plugin requires(String r) {
            this.requires = r;
            return this;
        }

        /** A file under types/, e.g. "web.yaml" or "lib/util.js". */
        public Plugin file(String name, String content) {
            types.put(name, content);
            return this;
        }

        /** A type named {@code name}: the minimal descriptor plus {@code extra}, and the module. */
        public Plugin type(String name, String extraDescriptor, String module) {
            file(name + ".yaml", descriptor(name, extraDescriptor));
            return file(name + ".js", module);
        }

        private String properties() {
            return "plugin.id=" + id + "\nplugin.version=1.0.0\nplugin.requires=" + requires
                    + "\nplugin.provider=test\n";
        }

        /** Unpacked layout: plugins/ID/plugin.properties and plugins/ID/classes/types/... */
        public Path writeFolder() throws IOException {
            Path root = pluginsDir.resolve(id);
            Files.createDirectories(root);
            Files.writeString(root.resolve("plugin.properties"), properties());
            for (var e : types.entrySet()) {
                Path f = root.resolve("classes/types").resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
            }
            return root;
        }

        /** A plugin zip in PF4J's layout. */
        public Path writeZip() throws IOException {
            Path zip = pluginsDir.resolve(id + ".zip");
            Files.createDirectories(pluginsDir);
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                put(out, "plugin.properties", properties());
                for (var e : types.entrySet()) {
                    put(out, "classes/types/" + e.getKey(), e.getValue());
                }
            }
            return zip;
        }

        /** A plugin jar: plugin.properties and types/ at the jar's root. */
        public Path writeJar() throws IOException {
            Path jar = pluginsDir.resolve(id + ".jar");
            Files.createDirectories(pluginsDir);
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
                put(out, "plugin.properties", properties());
                for (var e : types.entrySet()) {
                    put(out, "types/" + e.getKey(), e.getValue());
                }
            }
            return jar;
        }

        private static void put(ZipOutputStream out, String name, String content) throws IOException {
            out.putNextEntry(new ZipEntry(name));
            OutputStream o = out;
            o.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}
