package dev.baton.core;

import dev.baton.core.ccr.PreparedChange;
import dev.baton.core.ccr.Table;
import dev.baton.core.membership.Epoch;
import java.util.Optional;
import java.util.Set;

/**
 * What the core asks its driver to do. A batch ({@link Effects}) is performed in the order of
 * {@link #rank()}:
 * <ol start="0">
 * <li>{@link Failfast}: a node that knows it is wrong stops before it says or does anything else;
 *     the driver kills the resource process trees and drops the rest of the batch.</li>
 * <li>Persist: a promise, a prepared or an applied change is durable before any message claims it
 *     (an Accept after its promise, Prepared after the prepare, Applied after the table).</li>
 * <li>Send and broadcast.</li>
 * <li>Device and fence requests; each result comes back as an input, so nothing that depends on
 *     one is in the same batch.</li>
 * <li>{@link ArmGuard}: the guard learns the lease deadline before anything is started under it.</li>
 * <li>{@link RunMethod}: a resource method, after the guard knows the deadline it runs under.</li>
 * <li>{@link Notify}: the log and the operator hear about it last, when the facts are durable.</li>
 * </ol>
 */
public sealed interface Effect {
    int rank();

    /** Kill every resource process tree and remove addresses now; never run stop methods (rule 3). */
    record Failfast(String reason) implements Effect {
        public int rank() { return 0; }
    }

    /** Store the highest promised epoch before the Accept that promises it leaves. */
    record PersistPromise(Epoch promised) implements Effect {
        public int rank() { return 1; }
    }

    /** Store a committed table atomically with its checksum. */
    record PersistTable(Table table) implements Effect {
        public int rank() { return 1; }
    }

    /** Store (or, when empty, delete) the prepared change. */
    record PersistPrepared(Optional<PreparedChange> prepared) implements Effect {
        public int rank() { return 1; }
    }

    /** Store the versions rolled back for good, so a copy of one that comes back is never used. */
    record PersistRolledBack(java.util.SortedSet<dev.baton.core.ccr.TableVersion> rolledBack) implements Effect {
        public int rank() { return 1; }
    }

    /** Send a message to one node over any path that can carry it. */
    record Send(int to, Message message) implements Effect {
        public int rank() { return 2; }
    }

    /** Send a heartbeat to every node on one path. */
    record Broadcast(String network, Message message) implements Effect {
        public int rank() { return 2; }
    }

    /** Race for the quorum device on behalf of {@code members}; answered by {@link Input.DeviceRaceResult}. */
    record RaceDevice(Epoch epoch, Set<Integer> members) implements Effect {
        public int rank() { return 3; }
    }

    /**
     * Read whether this node is still registered and the device's last granted race is still
     * {@code epoch}'s: a later race, even one that registers this node again, ends the device's
     * votes for this epoch. Answered by {@link Input.DeviceCheckResult}.
     */
    record CheckDevice(long issuedAtNanos, Epoch epoch) implements Effect {
        public int rank() { return 3; }
    }

    /** Record on the device the membership that is about to commit configuration; answered by {@link Input.DeviceRecordResult}. */
    record RecordCommittedMembership(Epoch epoch, Set<Integer> members) implements Effect {
        public int rank() { return 3; }
    }

    /** Fence a node; answered by {@link Input.FenceResult}. */
    record Fence(int node, String reason) implements Effect {
        public int rank() { return 3; }
    }

    /**
     * Tell the guard process the lease deadline (this node's monotonic clock). When it passes
     * without a newer one, the guard kills everything (rule 3), even if the daemon is dead or stalled.
     */
    record ArmGuard(long leaseDeadlineNanos) implements Effect {
        public int rank() { return 4; }
    }

    /**
     * Run a resource method; answered by {@link Input.MethodDone} with the same {@code runId}. A
     * start carries the lease deadline under which it was decided (this node's monotonic clock):
     * the driver checks it just before the method runs and refuses the start once it has passed
     * (ARCHITECTURE.md rule 4); other methods carry {@code Long.MAX_VALUE}. {@code timeoutMs} is
     * the method's own timeout, which the method runtime enforces.
     */
    record RunMethod(long runId, String resource, String type, dev.baton.api.type.MethodName method,
                     java.util.Map<String, String> properties, long timeoutMs, long leaseDeadlineNanos) implements Effect {
        public int rank() { return 5; }
    }

    /** Something the log or the operator should hear. */
    record Notify(Event event) implements Effect {
        public int rank() { return 6; }
    }
}
