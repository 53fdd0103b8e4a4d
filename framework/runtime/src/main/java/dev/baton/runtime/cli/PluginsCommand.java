package dev.baton.runtime.cli;

import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.plugin.PluginStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "Lists the plugins in a plugins folder, their types, and why any is disabled. Exit 1 if one is.")
final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", description = "Plugins folder (default: the distribution's plugins/)")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path pluginsDir = dir != null ? dir : Cli.defaultPluginsDir();
        try (JsEngine engine = new JsEngine();
             PluginCatalog catalog = PluginCatalog.loadDirectory(pluginsDir, engine, BatonConfig.defaults())) {
            out.println("Plugins in " + pluginsDir.toAbsolutePath() + ":");
            catalog.plugins().forEach(s -> Cli.printPlugin(out, s));
            if (catalog.plugins().isEmpty()) {
                out.println("  (none)");
            }
            out.flush();
            return catalog.plugins().stream().allMatch(s -> s.state() == PluginStatus.State.ACTIVE) ? 0 : 1;
        }
    }
}
