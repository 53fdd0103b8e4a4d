package dev.baton.core.heartbeat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Turns successive classifications into events: a condition is reported DOWN once when it
 * appears and UP once when it clears, so a path failure is logged and acted on once, not on
 * every step. Mutable; one per node.
 */
public final class PathMonitor {
    private static final Comparator<PathCondition> BY_TEXT = Comparator.comparing(PathCondition::toString);

    private SortedSet<PathCondition> current = new TreeSet<>(PathCondition.ORDER);

    /**
     * Replaces the current conditions with {@code latest} and returns what changed: UP events for
     * the conditions that cleared first, then DOWN events for the new ones, so a condition that
     * turns into another (an adapter failure growing into an unreachable node) reads as the old one
     * clearing before the new one appears. Each group is sorted by text so the log reads the same
     * on every run.
     */
    public List<PathEvent> update(Set<PathCondition> latest) {
        SortedSet<PathCondition> next = new TreeSet<>(PathCondition.ORDER);
        next.addAll(latest);
        List<PathEvent> events = new ArrayList<>();
        difference(current, next).forEach(c -> events.add(PathEvent.up(c)));
        difference(next, current).forEach(c -> events.add(PathEvent.down(c)));
        current = next;
        return List.copyOf(events);
    }

    /** The conditions that hold since the last {@link #update}, in {@link PathCondition#ORDER}. */
    public Set<PathCondition> current() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(current));
    }

    private static List<PathCondition> difference(Set<PathCondition> from, Set<PathCondition> minus) {
        return from.stream().filter(c -> !minus.contains(c)).sorted(BY_TEXT).toList();
    }
}
