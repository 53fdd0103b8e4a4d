package dev.baton.runtime.cli;

import dev.baton.core.Effect;
import dev.baton.runtime.daemon.Replay;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code baton replay}: steps a fresh core through a daemon's recorded inputs and prints what it decided. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replays a node's recorded inputs (STATE/recording) through a fresh core and prints its decisions.")
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--state", required = true, description = "The node's state directory")
    Path stateDir;
    @Option(names = "--all", description = "Print every effect, not only events, failfasts and method runs")
    boolean all;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int self = Integer.parseInt(Files.readString(stateDir.resolve("node-id")).strip());
        Map<String, Long> counts = new TreeMap<>();
        long steps = Replay.run(stateDir.resolve("recording"), self, step -> step.effects().ordered().forEach(e -> {
            counts.merge(e.getClass().getSimpleName(), 1L, Long::sum);
            if (all || e instanceof Effect.Notify || e instanceof Effect.Failfast || e instanceof Effect.RunMethod) {
                out.printf("%8d %10.3f s  %s%n", step.sequence(), step.nowNanos() / 1e9, e);
            }
        }));
        out.printf("%d inputs replayed; effects: %s%n", steps, counts);
        return 0;
    }
}
