package dev.baton.runtime.cli;

import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.daemon.Batond;
import dev.baton.runtime.daemon.DaemonSettings;
import dev.baton.runtime.guard.FailfastAction;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton daemon}: runs batond for the node whose state directory is given, until killed or failfast. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Runs the node daemon (batond) on this machine.")
final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--state", required = true, description = "The node's state directory (made by 'baton cluster create' or 'join')")
    Path stateDir;

    @Option(names = "--plugins", description = "Plugins folder (default: the distribution's plugins/)")
    Path pluginsDir;

    @Option(names = "--failfast", defaultValue = "exit",
            description = "What failfast does after killing the resources: exit (tests, demos) or reboot (production). Default: ${DEFAULT-VALUE}")
    String failfast;

    @Option(names = "--no-guard", description = "Do not start the guard process (never in production: it enforces the lease when batond dies)")
    boolean noGuard;

    @Option(names = "--no-realtime", description = "Do not ask for real-time scheduling and locked memory (to measure the fallback many containers force)")
    boolean noRealtime;

    @Override
    public Integer call() throws Exception {
        FailfastAction action = FailfastAction.parse(failfast);
        Batond.run(new DaemonSettings(stateDir, pluginsDir != null ? pluginsDir : Cli.defaultPluginsDir(), action,
                !noGuard, !noRealtime, BatonConfig.defaults(), DaemonSettings.DEFAULT_RECORDING_FILE_BYTES,
                DaemonSettings.DEFAULT_RECORDING_FILES));
        return 0;
    }
}
