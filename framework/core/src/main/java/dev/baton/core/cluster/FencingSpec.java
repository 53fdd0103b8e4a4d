package dev.baton.core.cluster;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A fencing device and the nodes it can fence. {@link Scope#POWER} stops the node; {@link Scope#STORAGE}
 * only cuts it off from the disks, so it never counts as "the node runs nothing" (ARCHITECTURE.md rule 3).
 */
public record FencingSpec(String name, Scope scope, SortedSet<Integer> coveredNodeIds) {
    public enum Scope { POWER, STORAGE }

    public FencingSpec {
        coveredNodeIds = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(coveredNodeIds));
    }

    public static FencingSpec of(String name, Scope scope, Set<Integer> coveredNodeIds) {
        return new FencingSpec(name, scope, new TreeSet<>(coveredNodeIds));
    }

    public boolean powerFences(int nodeId) {
        return scope == Scope.POWER && coveredNodeIds.contains(nodeId);
    }
}
