package dev.baton.core.heartbeat;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One node's record of when it last heard each peer on each heartbeat path, and which of those
 * links are fresh now. Mutable; one per node, fed by the driver with every heartbeat received.
 *
 * <p>A link is fresh while {@code nowNanos - lastHeardNanos <= detectionMs} (in nanoseconds): a
 * heartbeat exactly at the detection threshold still counts, one nanosecond later it does not.
 * Times are monotonic nanoseconds from the caller, compared by subtraction only, because a
 * monotonic origin is arbitrary and may sit anywhere in the {@code long} range.
 *
 * <p>The table holds at most one entry per configured (peer, network) pair, so its size is bounded
 * by the configuration; heartbeats naming anything else are ignored rather than stored.
 */
public final class LinkTable {
    private final int selfId;
    private final ClusterConfig config;
    private final long detectionNanos;
    private final SortedMap<Integer, SortedMap<String, Long>> lastHeardNanos = new TreeMap<>();

    public LinkTable(int selfId, ClusterConfig config) {
        config.node(selfId); // fails fast on a node id the configuration does not know
        this.selfId = selfId;
        this.config = config;
        this.detectionNanos = Duration.ofMillis(config.timing().detectionMs()).toNanos();
    }

    /** Records a heartbeat from {@code peer} on {@code network}; ignored unless both ends are configured on it. */
    public void heard(int peer, String network, long nowNanos) {
        if (!isConfiguredLink(peer, network)) {
            return;
        }
        // Heartbeats may be handed over out of order; the newest one decides freshness.
        lastHeardNanos.computeIfAbsent(peer, p -> new TreeMap<>()).merge(network, nowNanos, LinkTable::later);
    }

    /** The networks on which the last heartbeat from {@code peer} is still fresh, sorted by name. */
    public Set<String> networksHearing(int peer, long nowNanos) {
        SortedSet<String> fresh = new TreeSet<>();
        lastHeardNanos.getOrDefault(peer, Collections.emptySortedMap()).forEach((network, lastNanos) -> {
            if (isFresh(lastNanos, nowNanos)) {
                fresh.add(network);
            }
        });
        return Collections.unmodifiableSortedSet(fresh);
    }

    /** Whether the last heartbeat from {@code peer} on {@code network} is fresh; cheap, for the hot path. */
    public boolean isFresh(int peer, String network, long nowNanos) {
        Long last = lastHeardNanos.getOrDefault(peer, Collections.emptySortedMap()).get(network);
        return last != null && isFresh(last, nowNanos);
    }

    /** Whether {@code peer} is heard fresh on any network. */
    public boolean hears(int peer, long nowNanos) {
        for (long last : lastHeardNanos.getOrDefault(peer, Collections.emptySortedMap()).values()) {
            if (isFresh(last, nowNanos)) {
                return true;
            }
        }
        return false;
    }

    /** The peers heard fresh on at least one network, sorted by id. */
    public Set<Integer> reachablePeers(long nowNanos) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(snapshot(nowNanos).keySet()));
    }

    /** Peer → networks it is heard fresh on, for every peer heard fresh on at least one; sorted throughout. */
    public Map<Integer, Set<String>> snapshot(long nowNanos) {
        SortedMap<Integer, Set<String>> fresh = new TreeMap<>();
        for (int peer : lastHeardNanos.keySet()) {
            Set<String> networks = networksHearing(peer, nowNanos);
            if (!networks.isEmpty()) {
                fresh.put(peer, networks);
            }
        }
        return Collections.unmodifiableSortedMap(fresh);
    }

    /**
     * The earliest instant after {@code nowNanos} at which a link fresh now turns stale, so the
     * driver knows when to step again without polling; {@link Long#MAX_VALUE} if no link is fresh.
     */
    public long nextChangeNanos(long nowNanos) {
        long soonestDelayNanos = Long.MAX_VALUE;
        for (SortedMap<String, Long> byNetwork : lastHeardNanos.values()) {
            for (long lastNanos : byNetwork.values()) {
                if (isFresh(lastNanos, nowNanos)) {
                    // Stale at the first instant where now - last exceeds the threshold.
                    long delayNanos = detectionNanos + 1 - (nowNanos - lastNanos);
                    soonestDelayNanos = Math.min(soonestDelayNanos, delayNanos);
                }
            }
        }
        return soonestDelayNanos == Long.MAX_VALUE ? Long.MAX_VALUE : nowNanos + soonestDelayNanos;
    }

    /** Drops everything heard from {@code peer}, e.g. once it has left the membership or been fenced. */
    public void forget(int peer) {
        lastHeardNanos.remove(peer);
    }

    private boolean isConfiguredLink(int peer, String network) {
        if (peer == selfId || !config.nodeIds().contains(peer)) {
            return false;
        }
        NetworkSpec spec = network == null ? null : config.networks().get(network);
        return spec != null && spec.joins(peer) && spec.joins(selfId);
    }

    private boolean isFresh(long lastNanos, long nowNanos) {
        return nowNanos - lastNanos <= detectionNanos;
    }

    private static long later(long aNanos, long bNanos) {
        return aNanos - bNanos >= 0 ? aNanos : bNanos;
    }
}
