package dev.baton.sim;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The shared data disk the services write to, with SCSI-3 "write exclusive, registrants only"
 * semantics: a storage fence removes a node's registration, after which its writes fail with a
 * reservation conflict until it registers again on rejoining a quorate membership. A node that
 * meets a conflict fails fast (ARCHITECTURE.md vocabulary, failfast). Counts what it accepted and
 * refused, so tests can see the fence bite.
 */
public final class SimSharedDisk {
    private final SortedSet<Integer> registered;
    private long acceptedWrites;
    private long refusedWrites;

    SimSharedDisk(Set<Integer> nodes) {
        this.registered = new TreeSet<>(nodes);
    }

    void preempt(int node) {
        registered.remove(node);
    }

    void register(int node) {
        registered.add(node);
    }

    /** A write from {@code node}: true when accepted, false on a reservation conflict. */
    boolean write(int node) {
        if (registered.contains(node)) {
            acceptedWrites++;
            return true;
        }
        refusedWrites++;
        return false;
    }

    public boolean isRegistered(int node) {
        return registered.contains(node);
    }

    public long acceptedWrites() {
        return acceptedWrites;
    }

    public long refusedWrites() {
        return refusedWrites;
    }
}
