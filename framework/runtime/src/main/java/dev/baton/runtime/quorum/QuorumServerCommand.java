package dev.baton.runtime.quorum;

import dev.baton.runtime.wire.ClusterKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code quorum-server} command line: parses, starts the server, and serves until the process is stopped. */
@Command(name = "quorum-server", mixinStandardHelpOptions = true,
        description = "Serve a quorum device over TCP to one or more Baton clusters (docs/design/quorum-server.md).")
final class QuorumServerCommand implements Callable<Integer> {
    @Option(names = "--listen", required = true, paramLabel = "IP:PORT", description = "Address and port to listen on (port 0: any free port).")
    String listen;

    @Option(names = "--state", required = true, paramLabel = "DIR", description = "Directory for the durable per-cluster records (created 0700).")
    Path stateDir;

    @Option(names = "--cluster", required = true, paramLabel = "NAME=KEYFILE",
            description = "A cluster to serve and its key file (baton-cluster-key v1, mode 0600); repeat for more clusters.")
    Map<String, Path> clusters = new TreeMap<>();

    @Option(names = "--max-connections", paramLabel = "N", description = "Connections served at once (default ${DEFAULT-VALUE}).")
    int maxConnections = QuorumServerConfig.DEFAULT_MAX_CONNECTIONS;

    @Option(names = "--idle-timeout-seconds", paramLabel = "S", description = "Close a connection silent this long (default ${DEFAULT-VALUE}).")
    long idleTimeoutSeconds = QuorumServerConfig.DEFAULT_IDLE_TIMEOUT.toSeconds();

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);

    static int run(String[] args) {
        return new CommandLine(new QuorumServerCommand()).execute(args);
    }

    /** Runs with errors written to {@code err} (tests). */
    static int run(String[] args, PrintWriter err) {
        return new CommandLine(new QuorumServerCommand()).setErr(err).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        QuorumServerConfig config;
        try {
            config = new QuorumServerConfig(address(listen), stateDir, keys(), maxConnections, Duration.ofSeconds(idleTimeoutSeconds));
        } catch (IllegalArgumentException | IOException e) {
            return usageError(e.getMessage());
        }
        QuorumServer server;
        try {
            server = QuorumServer.start(config);
        } catch (IOException e) {
            return failure("cannot start: " + e.getMessage(), 1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "quorum-server-shutdown"));
        stopped.await();
        return 0;
    }

    private java.util.SortedMap<String, ClusterKey> keys() throws IOException {
        java.util.SortedMap<String, ClusterKey> keys = new TreeMap<>();
        for (var cluster : clusters.entrySet()) {
            keys.put(cluster.getKey(), ClusterKey.load(cluster.getValue()));
        }
        return keys;
    }

    static InetSocketAddress address(String text) throws UnknownHostException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("--listen '" + text + "' must be IP:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen '" + text + "': the port is not a number");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--listen '" + text + "': port " + port + " is outside 0..65535");
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    private int usageError(String message) {
        return failure(message, CommandLine.ExitCode.USAGE);
    }

    private int failure(String message, int exitCode) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("quorum-server: " + message);
        err.flush();
        return exitCode;
    }
}
