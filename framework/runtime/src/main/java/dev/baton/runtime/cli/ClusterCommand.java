package dev.baton.runtime.cli;

import dev.baton.runtime.daemon.ClusterSetup;
import dev.baton.runtime.wire.ClusterKey;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code baton cluster create|join} and {@code baton keygen}: bootstrap (docs/operating.md). */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Creates a cluster or joins a node to one.",
        subcommands = {ClusterCommand.Create.class, ClusterCommand.Join.class})
final class ClusterCommand {
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Makes the first node's state directory from a cluster description file.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--state", required = true, description = "State directory to create")
        Path stateDir;
        @Option(names = "--node-id", required = true, description = "This node's id in the description")
        int nodeId;
        @Option(names = "--description", required = true, description = "Cluster description file (docs/operating.md)")
        Path description;
        @Option(names = "--key", description = "An existing cluster key file (default: generate a new key)")
        Path key;

        @Override
        public Integer call() throws Exception {
            String fp = ClusterSetup.create(stateDir, nodeId, Files.readString(description), key);
            spec.commandLine().getOut().printf("created node %d's state in %s; cluster key %s (copy %s to the other nodes"
                    + " securely, then 'baton cluster join')%n", nodeId, stateDir, fp, stateDir.resolve("cluster.key"));
            return 0;
        }
    }

    @Command(name = "join", mixinStandardHelpOptions = true,
            description = "Makes a node's state directory by fetching the cluster description from a running member.")
    static final class Join implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--state", required = true, description = "State directory to create")
        Path stateDir;
        @Option(names = "--node-id", required = true, description = "This node's id (already in the description)")
        int nodeId;
        @Option(names = "--key", required = true, description = "The cluster key file")
        Path key;
        @Option(names = "--peer", required = true, description = "A running member's address on an IP network, host:port")
        String peer;
        @Option(names = "--listen", defaultValue = "0.0.0.0", description = "Local address to await the answer on (default: ${DEFAULT-VALUE})")
        String listen;

        @Override
        public Integer call() throws Exception {
            int colon = peer.lastIndexOf(':');
            var d = ClusterSetup.join(stateDir, nodeId, key, new InetSocketAddress(peer.substring(0, colon),
                    Integer.parseInt(peer.substring(colon + 1))), listen, Duration.ofSeconds(10));
            spec.commandLine().getOut().printf("node %d joined cluster %s (nodes %s); start it with 'baton daemon --state %s'%n",
                    nodeId, d.clusterName(), d.config().nodeIds(), stateDir);
            return 0;
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true, description = "Writes a new cluster key (AES-256) to a file, mode 0600.")
    static final class Keygen implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            ClusterKey key = ClusterKey.generate();
            key.save(file);
            spec.commandLine().getOut().printf("wrote cluster key %s to %s%n", key.fingerprint(), file);
            return 0;
        }
    }
}
