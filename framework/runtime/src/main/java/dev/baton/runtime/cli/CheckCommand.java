package dev.baton.runtime.cli;

import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.plugin.PluginStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Loads plugins as Baton would (zips, jars, unpacked folders or Maven modules) and reports every problem"
                + " with its file and line. Exit 1 if any plugin would be disabled.")
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PLUGIN", description = "Plugin zip, jar, folder or Maven module")
    List<Path> plugins;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Path p : plugins) {
            if (!Files.exists(p)) {
                spec.commandLine().getErr().println("baton check: " + p + " does not exist");
                return 2;
            }
        }
        try (JsEngine engine = new JsEngine();
             PluginCatalog catalog = Cli.loadNamed(plugins, engine, BatonConfig.defaults())) {
            catalog.plugins().forEach(s -> Cli.printPlugin(out, s));
            out.flush();
            return catalog.plugins().stream().allMatch(s -> s.state() == PluginStatus.State.ACTIVE) ? 0 : 1;
        }
    }
}
