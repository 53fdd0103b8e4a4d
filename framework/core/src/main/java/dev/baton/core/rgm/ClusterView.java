package dev.baton.core.rgm;

import dev.baton.core.membership.Epoch;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the membership layer tells the scheduler: the quorate membership and its epoch, which
 * departed nodes may still run something (not yet fenced, halted or past their lease), which
 * networks are down on which node, and which nodes a power fence can stop.
 */
public record ClusterView(Epoch epoch, SortedSet<Integer> members, Set<Integer> uncleared,
                          Map<Integer, Set<String>> networksDown, Set<Integer> powerFenceable) {

    public ClusterView {
        members = new TreeSet<>(members);
        uncleared = Set.copyOf(uncleared);
        networksDown = Map.copyOf(networksDown);
        powerFenceable = Set.copyOf(powerFenceable);
    }

    public static ClusterView of(Epoch epoch, Set<Integer> members) {
        return new ClusterView(epoch, new TreeSet<>(members), Set.of(), Map.of(), Set.of());
    }

    public boolean isMember(int node) {
        return members.contains(node);
    }

    public boolean networkDown(int node, String network) {
        return networksDown.getOrDefault(node, Set.of()).contains(network);
    }

    public ClusterView withUncleared(Set<Integer> nodes) {
        return new ClusterView(epoch, members, nodes, networksDown, powerFenceable);
    }
}
