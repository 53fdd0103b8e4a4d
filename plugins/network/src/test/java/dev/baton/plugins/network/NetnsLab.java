package dev.baton.plugins.network;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts made of network namespaces (TESTBED.md "hosts"): one switch namespace with bridges, and
 * nodes whose adapters are veth pairs plugged into them. Every name carries a random suffix so
 * parallel runs do not collide; {@link #close()} deletes every namespace this lab made, also after
 * a failed test.
 */
final class NetnsLab implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern MAC = Pattern.compile("link/ether ([0-9a-f:]{17})");
    private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");

    private final String prefix;
    private final String switchNs;
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> bridges = new ArrayList<>();

    private NetnsLab(String prefix) {
        this.prefix = prefix;
        this.switchNs = prefix + "sw";
    }

    /** A lab with its switch namespace; nodes and bridges come with {@link #node} and {@link #plug}. */
    static NetnsLab open() {
        NetnsLab lab = new NetnsLab("bt" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6));
        try {
            lab.addNamespace(lab.switchNs);
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Whether this machine lets the test make namespaces (root and iproute2). */
    static Optional<String> unavailableBecause() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("network namespaces need root");
        }
        try {
            run(List.of("ip", "-V"));
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("ip (iproute2) does not run: " + e.getMessage());
        }
    }

    /** A node namespace with lo up; its adapters come with {@link #plug}. */
    Node node(String id) {
        Node n = new Node(id, prefix + id);
        addNamespace(n.ns());
        run(List.of("ip", "-n", n.ns(), "link", "set", "lo", "up"));
        return n;
    }

    /**
     * Plugs a new adapter {@code dev} of the node into the switch's bridge, both up, with these
     * addresses (IPv6 ones without duplicate address detection, so they work at once).
     */
    void plug(Node n, String dev, String bridge, String... addresses) {
        ensureBridge(bridge);
        String port = portName(n, dev);
        run(List.of("ip", "link", "add", dev, "netns", n.ns(), "type", "veth", "peer", "name", port, "netns", switchNs));
        run(List.of("ip", "-n", switchNs, "link", "set", port, "master", bridge, "up"));
        run(List.of("ip", "-n", n.ns(), "link", "set", dev, "up"));
        for (String a : addresses) {
            List<String> cmd = new ArrayList<>(List.of("ip", "-n", n.ns(), "addr", "add", a, "dev", dev));
            if (a.contains(":")) {
                cmd.add("nodad");
            }
            run(cmd);
        }
    }

    /** Pulls (or plugs back) the cable of the node's adapter: the switch port goes down, the adapter loses carrier. */
    void cable(Node n, String dev, boolean connected) {
        run(List.of("ip", "-n", switchNs, "link", "set", portName(n, dev), connected ? "up" : "down"));
    }

    /** `ip -n NS ARGS…`: stdout, or an exception with stderr. */
    String ip(Node n, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", n.ns()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** A command inside the node's namespace. */
    String exec(Node n, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", n.ns()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    String mac(Node n, String dev) {
        Matcher m = MAC.matcher(ip(n, "-o", "link", "show", "dev", dev));
        if (!m.find()) {
            throw new IllegalStateException("no MAC address for " + dev + " in " + n.ns());
        }
        return m.group(1);
    }

    /** The MAC the node's neighbour table holds for the address, if any. */
    Optional<String> neighbourMac(Node n, String address) {
        Matcher m = LLADDR.matcher(ip(n, "neigh", "show", address));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Sends one UDP datagram from the node to the address (bash's /dev/udp): the node resolves its MAC. */
    void sendUdp(Node from, String address) {
        exec(from, "bash", "-c", "echo baton > /dev/udp/" + address + "/9");
    }

    /** The `ip -o addr show` lines of the node that carry the address (matched as a whole word). */
    List<String> addressLines(Node n, String address) {
        Pattern word = Pattern.compile("\\s(inet6?) " + Pattern.quote(address) + "/");
        return ip(n, "-o", "addr", "show").lines().filter(l -> word.matcher(l).find()).toList();
    }

    private void ensureBridge(String bridge) {
        if (!bridges.contains(bridge)) {
            run(List.of("ip", "-n", switchNs, "link", "add", bridge, "type", "bridge"));
            run(List.of("ip", "-n", switchNs, "link", "set", bridge, "up"));
            bridges.add(bridge);
        }
    }

    private void addNamespace(String ns) {
        run(List.of("ip", "netns", "add", ns));
        namespaces.add(ns);
    }

    private static String portName(Node n, String dev) {
        return "p-" + n.id() + "-" + dev; // inside the switch namespace only: no suffix needed
    }

    /** Deletes every namespace this lab made, nodes first; the veth pairs go with them. */
    @Override
    public void close() {
        List<String> reversed = new ArrayList<>(namespaces);
        Collections.reverse(reversed);
        for (String ns : reversed) {
            try {
                run(List.of("ip", "netns", "del", ns));
            } catch (RuntimeException e) {
                System.err.println("could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
        namespaces.clear();
    }

    /** Runs a command with a timeout; its output goes through files, so neither a full pipe nor a stray child blocks us. */
    static String run(List<String> cmd) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("netns-out", ".txt");
            err = Files.createTempFile("netns-err", ".txt");
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not end within " + COMMAND_TIMEOUT);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ": "
                        + Files.readString(err).strip());
            }
            return Files.readString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temp file left behind is harmless
            }
        }
    }

    /** One node: its short id ("n1") and its namespace's name. */
    record Node(String id, String ns) {
    }
}
