package dev.baton.core.cluster;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A quorum device and the nodes configured as connected to it. It is worth N-1 votes, N being the
 * votes of those nodes (ARCHITECTURE.md, vocabulary).
 */
public record QuorumDeviceSpec(String name, SortedSet<Integer> connectedNodeIds) {
    public QuorumDeviceSpec {
        connectedNodeIds = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(connectedNodeIds));
    }

    public static QuorumDeviceSpec of(String name, Set<Integer> connectedNodeIds) {
        return new QuorumDeviceSpec(name, new TreeSet<>(connectedNodeIds));
    }
}
