package dev.baton.core.heartbeat;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code reporter} says it hears: for each peer, the networks on which its heartbeats reach
 * the reporter fresh. Reports travel inside heartbeats, so a node learns how its peers hear each
 * other over whichever path still works; the caller passes only reports that are themselves fresh.
 *
 * <p>The map is copied into sorted, unmodifiable collections so that equal reports iterate alike.
 */
public record ReachReport(int reporter, Map<Integer, Set<String>> heard) {
    public ReachReport {
        SortedMap<Integer, Set<String>> copy = new TreeMap<>();
        heard.forEach((peer, networks) -> copy.put(peer, Collections.unmodifiableSortedSet(new TreeSet<>(networks))));
        heard = Collections.unmodifiableSortedMap(copy);
    }

    /** The networks on which the reporter hears {@code peer}; empty if it does not hear it. */
    public Set<String> networksHearing(int peer) {
        return heard.getOrDefault(peer, Set.of());
    }
}
