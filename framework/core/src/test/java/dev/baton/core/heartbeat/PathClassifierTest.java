package dev.baton.core.heartbeat;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.Timing;
import dev.baton.core.heartbeat.PathCondition.LocalAdapterDown;
import dev.baton.core.heartbeat.PathCondition.NetworkDown;
import dev.baton.core.heartbeat.PathCondition.NodeIpDown;
import dev.baton.core.heartbeat.PathCondition.NodeUnreachable;
import dev.baton.core.heartbeat.PathCondition.RemoteAdapterDown;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class PathClassifierTest {

    @Test
    void aHealthyClusterHasNoConditions() {
        World world = new World(3, ip("net1", 1, 2, 3), ip("net2", 1, 2, 3), serial("tty12", 1, 2));

        for (int node = 1; node <= 3; node++) {
            assertThat(world.seenFrom(node)).as("node " + node).isEmpty();
        }
    }

    @Test
    void aCutNetworkBetweenTwoNodesIsSeenAsNetworkDownOnBothSides() {
        World world = new World(2, ip("net1", 1, 2), ip("net2", 1, 2)).cut("net1");

        assertThat(world.seenFrom(1)).containsExactly(new NetworkDown("net1"));
        assertThat(world.seenFrom(2)).containsExactly(new NetworkDown("net1"));
    }

    @Test
    void aDeadAdapterIsLocalOnItsNodeAndRemoteOnTheOthers() {
        World world = new World(3, ip("net1", 1, 2, 3), ip("net2", 1, 2, 3)).killAdapter(1, "net1");

        assertThat(world.seenFrom(1)).containsExactly(new LocalAdapterDown("net1"));
        assertThat(world.seenFrom(2)).containsExactly(new RemoteAdapterDown(1, "net1"));
        assertThat(world.seenFrom(3)).containsExactly(new RemoteAdapterDown(1, "net1"));
    }

    @Test
    void withItsOwnAdapterDownANodeBlamesOnlyPeersOthersCannotHearEither() {
        World world = new World(4, ip("net1", 1, 2, 3, 4), ip("net2", 1, 2, 3, 4))
                .killAdapter(1, "net1").killAdapter(2, "net1");

        assertThat(world.seenFrom(1)).containsExactly(new LocalAdapterDown("net1"), new RemoteAdapterDown(2, "net1"));
        assertThat(world.seenFrom(3)).containsExactly(new RemoteAdapterDown(1, "net1"), new RemoteAdapterDown(2, "net1"));
    }

    @Test
    void aPeerHeardOnlyOverSerialHasItsIpNetworksDownButIsNotUnreachable() {
        World world = new World(2, ip("net1", 1, 2), ip("net2", 1, 2), serial("tty12", 1, 2))
                .cut("net1").cut("net2");

        assertThat(world.seenFrom(1)).containsExactly(new NetworkDown("net1"), new NetworkDown("net2"), new NodeIpDown(2));
        assertThat(world.seenFrom(2)).containsExactly(new NetworkDown("net1"), new NetworkDown("net2"), new NodeIpDown(1));
    }

    @Test
    void aPeerHeardOnNothingIsOnlyUnreachable() {
        World world = new World(2, ip("net1", 1, 2), ip("net2", 1, 2), serial("tty12", 1, 2)).crash(2);

        assertThat(world.seenFrom(1)).containsExactly(new NodeUnreachable(2));
    }

    @Test
    void aCrashedNodeInALargerClusterIsOnlyUnreachable() {
        World world = new World(3, ip("net1", 1, 2, 3), ip("net2", 1, 2, 3)).crash(3);

        assertThat(world.seenFrom(1)).containsExactly(new NodeUnreachable(3));
        assertThat(world.seenFrom(2)).containsExactly(new NodeUnreachable(3));
    }

    @Test
    void aNodeThatCanReachNobodyReportsPeersUnreachableNotNetworksDown() {
        World world = new World(3, ip("net1", 1, 2, 3), ip("net2", 1, 2, 3))
                .killAdapter(1, "net1").killAdapter(1, "net2");

        assertThat(world.seenFrom(1)).containsExactly(new NodeUnreachable(2), new NodeUnreachable(3));
        assertThat(world.seenFrom(2)).containsExactly(new NodeUnreachable(1));
    }

    @Test
    void aNodeWhoseIpAdaptersAllDiedButWhoseSerialLineLivesIsAliveOffIp() {
        World world = new World(3, ip("net1", 1, 2, 3), ip("net2", 1, 2, 3), serial("tty13", 1, 3))
                .killAdapter(3, "net1").killAdapter(3, "net2");

        assertThat(world.seenFrom(1)).containsExactly(
                new RemoteAdapterDown(3, "net1"), new RemoteAdapterDown(3, "net2"), new NodeIpDown(3));
        // Node 2 has no non-IP path to node 3.
        assertThat(world.seenFrom(2)).containsExactly(new NodeUnreachable(3));
        // Node 1's reports reach node 3 over the serial line; node 1 being off IP is node 3's own doing.
        assertThat(world.seenFrom(3)).containsExactly(
                new LocalAdapterDown("net1"), new LocalAdapterDown("net2"), new NodeUnreachable(2));
    }

    @Test
    void claimsTheConfigurationDoesNotAllowCannotRaiseAConditionFalsely() {
        ClusterConfig config = config(3, ip("net1", 1, 2, 3), ip("net3", 2, 3), serial("tty12", 1, 2));
        Map<Integer, Set<String>> myHeard = Map.of(
                2, Set.of("net1", "tty12", "net3", "nope"),
                3, Set.of("net1", "tty12"),
                9, Set.of("net1"));
        List<ReachReport> reports = List.of(
                new ReachReport(1, Map.of(2, Set.of("net1"), 3, Set.of("net1"))), // this node's own hearing: myHeard decides
                new ReachReport(2, Map.of(1, Set.of("net1", "net3", "tty12"), 3, Set.of("net1", "net3"))),
                new ReachReport(3, Map.of(1, Set.of("net1"), 2, Set.of("net1", "net3"), 9, Set.of("net1"))));

        assertThat(PathClassifier.classify(1, config, myHeard, reports)).isEmpty();
    }

    @Test
    void claimsTheConfigurationDoesNotAllowCannotHideACondition() {
        ClusterConfig config = config(3, ip("net1", 1, 2, 3), ip("net3", 2, 3));
        Map<Integer, Set<String>> myHeard = Map.of(2, Set.of("net1"), 3, Set.of("net3", "nope"));
        List<ReachReport> reports = List.of(
                new ReachReport(1, Map.of(3, Set.of("net1"))),
                new ReachReport(2, Map.of(1, Set.of("net1"), 3, Set.of("net1", "net3"))));

        assertThat(PathClassifier.classify(1, config, myHeard, reports)).containsExactly(new NodeUnreachable(3));
    }

    @Test
    void conditionsIterateCausesFirstThenByNodeAndNetwork() {
        World world = new World(3, ip("net1", 1, 2, 3), ip("net2", 1, 2, 3), ip("net0", 1, 2), serial("tty13", 1, 3))
                .cut("net0").killAdapter(3, "net2").killAdapter(3, "net1");

        assertThat(world.seenFrom(1)).extracting(PathCondition::toString).containsExactly(
                "network net0 down",
                "node 3 adapter on net1 down",
                "node 3 adapter on net2 down",
                "node 3 heard only on non-IP paths: its IP networks are down");
    }

    private static NetworkSpec ip(String name, Integer... nodes) {
        return NetworkSpec.of(name, PathKind.IP, Set.of(nodes));
    }

    private static NetworkSpec serial(String name, int a, int b) {
        return NetworkSpec.of(name, PathKind.SERIAL, Set.of(a, b));
    }

    private static ClusterConfig config(int nodeCount, NetworkSpec... networks) {
        List<NodeSpec> nodes = new ArrayList<>();
        for (int id = 1; id <= nodeCount; id++) {
            nodes.add(NodeSpec.of(id, "node" + id));
        }
        return ClusterConfig.of("test", nodes, List.of(networks), Optional.empty(), Optional.empty(), false, Timing.DEFAULTS);
    }

    /**
     * The physical truth of a cluster: which networks are cut, which adapters and nodes are dead.
     * Each node's view follows from it as in the running system: it hears a peer on a network when
     * both adapters and the network work, and it has the reports of exactly the peers it hears,
     * because reports travel inside heartbeats.
     */
    private static final class World {
        private final ClusterConfig config;
        private final Set<String> cutNetworks = new HashSet<>();
        private final Set<String> deadAdapters = new HashSet<>();
        private final Set<Integer> crashedNodes = new HashSet<>();

        World(int nodeCount, NetworkSpec... networks) {
            this.config = config(nodeCount, networks);
        }

        World cut(String network) {
            cutNetworks.add(network);
            return this;
        }

        World killAdapter(int node, String network) {
            deadAdapters.add(node + "/" + network);
            return this;
        }

        World crash(int node) {
            crashedNodes.add(node);
            return this;
        }

        SortedSet<PathCondition> seenFrom(int self) {
            Map<Integer, Set<String>> myHeard = heardBy(self);
            List<ReachReport> reports = myHeard.keySet().stream().map(p -> new ReachReport(p, heardBy(p))).toList();
            return PathClassifier.classify(self, config, myHeard, reports);
        }

        private Map<Integer, Set<String>> heardBy(int listener) {
            Map<Integer, Set<String>> heard = new TreeMap<>();
            for (NetworkSpec network : config.networks().values()) {
                for (int speaker : network.nodeIds()) {
                    if (speaker != listener && works(listener, network) && works(speaker, network)) {
                        heard.computeIfAbsent(speaker, s -> new TreeSet<>()).add(network.name());
                    }
                }
            }
            return heard;
        }

        private boolean works(int node, NetworkSpec network) {
            return network.joins(node) && !cutNetworks.contains(network.name())
                    && !deadAdapters.contains(node + "/" + network.name()) && !crashedNodes.contains(node);
        }
    }
}
