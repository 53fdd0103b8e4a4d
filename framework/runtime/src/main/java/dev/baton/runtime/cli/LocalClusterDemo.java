package dev.baton.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.runtime.daemon.ClusterSetup;
import dev.baton.runtime.daemon.ControlClient;
import dev.baton.runtime.daemon.PluginFolders;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The README's run command: a real three-node cluster on this machine. Three batond processes
 * (each with its guard) on 127.0.0.1-3, heartbeating and messaging over sealed UDP/TCP on the
 * loopback, elect a membership, commit a resource group (an apache on 127.0.0.1) through the CCR,
 * start it, and then the demo kills the primary's daemon with SIGKILL: its guard takes apache down
 * and a survivor starts it. Nothing outside the demo folder and loopback is touched.
 */
final class LocalClusterDemo {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NODES = 3;

    private final PrintWriter out;
    private final Path dir;
    private final Path plugins;
    private final int clusterPort;
    private final int httpPort;
    private final Map<Integer, Process> daemons = new TreeMap<>();

    LocalClusterDemo(PrintWriter out, Path dir, Path plugins, int clusterPort, int httpPort) {
        this.out = out;
        this.dir = dir;
        this.plugins = plugins;
        this.clusterPort = clusterPort;
        this.httpPort = httpPort;
    }

    int run(boolean keep) throws Exception {
        out.printf("Local cluster of %d daemons on 127.0.0.1-%d, port %d; logs and state in %s%n", NODES, NODES, clusterPort, dir);
        // httpd's workers run as www-data and must reach the document root: the folder is not private.
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        createStates();
        // Ctrl-C (or any exit) must not leave daemons behind: their guards then take down what they ran.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "demo-stop"));
        for (int n = 1; n <= NODES; n++) {
            start(n);
        }
        if (!await("a quorate membership of all three nodes", Duration.ofSeconds(90), () -> allMembers())) {
            return fail("no membership formed; see " + dir + "/batond-n*.log");
        }
        out.println("membership: " + status(1).path("epoch").asText() + " members " + status(1).path("members"));
        JsonNode committed = ctl(1, JSON.createObjectNode().put("op", "propose").put("table", "rgm").put("content", group()).toString());
        out.println("resource group 'web' (apache on 127.0.0.1:" + httpPort + ") committed to the CCR: " + committed.path("ok"));
        if (!await("apache answering", Duration.ofSeconds(60), () -> answers() && primary() > 0)) {
            return fail("web never answered; see the logs in " + dir);
        }
        int primary = primary();
        out.printf("web is online on node %d and answers http://127.0.0.1:%d/%n", primary, httpPort);
        out.printf("%nkill -9 of node %d's daemon (its guard must take apache down, a survivor takes over) ...%n", primary);
        long killed = System.nanoTime();
        daemons.get(primary).destroyForcibly();
        // Every node shares 127.0.0.1 here, so first see the old apache go (its guard kills it), then a new one answer.
        if (!await("node " + primary + "'s guard to take apache down", Duration.ofSeconds(10), () -> !answers())) {
            return fail("apache still answers: node " + primary + "'s guard did not take it down; see " + dir);
        }
        out.printf("apache on node %d is down %d ms after the kill%n", primary, (System.nanoTime() - killed) / 1_000_000);
        if (!await("web back on a survivor", Duration.ofSeconds(30), this::answers)) {
            return fail("no takeover; see the logs in " + dir);
        }
        long tookMs = (System.nanoTime() - killed) / 1_000_000;
        await("the survivors' status to show where", Duration.ofSeconds(10), () -> primary() > 0 && primary() != primary);
        out.printf("web answers again from node %d, %d ms after the kill%n", primary(), tookMs);
        if (keep) {
            out.println("\nCluster left running (Ctrl-C stops it). Ask a node: ./baton ctl --state " + dir.resolve("n" + survivor(primary))
                    + " status");
            out.flush();
            Thread.currentThread().join(); // until Ctrl-C: the shutdown hook stops the daemons
        }
        ctl(survivor(primary), JSON.createObjectNode().put("op", "rgm").put("request", "offline").put("group", "web").toString());
        await("web offline", Duration.ofSeconds(20), () -> !answers());
        stopAll();
        out.println("\nDone: the group was taken offline and the daemons stopped. Next: ./baton demo --keep, docs/operating.md.");
        return 0;
    }

    private void createStates() throws IOException {
        String description = description();
        ClusterSetup.create(dir.resolve("n1"), 1, description, null);
        for (int n = 2; n <= NODES; n++) {
            ClusterSetup.create(dir.resolve("n" + n), n, description, dir.resolve("n1/cluster.key"));
        }
    }

    private String description() {
        StringBuilder b = new StringBuilder("cluster name=demo\n");
        StringBuilder net = new StringBuilder("network name=loopback kind=ip port=" + clusterPort);
        for (int n = 1; n <= NODES; n++) {
            b.append("node id=").append(n).append(" name=n").append(n).append('\n');
            net.append(' ').append(n).append("=127.0.0.").append(n);
        }
        return b.append(net).append('\n').toString();
    }

    private String group() throws IOException {
        Path root = dir.resolve("web");
        Files.createDirectories(root.resolve("htdocs"));
        Files.writeString(root.resolve("htdocs/index.html"), "served by a Baton cluster\n");
        return "group web failover nodes=1,2,3\n  resource web type=apache Server_root=" + root + " Document_root="
                + root.resolve("htdocs") + " Listen_address=127.0.0.1 Port=" + httpPort + " Thorough_probe_interval=2s\n";
    }

    private void start(int n) throws IOException {
        String home = System.getProperty("baton.home", "");
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms384m", "-Xmx384m", "-XX:+UseZGC", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Dbaton.home=" + home,
                "-Dlogback.configurationFile=" + Path.of(home, "conf", "batond-logback.xml"),
                "-cp", System.getProperty("java.class.path"), BatonTool.class.getName(), "daemon",
                "--state", dir.resolve("n" + n).toString(), "--plugins", pluginsOf(n).toString(), "--failfast", "exit"));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve("batond-n" + n + ".log").toFile()).start();
        daemons.put(n, p);
    }

    private Path pluginsOf(int n) throws IOException {
        return PluginFolders.privateCopy(plugins, dir.resolve("plugins-n" + n));
    }

    private boolean allMembers() {
        for (int n = 1; n <= NODES; n++) {
            JsonNode s = status(n);
            if (!s.path("quorate").asBoolean(false) || s.path("members").size() != NODES) {
                return false;
            }
        }
        return true;
    }

    private int primary() {
        for (int n : daemons.keySet()) {
            if (!daemons.get(n).isAlive()) {
                continue;
            }
            for (JsonNode r : status(n).path("resources")) {
                if (r.path("resource").asText().equals("web") && r.path("state").asText().equals("ONLINE")) {
                    return r.path("node").asInt();
                }
            }
        }
        return -1;
    }

    private int survivor(int not) {
        return daemons.keySet().stream().filter(n -> n != not && daemons.get(n).isAlive()).findFirst().orElse(1);
    }

    private boolean answers() {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/")).timeout(Duration.ofMillis(500)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode status(int n) {
        return ctl(n, "{\"op\":\"status\"}");
    }

    private JsonNode ctl(int n, String json) {
        try {
            return JSON.readTree(ControlClient.call(ControlClient.socketOf(dir.resolve("n" + n)), json));
        } catch (IOException e) {
            return JSON.createObjectNode().put("ok", false).put("error", e.toString());
        }
    }

    private boolean await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        out.printf("waiting for %s ...%n", what);
        out.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private int fail(String message) {
        out.println("FAILED: " + message);
        stopAll();
        return 1;
    }

    /** SIGTERM ends each daemon without telling its guard: the guard then kills whatever the node still ran. */
    synchronized void stopAll() {
        daemons.values().forEach(p -> {
            p.toHandle().descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        });
    }
}
