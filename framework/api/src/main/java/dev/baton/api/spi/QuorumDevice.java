package dev.baton.api.spi;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A tie-breaker worth N-1 votes (a SCSI-3 quorum disk, a quorum server). Blocking: only the
 * runtime or the simulator calls it, when the core emits a race, check or record effect; the
 * answer returns to the core as an input (ARCHITECTURE.md, rule 1).
 *
 * <p>Semantics every implementation must keep (the simulator's device has them, and the core's
 * safety argument in docs/design/membership.md relies on them):
 * <ul>
 * <li>Every connected node starts registered. {@link #race} on behalf of a membership that still
 *     holds a registration removes every other node's registration, registers the members, and
 *     is {@link RaceOutcome#WON}; a membership none of whose nodes is registered loses. Requests
 *     are serialized by the device: of two disjoint memberships, at most one wins.</li>
 * <li>{@link #holds} says whether a node is still registered and the last race the device
 *     granted was for the given epoch: any later race, even one that registers the node again,
 *     ends that epoch's hold (a node must never renew an old epoch's lease on a registration a
 *     newer membership gave it).</li>
 * <li>{@link #recordCommittedMembership} keeps the membership about to commit configuration,
 *     durably; {@link RaceResult#lastCommitted()} returns it (amnesia protection).</li>
 * </ul>
 */
public interface QuorumDevice extends AutoCloseable {
    /** The result of a race; {@link #UNKNOWN} (timeout, unreachable) counts as lost. */
    enum RaceOutcome { WON, LOST, UNKNOWN }

    /** The membership that last committed configuration, kept on the device against amnesia. */
    record CommittedMembership(long epochRound, int epochCoordinator, Set<Integer> nodeIds) {
        public CommittedMembership {
            nodeIds = Set.copyOf(nodeIds);
        }
    }

    /** What a race decided, the recorded committing membership, and whose registrations it removed. */
    record RaceResult(RaceOutcome outcome, Optional<CommittedMembership> lastCommitted, Set<Integer> preempted) {
        public RaceResult {
            preempted = Set.copyOf(preempted);
        }
    }

    String name();

    /** Claims the device for the membership {@code memberIds} of epoch {@code round.coordinator}. */
    RaceResult race(long epochRound, int epochCoordinator, Set<Integer> memberIds, Duration timeout) throws InterruptedException;

    /** Whether {@code nodeId} is registered and the last granted race was epoch {@code round.coordinator}'s; false when unreadable in time. */
    boolean holds(int nodeId, long epochRound, int epochCoordinator, Duration timeout) throws InterruptedException;

    /** Records the membership about to commit configuration; true once durable on the device. */
    boolean recordCommittedMembership(CommittedMembership membership, Duration timeout) throws InterruptedException;

    DeviceHealth check(Duration timeout) throws InterruptedException;

    @Override
    void close();
}
