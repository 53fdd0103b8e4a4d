package dev.baton.core.heartbeat;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.heartbeat.PathCondition.LocalAdapterDown;
import dev.baton.core.heartbeat.PathCondition.NetworkDown;
import dev.baton.core.heartbeat.PathCondition.NodeIpDown;
import dev.baton.core.heartbeat.PathCondition.NodeUnreachable;
import dev.baton.core.heartbeat.PathCondition.RemoteAdapterDown;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Tells path failures apart from one node's point of view, the way HACMP does: which of its own
 * adapters, which peers' adapters, which whole networks are down, and which peers are gone
 * altogether. A pure function of what this node hears and what its peers report hearing.
 *
 * <p>"Known" means from {@code myHeard} for this node and from a fresh {@link ReachReport} for any
 * other. Two nodes hear each other on a network if either one is known to hear the other on it.
 * Only claims the configuration allows count: both nodes configured on that network, and a
 * report about this node's own hearing is ignored because {@code myHeard} is the authority on it.
 *
 * <ul>
 *   <li>{@link NodeUnreachable}: a configured peer heard on no path at all.
 *   <li>{@link NetworkDown}: a network of two or more nodes on which no known pair hears each
 *       other, while at least two of its nodes are alive from here (this node if it is on it, and
 *       peers heard on any path). If only this node is alive, the others are unreachable instead.
 *   <li>{@link LocalAdapterDown}: this node is on the network and hears no peer on it, other
 *       nodes are known to hear each other on it, and this node hears some peer on another path.
 *   <li>{@link RemoteAdapterDown}: a peer heard on some path that no known node hears on the
 *       network, while a pair not involving that peer hears each other on it. When this node's
 *       own adapter is down, that pair is necessarily known from another node's report, so this
 *       node's own deafness never counts as evidence against the peer.
 *   <li>{@link NodeIpDown}: a peer heard only on serial or disk paths although it shares an IP
 *       network with this node on which this node's adapter is not itself down. It is alive, so it
 *       must not be failed over; its IP networks are reported down instead.
 * </ul>
 */
public final class PathClassifier {

    private PathClassifier() {
    }

    /** Every condition that holds now from {@code self}'s point of view, in {@link PathCondition#ORDER}. */
    public static SortedSet<PathCondition> classify(int self, ClusterConfig config, Map<Integer, Set<String>> myHeard,
                                                    Collection<ReachReport> freshReports) {
        Evidence evidence = Evidence.gather(self, config, myHeard, freshReports);
        SortedSet<PathCondition> conditions = new TreeSet<>(PathCondition.ORDER);
        for (NetworkSpec network : config.networks().values()) {
            conditions.addAll(networkConditions(evidence, network));
        }
        // Node conditions come second: whether a peer's IP side is down depends on whether our own adapters are.
        for (int peer : config.nodeIds()) {
            if (peer != self) {
                conditions.addAll(nodeConditions(evidence, peer, conditions));
            }
        }
        return Collections.unmodifiableSortedSet(conditions);
    }

    private static List<PathCondition> networkConditions(Evidence evidence, NetworkSpec network) {
        if (network.nodeIds().size() < 2) {
            return List.of();
        }
        if (!evidence.anyPairHears(network.name())) {
            return evidence.aliveCount(network) >= 2 ? List.of(new NetworkDown(network.name())) : List.of();
        }
        List<PathCondition> found = new ArrayList<>();
        if (isLocalAdapterDown(evidence, network)) {
            found.add(new LocalAdapterDown(network.name()));
        }
        for (int node : network.nodeIds()) {
            if (isRemoteAdapterDown(evidence, network, node)) {
                found.add(new RemoteAdapterDown(node, network.name()));
            }
        }
        return found;
    }

    private static boolean isLocalAdapterDown(Evidence evidence, NetworkSpec network) {
        return network.joins(evidence.self)
                && !evidence.hearsAnyPeerOn(network.name())
                && evidence.anyPairHearsWithout(network.name(), evidence.self)
                && evidence.hearsAnyPeer();
    }

    private static boolean isRemoteAdapterDown(Evidence evidence, NetworkSpec network, int node) {
        return node != evidence.self
                && evidence.hears(node)
                && !evidence.anyoneHears(network.name(), node)
                && evidence.anyPairHearsWithout(network.name(), node);
    }

    private static List<PathCondition> nodeConditions(Evidence evidence, int peer, Set<PathCondition> networkConditions) {
        if (!evidence.hears(peer)) {
            return List.of(new NodeUnreachable(peer));
        }
        if (evidence.hearsOnlyOffIp(peer) && sharesWorkingIpNetwork(evidence, peer, networkConditions)) {
            return List.of(new NodeIpDown(peer));
        }
        return List.of();
    }

    /**
     * Whether {@code peer} shares an IP network with this node on which this node's own adapter is
     * not down: only then does hearing the peer off IP say something about the peer's IP side
     * rather than about this node's (or about a configuration that never joined them over IP).
     */
    private static boolean sharesWorkingIpNetwork(Evidence evidence, int peer, Set<PathCondition> networkConditions) {
        return evidence.config.networks().values().stream()
                .filter(n -> n.kind().isIp() && n.joins(evidence.self) && n.joins(peer))
                .anyMatch(n -> !networkConditions.contains(new LocalAdapterDown(n.name())));
    }

    /** Who is known to hear whom on which network, with every claim the configuration forbids dropped. */
    private static final class Evidence {
        private record Link(int listener, int speaker) {
        }

        private final int self;
        private final ClusterConfig config;
        private final Map<Integer, Set<String>> mine = new HashMap<>();
        private final Map<String, Set<Link>> linksByNetwork = new HashMap<>();

        private Evidence(int self, ClusterConfig config) {
            this.self = self;
            this.config = config;
        }

        static Evidence gather(int self, ClusterConfig config, Map<Integer, Set<String>> myHeard,
                               Collection<ReachReport> freshReports) {
            Evidence evidence = new Evidence(self, config);
            myHeard.forEach((peer, networks) -> networks.forEach(n -> evidence.addMine(peer, n)));
            for (ReachReport report : freshReports) {
                if (report.reporter() != self) {
                    report.heard().forEach((peer, networks) ->
                            networks.forEach(n -> evidence.addLink(report.reporter(), peer, n)));
                }
            }
            return evidence;
        }

        private void addMine(int peer, String network) {
            if (addLink(self, peer, network)) {
                mine.computeIfAbsent(peer, p -> new HashSet<>()).add(network);
            }
        }

        private boolean addLink(int listener, int speaker, String network) {
            NetworkSpec spec = config.networks().get(network);
            if (listener == speaker || spec == null || !spec.joins(listener) || !spec.joins(speaker)) {
                return false;
            }
            linksByNetwork.computeIfAbsent(network, n -> new HashSet<>()).add(new Link(listener, speaker));
            return true;
        }

        boolean hears(int peer) {
            return mine.containsKey(peer);
        }

        boolean hearsAnyPeer() {
            return !mine.isEmpty();
        }

        boolean hearsAnyPeerOn(String network) {
            return mine.values().stream().anyMatch(networks -> networks.contains(network));
        }

        boolean hearsOnlyOffIp(int peer) {
            return mine.getOrDefault(peer, Set.of()).stream()
                    .noneMatch(n -> config.networks().get(n).kind().isIp());
        }

        boolean anyPairHears(String network) {
            return !links(network).isEmpty();
        }

        boolean anyPairHearsWithout(String network, int node) {
            return links(network).stream().anyMatch(l -> l.listener() != node && l.speaker() != node);
        }

        boolean anyoneHears(String network, int speaker) {
            return links(network).stream().anyMatch(l -> l.speaker() == speaker);
        }

        /** This node if it is on the network, plus the network's peers this node hears on any path. */
        long aliveCount(NetworkSpec network) {
            return network.nodeIds().stream().filter(n -> n == self || hears(n)).count();
        }

        private Set<Link> links(String network) {
            return linksByNetwork.getOrDefault(network, Set.of());
        }
    }
}
