package dev.baton.core.membership;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Nodes left out of the membership that may still hold a lease, and when they surely run nothing.
 * Deadlines are on this node's <em>trusted</em> clock, which never counts a stall or a clock jump
 * as waiting (a jump forward must never shorten the wait for another node's lease to run out).
 * A node whose only clearance is a fence waits with {@link #FENCE_ONLY}.
 */
public final class Clearances {
    public static final long FENCE_ONLY = Long.MAX_VALUE;

    private final SortedMap<Integer, Long> clearAtTrustedNanos = new TreeMap<>();
    private long changes;

    /** Waits at least until {@code deadline}; an existing later deadline stays. */
    public void waitUntil(int node, long deadlineTrustedNanos) {
        clearAtTrustedNanos.merge(node, deadlineTrustedNanos, Math::max);
        changes++;
    }

    /** A fence (power, or storage plus the lease wait) or membership cleared the node. */
    public boolean clear(int node) {
        changes++;
        return clearAtTrustedNanos.remove(node) != null;
    }

    /** Removes and returns the nodes whose wait is over. */
    public SortedSet<Integer> expire(long trustedNowNanos) {
        SortedSet<Integer> done = new TreeSet<>();
        clearAtTrustedNanos.forEach((node, at) -> {
            if (at != FENCE_ONLY && trustedNowNanos >= at) {
                done.add(node);
            }
        });
        done.forEach(clearAtTrustedNanos::remove);
        changes += done.size();
        return done;
    }

    /** Counts modifications, so callers can cache what they derive from the pending set. */
    public long changes() {
        return changes;
    }

    public SortedSet<Integer> pending() {
        return new TreeSet<>(clearAtTrustedNanos.keySet());
    }

    public boolean isPending(int node) {
        return clearAtTrustedNanos.containsKey(node);
    }

    public Map<Integer, Long> deadlines() {
        return Collections.unmodifiableMap(clearAtTrustedNanos);
    }

    /** The earliest finite deadline, for the next wake-up; {@code Long.MAX_VALUE} when none. */
    public long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (long at : clearAtTrustedNanos.values()) {
            next = Math.min(next, at);
        }
        return next;
    }
}
