package dev.baton.runtime.cli;

import dev.baton.runtime.quorum.QuorumServer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code baton quorum-server ...}: runs the quorum server (docs/design/quorum-server.md) in the foreground. */
@Command(name = "quorum-server", mixinStandardHelpOptions = false,
        description = "Runs the quorum server: --listen IP:PORT --state DIR --cluster NAME=KEYFILE ...")
final class QuorumServerCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ARG", description = "Passed to the quorum server")
    List<String> args = List.of();

    @Override
    public Integer call() {
        QuorumServer.main(args.toArray(String[]::new));
        return 0;
    }
}
