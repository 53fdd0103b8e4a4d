package dev.baton.runtime.cli;

import dev.baton.api.method.MethodResult;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.plugin.PluginStatus;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the commands share: where plugins live and how results are printed. */
final class Cli {
    private Cli() {
    }

    /** The distribution's plugins folder ({@code baton.home} is set by the launcher), or ./plugins. */
    static Path defaultPluginsDir() {
        String home = System.getProperty("baton.home");
        return home == null ? Path.of("plugins") : Path.of(home, "plugins");
    }

    /** A Maven plugin module (it has plugin.properties under src/main/plugin or at its root, and target/classes). */
    static boolean isModule(Path p) {
        return Files.isDirectory(p.resolve("target/classes"))
                && (Files.exists(p.resolve("src/main/plugin/plugin.properties")) || Files.exists(p.resolve("plugin.properties")));
    }

    /** Plugins named one by one: Maven modules in development mode, otherwise zips, jars or folders. */
    static PluginCatalog loadNamed(List<Path> plugins, JsEngine engine, BatonConfig config) {
        return plugins.stream().allMatch(Cli::isModule)
                ? PluginCatalog.loadModules(plugins, engine, config)
                : PluginCatalog.loadFiles(plugins, engine, config);
    }

    static void printPlugin(PrintWriter out, PluginStatus s) {
        if (s.state() == PluginStatus.State.ACTIVE) {
            out.printf("  %-12s %-16s active    types: %s%n", s.id(), s.version(), String.join(", ", s.types()));
        } else {
            out.printf("  %-12s %-16s DISABLED  (%s)%n", s.id(), s.version(), s.location());
            s.problems().forEach(p -> out.printf("      %s%n", p));
        }
    }

    /** One line per call: method, code, time, message; then the problems. */
    static void printResult(PrintWriter out, String label, MethodResult r) {
        out.printf("  %-10s %-12s %6d ms  %s%n", label, r.code(), r.elapsed().toMillis(), r.message());
        r.problems().forEach(p -> out.printf("  %-10s   - %s%n", "", p));
        out.flush();
    }

    static void printLog(PrintWriter out, MethodResult r) {
        r.log().forEach(line -> out.printf("  %-10s   | %s%n", "", line));
    }
}
