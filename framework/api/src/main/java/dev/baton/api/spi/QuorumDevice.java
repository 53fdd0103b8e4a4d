package dev.baton.api.spi;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A tie-breaker worth N-1 votes (a SCSI-3 quorum disk, a quorum server). Blocking: only the
 * runtime or the simulator calls it, when the core emits a race effect; the outcome returns to
 * the core as an input (ARCHITECTURE.md, rule 1). Its implementations come with the core,
 * daemon and storage issues, which may extend it.
 */
public interface QuorumDevice extends AutoCloseable {
    /** The result of a race; {@link #UNKNOWN} (timeout, unreachable) counts as lost. */
    enum RaceOutcome { WON, LOST, UNKNOWN }

    /** The membership that last committed configuration, kept on the device against amnesia. */
    record CommittedMembership(long epoch, Set<Integer> nodeIds) {
        public CommittedMembership {
            nodeIds = Set.copyOf(nodeIds);
        }
    }

    String name();

    /** Claims the device for the partition of {@code memberIds} at {@code epoch}. */
    RaceOutcome race(long epoch, Set<Integer> memberIds, Duration timeout) throws InterruptedException;

    /** Records the membership that committed configuration at {@code epoch}; true once durable on the device. */
    boolean recordCommittedMembership(CommittedMembership membership, Duration timeout) throws InterruptedException;

    /** Reads the recorded membership; empty when none was recorded or the device could not be read. */
    Optional<CommittedMembership> committedMembership(Duration timeout) throws InterruptedException;

    DeviceHealth check(Duration timeout) throws InterruptedException;

    @Override
    void close();
}
