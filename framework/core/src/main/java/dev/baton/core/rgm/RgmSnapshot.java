package dev.baton.core.rgm;

import java.util.List;
import java.util.Map;

/**
 * What the coordinator replicates to members (ARCHITECTURE.md rule 5): resource states for any
 * node to show, failure history as ages (never timestamps: clocks differ between nodes), and the
 * operator's wishes. A new coordinator takes the history and the wishes from the last snapshot it
 * received and probes for the states itself. Bounded: at most {@link #MAX_ENTRIES} state and
 * failure entries each (states beyond are left out and {@code statesTruncated} says so).
 */
public record RgmSnapshot(List<StateEntry> states, boolean statesTruncated, List<FailureEntry> failures,
                          List<GroupEntry> groups, Map<Integer, Long> evacuatedForMs) {
    public static final int MAX_ENTRIES = 8192;

    public RgmSnapshot {
        states = List.copyOf(states);
        failures = List.copyOf(failures);
        groups = List.copyOf(groups);
        evacuatedForMs = Map.copyOf(evacuatedForMs);
    }

    /** A resource's state on a node other than OFFLINE. */
    public record StateEntry(String resource, int node, ResourceState state) {
    }

    /** Ages of a resource's recent failures on a node, oldest first. */
    public record FailureEntry(String resource, int node, List<Long> agesMs) {
        public FailureEntry {
            agesMs = List.copyOf(agesMs);
        }
    }

    /**
     * A group's administrative state and, per node, how long ago it failed there.
     * {@code switchoverPending}: the switchover to {@code pinnedNode} has not happened yet, so a
     * new coordinator still carries it out.
     */
    public record GroupEntry(String group, boolean wantedOnline, boolean managed, boolean suspended, int pinnedNode,
                             boolean switchoverPending, Map<Integer, Long> failedAgesMs) {
        public GroupEntry {
            failedAgesMs = Map.copyOf(failedAgesMs);
        }
    }
}
