package dev.baton.runtime.cli;

import dev.baton.runtime.quorum.QuorumServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code baton quorum-server ...}: runs the quorum server (docs/design/quorum-server.md) in the
 * foreground; its own command line parser reads the arguments ({@code --help} lists them).
 */
@Command(name = "quorum-server", description = "Runs the quorum server: --listen IP:PORT --state DIR --cluster NAME=KEYFILE ...")
final class QuorumServerCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        QuorumServer.main(args.toArray(String[]::new));
        return 0;
    }
}
