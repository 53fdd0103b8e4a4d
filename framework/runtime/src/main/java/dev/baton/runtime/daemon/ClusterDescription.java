package dev.baton.runtime.daemon;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.QuorumDeviceSpec;
import dev.baton.core.cluster.Timing;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Everything the daemon needs to know about the cluster's shape: what the core needs
 * ({@link #config()}) plus how to reach each node on each path. It is the content of the CCR
 * table {@value ClusterDescriptionText#TABLE}, so every node reads the same one.
 *
 * @param networks    every heartbeat path in the order written; IP networks carry reliable
 *                    messages too, tried in this order
 * @param quorumDevice the quorum server, when configured
 */
public record ClusterDescription(ClusterConfig config, List<Path> networks, Optional<QuorumServer> quorumDevice) {
    public ClusterDescription {
        networks = List.copyOf(networks);
    }

    /**
     * One heartbeat path. For an IP network, {@code endpoints} maps node id to the adapter address
     * it binds (UDP heartbeats and TCP messages on {@code port}); for a serial line, node id to the
     * tty device. {@code settings} are passed to the path's plugin (e.g. {@code speed}).
     */
    public record Path(String name, PathKind kind, int port, SortedMap<Integer, String> endpoints,
                       Map<String, String> settings) {
        public Path {
            endpoints = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(endpoints));
            settings = Map.copyOf(settings);
        }

        public NetworkSpec spec() {
            return NetworkSpec.of(name, kind, endpoints.keySet());
        }

        public Optional<InetSocketAddress> socketOf(int node) {
            String address = endpoints.get(node);
            return kind == PathKind.IP && address != null
                    ? Optional.of(new InetSocketAddress(address, port)) : Optional.empty();
        }
    }

    /** A quorum server (docs/design/quorum-server.md) and the nodes configured as connected to it. */
    public record QuorumServer(String name, InetSocketAddress address, java.util.SortedSet<Integer> nodes) {
        public QuorumDeviceSpec spec() {
            return QuorumDeviceSpec.of(name, nodes);
        }
    }

    public String clusterName() {
        return config.clusterName();
    }

    public List<Path> ipNetworks() {
        return networks.stream().filter(p -> p.kind() == PathKind.IP).toList();
    }

    public List<Path> pathsOf(int node) {
        return networks.stream().filter(p -> p.endpoints().containsKey(node)).toList();
    }

    static ClusterConfig configOf(String name, List<NodeSpec> nodes, List<Path> networks,
                                  Optional<QuorumServer> quorum, Timing timing) {
        return ClusterConfig.of(name, nodes, networks.stream().map(Path::spec).toList(),
                quorum.map(QuorumServer::spec), Optional.empty(), false, timing);
    }
}
