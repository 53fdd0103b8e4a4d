package dev.baton.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.e2e.testbed.SerialLink;
import dev.baton.e2e.testbed.Testbed;
import dev.baton.runtime.daemon.ClusterSetup;
import dev.baton.runtime.daemon.ControlClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Real Baton daemons on a {@link Testbed}: one state directory per node, made by
 * {@code baton cluster create} on node 1 and {@code create} or {@code join} on the others; each
 * daemon a separate JVM started from the built distribution inside its node's namespace, with
 * its guard; the control socket used in-process (a Unix socket is a file, reachable from any
 * network namespace).
 */
final class BatonCluster implements AutoCloseable {
    static final int PORT = 7410;
    private static final ObjectMapper JSON = new ObjectMapper();

    final Testbed bed;
    final int nodes;
    final Path home;
    private final Map<Integer, Process> daemons = new HashMap<>();
    private final List<SerialLink> serialLinks = new ArrayList<>();
    private final Map<Integer, Integer> starts = new HashMap<>();
    /** Added to every daemon's command line, e.g. --no-realtime. */
    final List<String> extraDaemonArgs = new ArrayList<>();

    BatonCluster(Testbed bed, int nodes) {
        this.bed = bed;
        this.nodes = nodes;
        this.home = distHome();
    }

    /** The distribution the build assembled (dist/target/baton): lib/ and plugins/. */
    static Path distHome() {
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path dist = p.resolve("dist/target/baton");
            if (Files.isDirectory(dist.resolve("lib"))) {
                return dist;
            }
        }
        throw new IllegalStateException("no built distribution (dist/target/baton) above " + here + ": build with ./baton build");
    }

    Path state(int node) {
        return bed.dir().resolve("state-n" + node);
    }

    /** The cluster description for this testbed: every IP network, extra lines (serial paths, quorum, timing) appended. */
    String description(int ipNetworks, String... extraLines) {
        StringBuilder b = new StringBuilder("cluster name=e2e\n");
        for (int n = 1; n <= nodes; n++) {
            b.append("node id=").append(n).append(" name=n").append(n).append('\n');
        }
        for (int net = 0; net < ipNetworks; net++) {
            b.append("network name=net").append(net).append(" kind=ip port=").append(PORT);
            for (int n = 1; n <= nodes; n++) {
                b.append(' ').append(n).append('=').append(bed.address(n, net));
            }
            b.append('\n');
        }
        for (String line : extraLines) {
            b.append(line).append('\n');
        }
        return b.toString();
    }

    /** A serial line between two nodes, as a description line. */
    String serialLine(String name, int a, int b) {
        SerialLink link = bed.serialLink(name);
        serialLinks.add(link);
        return "network name=" + name + " kind=serial speed=115200 " + a + "=" + link.endA() + " " + b + "=" + link.endB();
    }

    SerialLink serialLink(int index) {
        return serialLinks.get(index);
    }

    /** Creates every node's state from one description and one key (what create on each node, or join, gives). */
    void createAll(String description) throws IOException {
        ClusterSetup.create(state(1), 1, description, null);
        for (int n = 2; n <= nodes; n++) {
            ClusterSetup.create(state(n), n, description, state(1).resolve("cluster.key"));
        }
    }

    /** Creates node 1 only; the others are joined with {@link #join} once node 1 runs. */
    void createFirst(String description) throws IOException {
        ClusterSetup.create(state(1), 1, description, null);
    }

    /** {@code baton cluster join} run inside node {@code n}'s namespace against node 1. */
    void join(int n) throws IOException, InterruptedException {
        var r = bed.run(n, cli("cluster", "join", "--state", state(n).toString(), "--node-id", Integer.toString(n),
                "--key", state(1).resolve("cluster.key").toString(), "--peer", bed.address(1, 0) + ":" + PORT,
                "--listen", bed.address(n, 0)).toArray(String[]::new));
        if (!r.ok()) {
            throw new IOException("join of node " + n + " failed: " + r.describe());
        }
    }

    List<String> cli(String... args) {
        List<String> argv = new ArrayList<>(List.of(javaBin(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dbaton.home=" + home, "-cp", home.resolve("lib") + "/*", "dev.baton.runtime.cli.BatonTool"));
        argv.addAll(List.of(args));
        return argv;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts node {@code n}'s daemon (and, through it, its guard) inside its namespace. */
    Process start(int n) throws IOException {
        int run = starts.merge(n, 1, Integer::sum);
        List<String> argv = new ArrayList<>(List.of(javaBin(), "-Xms384m", "-Xmx384m", "-XX:+UseZGC",
                "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dbaton.home=" + home, "-Dlogback.configurationFile=" + home.resolve("conf/batond-logback.xml"),
                "-cp", home.resolve("lib") + "/*", "dev.baton.runtime.cli.BatonTool", "daemon",
                "--state", state(n).toString(), "--plugins", pluginsOf(n).toString(), "--failfast", "exit"));
        argv.addAll(extraDaemonArgs);
        Process p = bed.exec(n, argv, Map.of(), bed.dir().resolve("batond-n" + n + "-" + run + ".log"));
        daemons.put(n, p);
        return p;
    }

    /**
     * Node {@code n}'s own copy of the distribution's plugin zips: PF4J unpacks a zip beside it, and
     * daemons starting together from one folder would unpack over each other (one machine, one
     * daemon, one plugins folder in production).
     */
    Path pluginsOf(int n) throws IOException {
        return dev.baton.runtime.daemon.PluginFolders.privateCopy(home.resolve("plugins"), bed.dir().resolve("plugins-n" + n));
    }

    Optional<Process> daemon(int n) {
        return Optional.ofNullable(daemons.get(n));
    }

    /** One control-socket request to node {@code n}; the parsed answer, or an error object when unreachable. */
    JsonNode ctl(int n, String json) {
        try {
            return JSON.readTree(ControlClient.call(ControlClient.socketOf(state(n)), json));
        } catch (IOException e) {
            return JSON.createObjectNode().put("ok", false).put("error", e.toString());
        }
    }

    JsonNode status(int n) {
        return ctl(n, "{\"op\":\"status\"}");
    }

    Set<Integer> members(int n) {
        JsonNode s = status(n);
        Set<Integer> m = new TreeSet<>();
        s.path("members").forEach(x -> m.add(x.asInt()));
        return s.path("quorate").asBoolean(false) ? m : Set.of();
    }

    /** Waits until every node in {@code who} has installed a quorate membership of exactly {@code who}. */
    void awaitMembership(Set<Integer> who, Duration timeout) throws InterruptedException {
        awaitTrue("membership " + who, timeout, () -> who.stream().allMatch(n -> members(n).equals(who)));
    }

    JsonNode propose(int n, String table, String content) {
        return ctl(n, JSON.createObjectNode().put("op", "propose").put("table", table).put("content", content).toString());
    }

    JsonNode rgm(int n, String request, String group, Integer node) {
        var o = JSON.createObjectNode().put("op", "rgm").put("request", request).put("group", group);
        if (node != null) {
            o.put("node", node);
        }
        return ctl(n, o.toString());
    }

    /** Where the coordinator's replicated status says {@code resource} is ONLINE, or empty. */
    Set<Integer> onlineAt(int asker, String resource) {
        Set<Integer> at = new TreeSet<>();
        for (JsonNode r : status(asker).path("resources")) {
            if (r.path("resource").asText().equals(resource) && r.path("state").asText().equals("ONLINE")) {
                at.add(r.path("node").asInt());
            }
        }
        return at;
    }

    static void awaitTrue(String what, Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
    }

    static <T> T awaitValue(String what, Duration timeout, java.util.function.Supplier<T> value, Predicate<T> ok)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = value.get();
            if (ok.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; last: " + last);
    }

    /** kill -9 of the daemon only (its guard and resources stay until the guard notices). */
    void killDaemon(int n) {
        Process p = daemons.get(n);
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /** A crashed machine: guard, daemon and every tagged resource process SIGKILLed at once, its bridge ports down. */
    void crash(int n) throws IOException {
        Process p = daemons.get(n);
        if (p != null) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly); // the guard first: a crash kills both at once
            p.destroyForcibly();
        }
        Processes.killTagged("baton-e2e-" + n);
        bed.cutNode(n);
    }

    /**
     * Brings a crashed node back as a rebooted machine: its adapters carry only their own addresses
     * again (whatever it served died with it), its bridge ports come up, its daemon starts.
     */
    void rebootCrashed(int n) throws IOException {
        for (int net = 0; net < bed.ipNetworks(); net++) {
            bed.run(n, "ip", "addr", "flush", "dev", bed.adapter(net)).requireOk();
            bed.run(n, "ip", "addr", "add", bed.address(n, net) + "/" + Testbed.PREFIX_LENGTH, "dev", bed.adapter(net)).requireOk();
        }
        bed.restoreNode(n);
        start(n);
    }

    @Override
    public void close() {
        for (Process p : daemons.values()) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (int n = 1; n <= nodes; n++) {
            Processes.killTagged("baton-e2e-" + n);
        }
    }
}
