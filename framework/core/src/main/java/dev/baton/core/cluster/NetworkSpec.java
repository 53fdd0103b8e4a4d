package dev.baton.core.cluster;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** A heartbeat path joining adapters of several nodes: an IP network, a serial line or a shared disk. */
public record NetworkSpec(String name, PathKind kind, SortedSet<Integer> nodeIds) {
    public NetworkSpec {
        nodeIds = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(nodeIds));
    }

    public static NetworkSpec of(String name, PathKind kind, Set<Integer> nodeIds) {
        return new NetworkSpec(name, kind, new TreeSet<>(nodeIds));
    }

    public boolean joins(int nodeId) {
        return nodeIds.contains(nodeId);
    }
}
