package dev.baton.sim.scenario;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.FencingSpec;
import dev.baton.core.cluster.InvalidClusterConfigException;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.QuorumDeviceSpec;
import dev.baton.core.cluster.Timing;
import dev.baton.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code cluster} command: {@code cluster nodes=N [ip=net1,net2] [serial=1-2,2-3] [disk=NAME]
 * [votes=ID:V,...] [device=all|1,2] [fencing=power|storage[:ids]] [two-node] [seed=S] [lease=MS]
 * [drift=PPM] [offset=MS] [fence-failure=RATE]}. Builds the configuration the core sees and the
 * simulator's options; timing is {@link #SCENARIO_TIMING} unless {@code lease} overrides it.
 */
final class ClusterSetup {
    /**
     * The timing every scenario file was written for (100 ms heartbeats, 5 misses, 700 ms lease): a
     * scenario's pauses and waits are chosen against these numbers, so tuning the defaults
     * ({@link Timing#DEFAULTS}, measured on real machines in issue 5) must not silently change what
     * a scenario tests. The random seeds run with the defaults.
     */
    static final Timing SCENARIO_TIMING = new Timing(100, 5, 700, 100, 50, 150, 200, 500, 250);

    static final int MAX_NODES = ClusterConfig.MAX_NODE_ID;

    private int nodeCount;
    private List<String> ipNetworks = List.of("net1");
    private final List<SortedSet<Integer>> serialLines = new ArrayList<>();
    private Optional<String> disk = Optional.empty();
    private final Map<Integer, Integer> votes = new TreeMap<>();
    private Optional<String> deviceNodes = Optional.empty();
    private Optional<String> fencing = Optional.empty();
    private boolean twoNode;
    private long seed = 1;
    private Optional<Long> leaseMs = Optional.empty();
    private long driftPpm = Simulation.Options.DEFAULTS.maxDriftPpm();
    private long offsetMs = Simulation.Options.DEFAULTS.maxClockOffsetMs();
    private double fenceFailureRate = Simulation.Options.DEFAULTS.fenceFailureRate();

    /** What the command built: the configuration, the seed and the simulator's options. */
    record Built(ClusterConfig config, long seed, Simulation.Options options) {
    }

    static Built parse(Words words, String clusterName) {
        ClusterSetup setup = new ClusterSetup();
        for (String[] option : Words.options(words)) {
            setup.option(option[0], option[1]);
        }
        if (setup.nodeCount == 0) {
            throw new BadCommand("cluster needs nodes=N");
        }
        return setup.build(clusterName);
    }

    private void option(String key, String value) {
        switch (key) {
            case "nodes" -> nodeCount = nodeCount(value);
            case "ip" -> ipNetworks = List.of(value.split(","));
            case "serial" -> serial(value);
            case "disk" -> disk = Optional.of(value);
            case "votes" -> votes(value);
            case "device" -> deviceNodes = Optional.of(value);
            case "fencing" -> fencing = Optional.of(value);
            case "two-node" -> twoNode = true;
            case "seed" -> seed = Words.longInteger(value, "seed");
            case "lease" -> leaseMs = Optional.of(Words.toMs(Words.parseDurationNanos(withMs(value), "lease"), "lease"));
            case "drift" -> driftPpm = Words.longInteger(value, "drift (ppm)");
            case "offset" -> offsetMs = Words.toMs(Words.parseDurationNanos(withMs(value), "offset"), "offset");
            case "fence-failure" -> fenceFailureRate = Words.rate(value, "fence-failure");
            default -> throw new BadCommand("unknown cluster option '" + key + "'; known: nodes ip serial disk votes device fencing"
                    + " two-node seed lease drift offset fence-failure");
        }
    }

    /** A bare number is milliseconds. */
    private static String withMs(String value) {
        return value.chars().allMatch(Character::isDigit) ? value + "ms" : value;
    }

    private static int nodeCount(String value) {
        int n = Words.integer(value, "nodes");
        if (n < 1 || n > MAX_NODES) {
            throw new BadCommand("nodes must be 1.." + MAX_NODES + ", got " + n);
        }
        return n;
    }

    private void serial(String value) {
        for (String pair : value.split(",")) {
            String[] ends = pair.split("-");
            if (ends.length != 2) {
                throw new BadCommand("a serial line joins two nodes, written like 1-2; got '" + pair + "'");
            }
            serialLines.add(new TreeSet<>(List.of(Words.integer(ends[0], "serial line end"), Words.integer(ends[1], "serial line end"))));
        }
    }

    private void votes(String value) {
        for (String pair : value.split(",")) {
            String[] parts = pair.split(":");
            if (parts.length != 2) {
                throw new BadCommand("votes are written ID:VOTES, like 3:0; got '" + pair + "'");
            }
            votes.put(Words.integer(parts[0], "node id in votes"), Words.integer(parts[1], "votes"));
        }
    }

    private Built build(String clusterName) {
        SortedSet<Integer> all = new TreeSet<>();
        for (int id = 1; id <= nodeCount; id++) {
            all.add(id);
        }
        List<NodeSpec> nodes = all.stream().map(id -> new NodeSpec(id, "node" + id, votes.getOrDefault(id, 1))).toList();
        Timing timing = leaseMs.map(ms -> SCENARIO_TIMING.withLease(ms, SCENARIO_TIMING.failfastBoundMs(), SCENARIO_TIMING.driftMarginMs()))
                .orElse(SCENARIO_TIMING);
        try {
            ClusterConfig config = ClusterConfig.of(clusterName, nodes, networks(all), device(all), fencingSpec(all), twoNode, timing);
            Simulation.Options defaults = Simulation.Options.DEFAULTS;
            Simulation.Options options = new Simulation.Options(defaults.rebootDelayMs(), defaults.killLatencyMaxMs(),
                    defaults.deviceLatencyMaxMs(), defaults.fenceLatencyMaxMs(), fenceFailureRate, driftPpm, offsetMs);
            return new Built(config, seed, options);
        } catch (InvalidClusterConfigException e) {
            throw new BadCommand(e.getMessage());
        }
    }

    private List<NetworkSpec> networks(SortedSet<Integer> all) {
        List<NetworkSpec> networks = new ArrayList<>();
        ipNetworks.forEach(name -> networks.add(NetworkSpec.of(name, PathKind.IP, all)));
        serialLines.forEach(ends -> networks.add(NetworkSpec.of("serial" + ends.first() + "-" + ends.last(), PathKind.SERIAL, ends)));
        disk.ifPresent(name -> networks.add(NetworkSpec.of(name, PathKind.DISK, all)));
        return networks;
    }

    private Optional<QuorumDeviceSpec> device(SortedSet<Integer> all) {
        return deviceNodes.map(v -> QuorumDeviceSpec.of("qdev", v.equals("all") ? all : Words.nodeList(v, "device")));
    }

    private Optional<FencingSpec> fencingSpec(SortedSet<Integer> all) {
        return fencing.map(value -> {
            String[] parts = value.split(":", 2);
            FencingSpec.Scope scope = switch (parts[0]) {
                case "power" -> FencingSpec.Scope.POWER;
                case "storage" -> FencingSpec.Scope.STORAGE;
                default -> throw new BadCommand("fencing must be power or storage, optionally :ids; got '" + value + "'");
            };
            return FencingSpec.of("fence", scope, parts.length == 2 ? Words.nodeList(parts[1], "fencing") : all);
        });
    }

    /** A few lines that say what was built, so a reader of the scenario need not work it out. */
    static List<String> describe(Built built) {
        ClusterConfig c = built.config();
        List<String> lines = new ArrayList<>();
        int quorum = c.totalVotes() / 2 + 1;
        lines.add(c.nodeIds().size() + " nodes " + c.nodeIds() + ", votes " + votesText(c)
                + (c.quorumDevice().isPresent() ? " + device " + c.deviceVotes() : "")
                + " = " + c.totalVotes() + ", quorum needs " + quorum);
        StringBuilder paths = new StringBuilder("paths:");
        c.networks().values().forEach(n -> paths.append(' ').append(n.name())
                .append(" (").append(n.kind()).append(' ').append(n.nodeIds()).append(')'));
        lines.add(paths.toString());
        c.quorumDevice().ifPresent(d -> lines.add("quorum device on " + d.connectedNodeIds()));
        c.fencing().ifPresent(f -> lines.add(f.scope().toString().toLowerCase() + " fencing of " + f.coveredNodeIds()));
        if (c.twoNodeMode()) {
            lines.add("two-node mode");
        }
        lines.add("seed " + built.seed() + ", lease " + c.timing().leaseMs() + " ms, clearance after " + c.timing().clearanceMs()
                + " ms, drift up to " + built.options().maxDriftPpm() + " ppm");
        return lines;
    }

    private static String votesText(ClusterConfig c) {
        boolean uniform = c.nodes().values().stream().allMatch(n -> n.votes() == 1);
        if (uniform) {
            return "1 each";
        }
        StringBuilder text = new StringBuilder();
        c.nodes().values().forEach(n -> text.append(text.isEmpty() ? "" : " ").append(n.id()).append(':').append(n.votes()));
        return text.toString();
    }
}
