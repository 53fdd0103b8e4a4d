package dev.baton.runtime.daemon;

import dev.baton.core.cluster.InvalidClusterConfigException;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.Timing;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads and writes the cluster description, the content of the CCR table {@value #TABLE}:
 *
 * <pre>
 * cluster name=prod
 * node id=1 name=n1
 * node id=2 name=n2 votes=1
 * network name=public kind=ip port=7410 1=10.99.0.1 2=10.99.0.2
 * network name=tty12 kind=serial speed=115200 1=/dev/ttyS0 2=/dev/ttyS0
 * quorum name=qs kind=quorum-server address=10.99.0.254:7500 nodes=1,2
 * timing heartbeatIntervalMs=100 missThreshold=5
 * </pre>
 *
 * A numeric key is a node id and gives that node's endpoint on the path (its adapter address, or
 * its tty). Other keys of a serial path are settings for the serial plugin. Timing keys are the
 * names of {@link Timing}'s components; absent ones keep the defaults. Every error names the line.
 */
public final class ClusterDescriptionText {
    public static final String TABLE = "cluster";
    private static final int MAX_LINES = 2_000;

    private final String source;
    private String name;
    private final List<NodeSpec> nodes = new ArrayList<>();
    private final List<ClusterDescription.Path> paths = new ArrayList<>();
    private Optional<ClusterDescription.QuorumServer> quorum = Optional.empty();
    private final Map<String, Long> timing = new LinkedHashMap<>();

    private ClusterDescriptionText(String source) {
        this.source = source;
    }

    /** Parses and validates; {@code source} names the file or table in messages. */
    public static ClusterDescription parse(String text, String source) {
        return new ClusterDescriptionText(source).read(text);
    }

    private ClusterDescription read(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length > MAX_LINES) {
            throw new IllegalArgumentException(source + ": more than " + MAX_LINES + " lines");
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                readLine(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (name == null) {
            throw new IllegalArgumentException(source + ": no 'cluster name=...' line");
        }
        try {
            return new ClusterDescription(ClusterDescription.configOf(name, nodes, paths, quorum, timing()), paths, quorum);
        } catch (InvalidClusterConfigException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private void readLine(String line) {
        String[] words = line.split("\\s+");
        Map<String, String> kv = new LinkedHashMap<>();
        for (int w = 1; w < words.length; w++) {
            int eq = words[w].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + words[w] + "' is not key=value");
            }
            if (kv.put(words[w].substring(0, eq), words[w].substring(eq + 1)) != null) {
                throw new IllegalArgumentException("key " + words[w].substring(0, eq) + " given twice");
            }
        }
        switch (words[0]) {
            case "cluster" -> name = required(kv, "name");
            case "node" -> nodes.add(new NodeSpec(integer(kv, "id", null), required(kv, "name"), integer(kv, "votes", 1)));
            case "network" -> paths.add(path(kv));
            case "quorum" -> quorum = Optional.of(quorumServer(kv));
            case "timing" -> kv.forEach((k, v) -> timing.put(k, parseLong(k, v)));
            default -> throw new IllegalArgumentException("unknown line kind '" + words[0]
                    + "' (expected cluster, node, network, quorum or timing)");
        }
    }

    private static ClusterDescription.Path path(Map<String, String> kv) {
        String pathName = required(kv, "name");
        PathKind kind = switch (required(kv, "kind").toLowerCase(Locale.ROOT)) {
            case "ip" -> PathKind.IP;
            case "serial" -> PathKind.SERIAL;
            default -> throw new IllegalArgumentException("network " + pathName + ": kind must be ip or serial, got "
                    + kv.get("kind"));
        };
        int port = kind == PathKind.IP ? integer(kv, "port", null) : 0;
        if (kind == PathKind.IP && (port < 1 || port > 65_535)) {
            throw new IllegalArgumentException("network " + pathName + ": port " + port + " is outside 1..65535");
        }
        TreeMap<Integer, String> endpoints = new TreeMap<>();
        Map<String, String> settings = new TreeMap<>();
        kv.forEach((k, v) -> {
            if (k.chars().allMatch(Character::isDigit)) {
                endpoints.put(Integer.parseInt(k), v);
            } else if (!List.of("name", "kind", "port").contains(k)) {
                settings.put(k, v);
            }
        });
        if (kind == PathKind.IP && !settings.isEmpty()) {
            throw new IllegalArgumentException("network " + pathName + ": unknown keys " + settings.keySet()
                    + " (an ip network takes name, kind, port and node-id=address)");
        }
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("network " + pathName + ": no node endpoints (e.g. 1=10.0.0.1)");
        }
        return new ClusterDescription.Path(pathName, kind, port, endpoints, settings);
    }

    private static ClusterDescription.QuorumServer quorumServer(Map<String, String> kv) {
        String deviceName = required(kv, "name");
        if (!"quorum-server".equals(required(kv, "kind"))) {
            throw new IllegalArgumentException("quorum " + deviceName + ": kind must be quorum-server (the SCSI quorum disk"
                    + " comes with the storage plugin)");
        }
        String address = required(kv, "address");
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("quorum " + deviceName + ": address must be host:port, got " + address);
        }
        TreeSet<Integer> ids = new TreeSet<>();
        for (String id : required(kv, "nodes").split(",")) {
            ids.add(parseInt("nodes", id.strip()));
        }
        return new ClusterDescription.QuorumServer(deviceName, InetSocketAddress.createUnresolved(
                address.substring(0, colon), parseInt("address port", address.substring(colon + 1))), ids);
    }

    private Timing timing() {
        Timing d = Timing.DEFAULTS;
        Timing t = new Timing(get("heartbeatIntervalMs", d.heartbeatIntervalMs()),
                (int) get("missThreshold", d.missThreshold()), get("leaseMs", d.leaseMs()),
                get("failfastBoundMs", d.failfastBoundMs()), get("driftMarginMs", d.driftMarginMs()),
                get("reconfigTimeoutMs", d.reconfigTimeoutMs()), get("deviceCheckIntervalMs", d.deviceCheckIntervalMs()),
                get("fenceRetryMs", d.fenceRetryMs()), get("maxStepGapMs", d.maxStepGapMs()));
        if (!timing.isEmpty()) {
            throw new IllegalArgumentException(source + ": unknown timing keys " + timing.keySet());
        }
        return t;
    }

    private long get(String key, long fallback) {
        Long v = timing.remove(key);
        return v == null ? fallback : v;
    }

    private static String required(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing " + key + "=");
        }
        return v;
    }

    private static int integer(Map<String, String> kv, String key, Integer fallback) {
        String v = kv.get(key);
        if (v == null) {
            if (fallback == null) {
                throw new IllegalArgumentException("missing " + key + "=");
            }
            return fallback;
        }
        return parseInt(key, v);
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }

    private static long parseLong(String key, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }

    /** The text form of a description, as {@link #parse} reads it back. */
    public static String format(ClusterDescription d) {
        StringBuilder b = new StringBuilder("# Baton cluster description (CCR table ").append(TABLE).append(")\n");
        b.append("cluster name=").append(d.clusterName()).append('\n');
        d.config().nodes().values().forEach(n -> b.append("node id=").append(n.id()).append(" name=").append(n.name())
                .append(" votes=").append(n.votes()).append('\n'));
        for (ClusterDescription.Path p : d.networks()) {
            b.append("network name=").append(p.name()).append(" kind=").append(p.kind().name().toLowerCase(Locale.ROOT));
            if (p.kind() == PathKind.IP) {
                b.append(" port=").append(p.port());
            }
            p.settings().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
            p.endpoints().forEach((id, e) -> b.append(' ').append(id).append('=').append(e));
            b.append('\n');
        }
        d.quorumDevice().ifPresent(q -> b.append("quorum name=").append(q.name()).append(" kind=quorum-server address=")
                .append(q.address().getHostString()).append(':').append(q.address().getPort()).append(" nodes=")
                .append(String.join(",", q.nodes().stream().map(String::valueOf).toList())).append('\n'));
        Timing t = d.config().timing();
        b.append("timing heartbeatIntervalMs=").append(t.heartbeatIntervalMs()).append(" missThreshold=")
                .append(t.missThreshold()).append(" leaseMs=").append(t.leaseMs()).append(" failfastBoundMs=")
                .append(t.failfastBoundMs()).append(" driftMarginMs=").append(t.driftMarginMs())
                .append(" reconfigTimeoutMs=").append(t.reconfigTimeoutMs()).append(" deviceCheckIntervalMs=")
                .append(t.deviceCheckIntervalMs()).append(" fenceRetryMs=").append(t.fenceRetryMs())
                .append(" maxStepGapMs=").append(t.maxStepGapMs()).append('\n');
        return b.toString();
    }
}
