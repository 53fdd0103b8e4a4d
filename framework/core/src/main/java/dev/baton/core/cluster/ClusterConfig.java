package dev.baton.core.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cluster's shape as the membership core needs it: nodes and their votes, heartbeat paths,
 * the quorum device, fencing and timing. Immutable; {@link #of} refuses an unusable configuration
 * with every problem named.
 *
 * <p>Quorum arithmetic lives here because every node must compute it identically: the device is
 * worth N-1 votes, N being the votes of the nodes connected to it, and a set of nodes is quorate
 * with strictly more than half of all configured votes.
 */
public final class ClusterConfig {
    public static final int MAX_NODE_ID = 64;

    private final String clusterName;
    private final SortedMap<Integer, NodeSpec> nodes;
    private final Map<String, NetworkSpec> networks;
    private final Optional<QuorumDeviceSpec> quorumDevice;
    private final Optional<FencingSpec> fencing;
    private final boolean twoNodeMode;
    private final Timing timing;

    private ClusterConfig(String clusterName, List<NodeSpec> nodes, List<NetworkSpec> networks,
                          Optional<QuorumDeviceSpec> quorumDevice, Optional<FencingSpec> fencing,
                          boolean twoNodeMode, Timing timing) {
        this.clusterName = clusterName;
        SortedMap<Integer, NodeSpec> byId = new TreeMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        this.nodes = Collections.unmodifiableSortedMap(byId);
        Map<String, NetworkSpec> byName = new LinkedHashMap<>();
        networks.forEach(n -> byName.put(n.name(), n));
        this.networks = Collections.unmodifiableMap(byName);
        this.quorumDevice = quorumDevice;
        this.fencing = fencing;
        this.twoNodeMode = twoNodeMode;
        this.timing = timing;
    }

    public static ClusterConfig of(String clusterName, List<NodeSpec> nodes, List<NetworkSpec> networks,
                                   Optional<QuorumDeviceSpec> quorumDevice, Optional<FencingSpec> fencing,
                                   boolean twoNodeMode, Timing timing) {
        List<String> problems = new ArrayList<>(timing.problems());
        problems.addAll(nodeProblems(nodes));
        Set<Integer> ids = new HashSet<>();
        nodes.forEach(n -> ids.add(n.id()));
        problems.addAll(networkProblems(networks, ids));
        quorumDevice.ifPresent(d -> problems.addAll(memberProblems("quorum device " + d.name(), d.connectedNodeIds(), ids)));
        fencing.ifPresent(f -> problems.addAll(memberProblems("fencing device " + f.name(), f.coveredNodeIds(), ids)));
        problems.addAll(twoNodeProblems(nodes, quorumDevice, fencing, twoNodeMode));
        if (!problems.isEmpty()) {
            throw new InvalidClusterConfigException(problems);
        }
        return new ClusterConfig(clusterName, nodes, networks, quorumDevice, fencing, twoNodeMode, timing);
    }

    private static List<String> nodeProblems(List<NodeSpec> nodes) {
        List<String> problems = new ArrayList<>();
        if (nodes.isEmpty()) {
            problems.add("a cluster needs at least one node");
        }
        Set<Integer> seenIds = new HashSet<>();
        Set<String> seenNames = new HashSet<>();
        int totalVotes = 0;
        for (NodeSpec node : nodes) {
            if (node.id() < 1 || node.id() > MAX_NODE_ID) {
                problems.add("node " + node.name() + ": id " + node.id() + " is outside 1.." + MAX_NODE_ID);
            }
            if (!seenIds.add(node.id())) {
                problems.add("node id " + node.id() + " is used twice");
            }
            if (node.name() == null || node.name().isBlank() || !seenNames.add(node.name())) {
                problems.add("node " + node.id() + ": name '" + node.name() + "' is empty or used twice");
            }
            if (node.votes() < 0) {
                problems.add("node " + node.name() + ": votes must be >= 0, got " + node.votes());
            }
            totalVotes += Math.max(0, node.votes());
        }
        if (!nodes.isEmpty() && totalVotes == 0) {
            problems.add("at least one node must have a vote");
        }
        return problems;
    }

    private static List<String> networkProblems(List<NetworkSpec> networks, Set<Integer> ids) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (NetworkSpec network : networks) {
            if (!names.add(network.name())) {
                problems.add("network " + network.name() + " is defined twice");
            }
            problems.addAll(memberProblems("network " + network.name(), network.nodeIds(), ids));
            if (network.kind() == PathKind.SERIAL && network.nodeIds().size() != 2) {
                problems.add("serial path " + network.name() + " must join exactly 2 nodes, joins " + network.nodeIds());
            }
        }
        return problems;
    }

    private static List<String> memberProblems(String what, Set<Integer> members, Set<Integer> ids) {
        List<String> problems = new ArrayList<>();
        for (int id : members) {
            if (!ids.contains(id)) {
                problems.add(what + " names node " + id + ", which is not configured");
            }
        }
        return problems;
    }

    private static List<String> twoNodeProblems(List<NodeSpec> nodes, Optional<QuorumDeviceSpec> device,
                                                Optional<FencingSpec> fencing, boolean twoNodeMode) {
        if (!twoNodeMode) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        if (nodes.size() != 2) {
            problems.add("two-node mode needs exactly 2 nodes, got " + nodes.size());
        }
        if (device.isPresent()) {
            problems.add("two-node mode is for clusters without a quorum device; remove one of them");
        }
        boolean powerFencesBoth = fencing.isPresent()
                && nodes.stream().allMatch(n -> fencing.get().powerFences(n.id()));
        if (!powerFencesBoth) {
            problems.add("two-node mode without a quorum device is refused unless a power fencing device covers both nodes:"
                    + " after a split each side would otherwise run alone");
        }
        return problems;
    }

    public String clusterName() {
        return clusterName;
    }

    public SortedMap<Integer, NodeSpec> nodes() {
        return nodes;
    }

    public Set<Integer> nodeIds() {
        return nodes.keySet();
    }

    public NodeSpec node(int id) {
        NodeSpec node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("node " + id + " is not configured");
        }
        return node;
    }

    public String nodeName(int id) {
        NodeSpec node = nodes.get(id);
        return node == null ? "node" + id : node.name();
    }

    public Map<String, NetworkSpec> networks() {
        return networks;
    }

    public Optional<QuorumDeviceSpec> quorumDevice() {
        return quorumDevice;
    }

    public Optional<FencingSpec> fencing() {
        return fencing;
    }

    public boolean twoNodeMode() {
        return twoNodeMode;
    }

    public Timing timing() {
        return timing;
    }

    public int votesOf(Set<Integer> nodeIds) {
        int votes = 0;
        for (int id : nodeIds) {
            NodeSpec node = nodes.get(id);
            votes += node == null ? 0 : node.votes();
        }
        return votes;
    }

    /** N-1 for N votes of the nodes connected to the device; 0 without a device. */
    public int deviceVotes() {
        return quorumDevice.map(d -> Math.max(0, votesOf(d.connectedNodeIds()) - 1)).orElse(0);
    }

    public int totalVotes() {
        return votesOf(nodes.keySet()) + deviceVotes();
    }

    /** Strictly more than half of all configured votes, counting the device only when {@code holdsDevice}. */
    public boolean isQuorate(Set<Integer> nodeIds, boolean holdsDevice) {
        int votes = votesOf(nodeIds) + (holdsDevice ? deviceVotes() : 0);
        return 2L * votes > totalVotes();
    }

    /** True when some node in {@code nodeIds} is configured as connected to the quorum device. */
    public boolean reachesDevice(Set<Integer> nodeIds) {
        return quorumDevice.isPresent() && nodeIds.stream().anyMatch(quorumDevice.get().connectedNodeIds()::contains);
    }
}
