package dev.baton.core;

import dev.baton.core.ccr.PreparedChange;
import dev.baton.core.ccr.Table;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.membership.Epoch;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything that reaches a node's core, always with the current monotonic time alongside
 * ({@link NodeCore#step}). Results of effects come back as inputs: the core never waits.
 */
public sealed interface Input {
    /** Time passed; sent at least when the previous batch's {@link Effects#wakeAtNanos()} is due. */
    record Tick() implements Input {
    }

    /**
     * The first input after the daemon (re)starts: what the disk held, unchecked (the core
     * verifies): the promise, the tables, a prepared change, and the versions rolled back for good.
     */
    record Boot(Epoch promised, List<Table> tables, Optional<PreparedChange> prepared, Set<TableVersion> rolledBack) implements Input {
        public Boot {
            rolledBack = Set.copyOf(rolledBack);
        }

        public static Boot empty() {
            return new Boot(Epoch.NONE, List.of(), Optional.empty(), Set.of());
        }
    }

    /** A message from a peer, already authenticated, and the path it came over. */
    record Received(Message message, String network) implements Input {
    }

    /**
     * The quorum device's answer to {@link Effect.RaceDevice}: the outcome, the membership the
     * device recorded as last committing configuration, and whose registrations the race removed
     * (for the log: the core waits out every other connected node after a win regardless).
     */
    record DeviceRaceResult(Epoch epoch, RaceOutcome outcome, Optional<CommittedRecord> lastCommitted,
                            Set<Integer> preempted) implements Input {
    }

    /**
     * The answer to {@link Effect.CheckDevice}: whether this node was still registered and the
     * device's last granted race was still {@code epoch}'s.
     */
    record DeviceCheckResult(long issuedAtNanos, Epoch epoch, boolean holds) implements Input {
    }

    /** The answer to {@link Effect.RecordCommittedMembership}. */
    record DeviceRecordResult(Epoch epoch, boolean durable) implements Input {
    }

    /** The answer to {@link Effect.Fence}. */
    record FenceResult(int node, boolean fenced, String detail) implements Input {
    }

    /** An operator or tool asks to change a configuration table. */
    record ProposeChange(long requestId, String table, String content) implements Input {
    }

    /**
     * The operator accepts the risk of amnesia: form even though no member of the membership that
     * last committed configuration is present, and count the votes of nodes that lost their
     * configuration. Lasts until the next formation succeeds.
     */
    record OverrideAmnesia() implements Input {
    }

    /**
     * A method the core asked for ({@link Effect.RunMethod}) finished, or was refused by the driver
     * (a start whose lease deadline passed before it ran comes back FAILED, saying so).
     */
    record MethodDone(long runId, dev.baton.api.method.ResultCode code, String message) implements Input {
    }

    /** An operator asks the resource group manager for something; answered by {@link Event.RgmRequestAnswered}. */
    record RgmCommand(long requestId, dev.baton.core.rgm.Request request) implements Input {
    }

    /** A device race's outcome; UNKNOWN (timeout, unreachable) counts as lost. */
    enum RaceOutcome { WON, LOST, UNKNOWN }

    /** The membership the device recorded as having last committed configuration. */
    record CommittedRecord(Epoch epoch, Set<Integer> members) {
        public CommittedRecord {
            members = Set.copyOf(members);
        }
    }
}
