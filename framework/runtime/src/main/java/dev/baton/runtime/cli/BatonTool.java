package dev.baton.runtime.cli;

import dev.baton.runtime.BatonVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code baton} command-line tools. Every command writes to picocli's writers, never to
 * System.out directly, so tests can capture them.
 */
@Command(name = "baton", mixinStandardHelpOptions = true, versionProvider = BatonTool.Version.class,
        description = "Baton command-line tools.",
        subcommands = {DemoCommand.class, PluginsCommand.class, CheckCommand.class, CallCommand.class,
                NewPluginCommand.class, DaemonCommand.class, ClusterCommand.class,
                ClusterCommand.Keygen.class, CtlCommand.class, QuorumServerCommand.class, ReplayCommand.class})
public final class BatonTool {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new BatonTool());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Baton " + BatonVersion.full()};
        }
    }
}
