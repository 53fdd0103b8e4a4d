package dev.baton.e2e.testbed;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
  * A small network of hosts built from network namespaces, for end-to-end tests.
  *
  * <p>Namespace {@code sw} holds one bridge per IP network; each node {@code n1..nN} is a namespace
  * with one veth adapter per network ({@code eth0}, {@code eth1}, ...) plugged into that network's
  * bridge, addressed {@code 10.O.K.X/24} (O: a second octet drawn per run, K: the network, X: the
  * node). The optional client namespace {@code cl} sits on every network with host number
  * {@link #CLIENT_HOST}. All names carry a random per-run suffix, so runs never collide.
  *
  * <p>{@link #close()} removes everything: it closes the serial links, observers and probes made
  * through this testbed, kills every process it started and every process still inside its
  * namespaces (by PID), and deletes the namespaces. It does so even when a step fails, and a JVM
  * shutdown hook does the same if the test never gets to close. The run folder {@link #dir()} is
  * kept when the test fails (see {@link KeepRunDirOnFailure}) and its path is printed.
  */
public final class Testbed implements AutoCloseable {

    /** Host number of the client namespace on every network. */
    public static final int CLIENT_HOST = 250;
    public static final int MAX_NODES = 60;
    public static final int MAX_NETWORKS = 8;
    public static final int PREFIX_LENGTH = 24;
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String runId;
    private final int secondOctet;
    private final int nodes;
    private final int ipNetworks;
    private final boolean withClient;
    private final Path dir;
    private final List<String> namespacesMade = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private Testbed(int nodes, int ipNetworks, boolean withClient) {
        int draw = RANDOM.nextInt(1 << 24);
        this.runId = "bte" + String.format("%06x", draw);
        this.secondOctet = 64 + draw % 128;
        this.nodes = nodes;
        this.ipNetworks = ipNetworks;
        this.withClient = withClient;
        this.dir = makeRunDir(runId);
        this.shutdownHook = new Thread(this::teardownQuietly, runId + "-teardown");
    }

    /** Builds {@code nodes} hosts (1..nodes) on {@code ipNetworks} networks (0..ipNetworks-1). */
    public static Testbed create(int nodes, int ipNetworks) {
        return build(nodes, ipNetworks, false);
    }

    /** As {@link #create}, plus the client namespace {@code cl} on every network. */
    public static Testbed createWithClient(int nodes, int ipNetworks) {
        return build(nodes, ipNetworks, true);
    }

    private static Testbed build(int nodes, int ipNetworks, boolean withClient) {
        requireRange("nodes", nodes, 1, MAX_NODES);
        requireRange("ipNetworks", ipNetworks, 1, MAX_NETWORKS);
        Testbed testbed = new Testbed(nodes, ipNetworks, withClient);
        Runtime.getRuntime().addShutdownHook(testbed.shutdownHook);
        KeepRunDirOnFailure.register(testbed.dir);
        System.out.println("[testbed " + testbed.runId + "] run folder " + testbed.dir
                + " (kept when the test fails)");
        try {
            testbed.buildNetworks();
            return testbed;
        } catch (RuntimeException | Error e) {
            testbed.closeAfterFailedBuild(e);
            throw e;
        }
    }

    // ---- names and addresses ----

    /** The per-run id that prefixes every namespace name. */
    public String runId() {
        return runId;
    }

    public int nodes() {
        return nodes;
    }

    public int ipNetworks() {
        return ipNetworks;
    }

    /** Namespace of node 1..nodes. */
    public String ns(int node) {
        requireNode(node);
        return runId + "-n" + node;
    }

    /** Namespace holding the bridges. */
    public String switchNs() {
        return runId + "-sw";
    }

    /** Namespace of the client; fails when the testbed was made without one. */
    public String clientNs() {
        if (!withClient) {
            throw new IllegalStateException("testbed " + runId + " has no client namespace: use Testbed.createWithClient");
        }
        return runId + "-cl";
    }

    public boolean hasClient() {
        return withClient;
    }

    /** Adapter name of a network inside every host namespace: eth0, eth1, ... */
    public String adapter(int network) {
        requireNetwork(network);
        return "eth" + network;
    }

    /** First three octets of a network's /24, without a trailing dot: "10.O.K". */
    public String subnetPrefix(int network) {
        requireNetwork(network);
        return "10." + secondOctet + "." + network;
    }

    /** Address of host number {@code host} (1..254) on a network, e.g. a logical address at 100. */
    public String hostAddress(int network, int host) {
        requireRange("host", host, 1, 254);
        return subnetPrefix(network) + "." + host;
    }

    /** Fixed address of a node's adapter on a network. */
    public String address(int node, int network) {
        requireNode(node);
        return hostAddress(network, node);
    }

    public String clientAddress(int network) {
        clientNs();
        return hostAddress(network, CLIENT_HOST);
    }

    /** Folder for this run's files and logs (mode 755, so daemons dropping to www-data can read it). */
    public Path dir() {
        return dir;
    }

    // ---- faults ----

    /** Takes all of a node's bridge ports down: its adapters lose carrier, as with pulled cables. */
    public void cutNode(int node) {
        for (int network = 0; network < ipNetworks; network++) {
            cutAdapter(node, network);
        }
    }

    public void restoreNode(int node) {
        for (int network = 0; network < ipNetworks; network++) {
            restoreAdapter(node, network);
        }
    }

    /** Takes one of a node's bridge ports down: that adapter loses carrier. */
    public void cutAdapter(int node, int network) {
        setPort(bridgePort(node, network), "down");
    }

    public void restoreAdapter(int node, int network) {
        setPort(bridgePort(node, network), "up");
    }

    /**
      * Drops all IP traffic into and out of a node except on loopback (nftables inside the node),
      * while links stay up: every IP network is cut, a serial line is not. Idempotent.
      */
    public void blockIp(int node) {
        applyNft(node, IpBlock.BLOCK_RULES);
    }

    /** Removes what {@link #blockIp} added. Idempotent. */
    public void unblockIp(int node) {
        applyNft(node, IpBlock.UNBLOCK_RULES);
    }

    // ---- processes ----

    /**
      * Starts argv inside a node's namespace ({@code ip netns exec}), stdin from /dev/null, stdout
      * and stderr appended to {@code logFile}. The testbed kills it (by PID) on close.
      */
    public Process exec(int node, List<String> argv, Map<String, String> env, Path logFile) {
        return execIn(ns(node), argv, env, logFile);
    }

    public Process execOnClient(List<String> argv, Map<String, String> env, Path logFile) {
        return execIn(clientNs(), argv, env, logFile);
    }

    /** Runs a short command inside a node's namespace, with {@link Commands#DEFAULT_TIMEOUT}. */
    public ProcessResult run(int node, String... argv) {
        return Commands.run(inNamespace(ns(node), List.of(argv)));
    }

    public ProcessResult runOnClient(String... argv) {
        return Commands.run(inNamespace(clientNs(), List.of(argv)));
    }

    /** Starts a serial line whose two ends are pty links in {@link #dir()}; closed with the testbed. */
    public SerialLink serialLink(String name) {
        return track(SerialLink.open(dir, name));
    }

    /** Closes {@code closeable} when the testbed closes (before processes and namespaces go). */
    public synchronized <T extends AutoCloseable> T track(T closeable) {
        requireOpen();
        closeables.push(closeable);
        return closeable;
    }

    private synchronized Process execIn(String namespace, List<String> argv, Map<String, String> env, Path logFile) {
        requireOpen();
        ProcessBuilder builder = new ProcessBuilder(inNamespace(namespace, argv))
                .redirectInput(Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + argv + " in " + namespace, e);
        }
    }

    static List<String> inNamespace(String namespace, List<String> argv) {
        return Stream.concat(Stream.of("ip", "netns", "exec", namespace), argv.stream()).toList();
    }

    // ---- building ----

    private void buildNetworks() {
        addNamespace(switchNs());
        for (int network = 0; network < ipNetworks; network++) {
            String bridge = "br" + network;
            Commands.runOk("ip", "-n", switchNs(), "link", "add", bridge, "type", "bridge");
            Commands.runOk("ip", "-n", switchNs(), "link", "set", bridge, "up");
        }
        for (int node = 1; node <= nodes; node++) {
            addHost(ns(node), "p" + node + "n", node);
        }
        if (withClient) {
            addHost(clientNs(), "pcn", CLIENT_HOST);
        }
    }

    private void addNamespace(String namespace) {
        Commands.runOk("ip", "netns", "add", namespace);
        namespacesMade.add(namespace);
        Commands.runOk("ip", "-n", namespace, "link", "set", "lo", "up");
    }

    /** A host namespace with one adapter per network; IPv6 addresses skip duplicate detection. */
    private void addHost(String namespace, String portPrefix, int host) {
        addNamespace(namespace);
        Commands.runOk(inNamespace(namespace, List.of("sh", "-c",
                "echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad"))
                .toArray(String[]::new));
        for (int network = 0; network < ipNetworks; network++) {
            String port = portPrefix + network;
            String adapter = adapter(network);
            Commands.runOk("ip", "-n", switchNs(), "link", "add", port, "type", "veth", "peer", "name", adapter, "netns", namespace);
            Commands.runOk("ip", "-n", switchNs(), "link", "set", port, "master", "br" + network, "up");
            Commands.runOk("ip", "-n", namespace, "link", "set", adapter, "up");
            Commands.runOk("ip", "-n", namespace, "addr", "add", hostAddress(network, host) + "/" + PREFIX_LENGTH, "dev", adapter);
        }
    }

    private String bridgePort(int node, int network) {
        requireNode(node);
        requireNetwork(network);
        return "p" + node + "n" + network;
    }

    private void setPort(String port, String state) {
        requireOpen();
        Commands.runOk("ip", "-n", switchNs(), "link", "set", port, state);
    }

    private void applyNft(int node, String rules) {
        requireOpen();
        Commands.run(inNamespace(ns(node), List.of("nft", "-f", "-")), Commands.DEFAULT_TIMEOUT, rules).requireOk();
    }

    // ---- teardown ----

    /** Removes everything this testbed made; the first failure is thrown after all steps ran. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: teardown below is idempotent per step.
        }
        Teardown teardown = new Teardown(runId);
        teardownSteps(teardown);
        KeepRunDirOnFailure.closed(dir);
        teardown.throwFirstFailure();
    }

    private void teardownQuietly() {
        if (closed.compareAndSet(false, true)) {
            Teardown teardown = new Teardown(runId);
            teardownSteps(teardown);
            teardown.printFailures();
        }
    }

    private void closeAfterFailedBuild(Throwable cause) {
        try {
            close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void teardownSteps(Teardown teardown) {
        List<AutoCloseable> toClose;
        List<Process> started;
        synchronized (this) {
            toClose = List.copyOf(closeables);
            started = List.copyOf(processes);
        }
        for (AutoCloseable closeable : toClose) {
            teardown.step("close " + closeable, closeable::close);
        }
        for (Process process : started) {
            teardown.step("kill pid " + process.pid(), () -> Teardown.killTree(process.toHandle(), KILL_WAIT));
        }
        List<String> namespaces = namespacesMade.reversed();
        for (String namespace : namespaces) {
            teardown.step("kill processes in " + namespace, () -> Teardown.killNamespaceProcesses(namespace, KILL_WAIT));
        }
        for (String namespace : namespaces) {
            teardown.step("delete namespace " + namespace, () -> Commands.runOk("ip", "netns", "del", namespace));
        }
    }

    // ---- checks ----

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("testbed " + runId + " is closed");
        }
    }

    private void requireNode(int node) {
        requireRange("node", node, 1, nodes);
    }

    private void requireNetwork(int network) {
        requireRange("network", network, 0, ipNetworks - 1);
    }

    private static void requireRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be in " + min + ".." + max + ", got " + value);
        }
    }

    private static Path makeRunDir(String runId) {
        try {
            Path dir = Files.createTempDirectory("baton-e2e-" + runId + "-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run folder", e);
        }
    }

    @Override
    public String toString() {
        return "Testbed " + runId + " (" + nodes + " nodes, " + ipNetworks + " networks" + (withClient ? ", client" : "") + ")";
    }
}
