package dev.baton.runtime.quorum;

import dev.baton.runtime.wire.ClusterKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How a {@link QuorumServer} runs.
 *
 * @param listen         address and port to bind (port 0: an ephemeral port, see {@link QuorumServer#address()})
 * @param stateDir       where the per-cluster records and the server's incarnation are kept (created 0700)
 * @param clusters       the clusters served, by name, each with its own key
 * @param maxConnections connections served at once; more are closed at once (each node keeps one)
 * @param idleTimeout    a connection silent for this long is closed (clients reconnect)
 */
public record QuorumServerConfig(InetSocketAddress listen, Path stateDir, SortedMap<String, ClusterKey> clusters,
                                 int maxConnections, Duration idleTimeout) {
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);

    public QuorumServerConfig {
        clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("a quorum server serves at least one cluster");
        }
        clusters.keySet().forEach(QuorumServerConfig::checkName);
        checkDistinctKeys(clusters);
        if (maxConnections < 1 || maxConnections > 65_536) {
            throw new IllegalArgumentException("maxConnections " + maxConnections + " is outside 1..65536");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("idleTimeout " + idleTimeout + " must be positive and under 24 days");
        }
    }

    public static QuorumServerConfig of(InetSocketAddress listen, Path stateDir, Map<String, ClusterKey> clusters) {
        return new QuorumServerConfig(listen, stateDir, new TreeMap<>(clusters), DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT);
    }

    private static void checkName(String name) {
        if (!QuorumProtocol.CLUSTER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("cluster name '" + name + "' must match " + QuorumProtocol.CLUSTER_NAME.pattern());
        }
    }

    /**
     * The server seals every cluster's replies as sender 0 under one incarnation: two clusters
     * sharing a key would repeat AES-GCM nonces, which breaks both secrecy and authenticity.
     */
    private static void checkDistinctKeys(SortedMap<String, ClusterKey> clusters) {
        Map<ClusterKey, String> seen = new java.util.HashMap<>();
        clusters.forEach((name, key) -> {
            String other = seen.putIfAbsent(key, name);
            if (other != null) {
                throw new IllegalArgumentException("clusters " + other + " and " + name + " use the same key; give each cluster its own");
            }
        });
    }
}
