package dev.baton.core;

import dev.baton.core.ccr.PreparedChange;
import dev.baton.core.ccr.Table;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.membership.Epoch;
import dev.baton.core.membership.Membership;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.core.rgm.Request;
import dev.baton.core.rgm.RgmSnapshot;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What nodes say to each other. The driver authenticates, encrypts and carries them; the core only
 * reads them. Every map and set is bounded by the number of configured nodes or tables; a table's
 * content is bounded by {@link Table#MAX_CONTENT_CHARS}. Protocols: docs/design/membership.md.
 */
public sealed interface Message {
    int from();

    /**
     * Sent every heartbeat interval on every path. Carries what the sender hears (per peer, per
     * network), the installed epoch, and its acknowledgements: for each member, the newest heartbeat
     * sequence it received from that member in the same epoch. Acknowledgements renew leases.
     */
    record Heartbeat(int from, Epoch epoch, long highestRound, long seq,
                     Map<Integer, Set<String>> heard, Map<Integer, Long> acks) implements Message {
    }

    /** The coordinator asks every node of {@code members} to accept epoch {@code epoch}. */
    record Propose(int from, Epoch epoch, Set<Integer> members) implements Message {
    }

    /**
     * A promise not to accept older epochs, with what the new coordinator needs: how long ago this
     * node last acknowledged each other node (trusted milliseconds), how long it still waits for
     * nodes left out earlier ({@link Commit#FENCE_REQUIRED} for a fence), and its configuration state.
     * {@code hasState}: the node booted with configuration on its disk or has since caught up in a
     * quorate epoch; a node without it cannot vouch for the newest configuration, so its vote does
     * not count toward forming a cluster.
     */
    record Accept(int from, Epoch epoch, Map<Integer, Long> ackAgeMs, Map<Integer, Long> pendingClearanceMs, boolean hasState,
                  Map<String, TableVersion> tables, Optional<PreparedChange> prepared, Set<TableVersion> rolledBack) implements Message {
    }

    /** The proposal is refused: the sender promised a newer epoch, or does not hear every proposed member. */
    record Reject(int from, Epoch epoch, Epoch promised, String reason) implements Message {
    }

    /**
     * The new membership. {@code clearanceWaitMs}: for each node left out, how long members must
     * wait before it surely runs nothing; {@link #FENCE_REQUIRED} means only a successful fence clears it.
     * {@code rollForward}: prepared changes to apply; other prepared changes roll back, and their
     * versions join {@code rolledBack}, which no member ever uses again (a copy applied by a node
     * that was away does not come back later).
     * {@code newest}/{@code holders}: the newest usable version of every table and a member holding it.
     */
    record Commit(int from, Membership membership, Map<Integer, Long> clearanceWaitMs, Set<String> rollForward,
                  Set<TableVersion> rolledBack, Map<String, TableVersion> newest, Map<String, Integer> holders) implements Message {
        public static final long FENCE_REQUIRED = -1;
    }

    /** The coordinator fenced {@code node}: members stop waiting for its lease to run out. */
    record Cleared(int from, Epoch epoch, int node) implements Message {
    }

    /** Phase one of a configuration change. */
    record Prepare(int from, Epoch epoch, PreparedChange change, TableVersion base) implements Message {
    }

    /** A member durably prepared (or refused, with a reason) a change. */
    record Prepared(int from, Epoch epoch, String txId, boolean ok, String reason) implements Message {
    }

    /** Phase two: apply the prepared change. */
    record CommitChange(int from, Epoch epoch, String txId) implements Message {
    }

    /** A member applied the change durably. */
    record Applied(int from, Epoch epoch, String txId) implements Message {
    }

    /** The coordinator gave up a change before anyone applied it. */
    record AbortChange(int from, Epoch epoch, String txId) implements Message {
    }

    /** Asks a member for its copy of a table. */
    record TableRequest(int from, String name) implements Message {
    }

    /** A copy of a table, checked by the receiver before use. */
    record TableReply(int from, Table table) implements Message {
    }

    // ---- resource group manager (docs/design/rgm.md) -----------------------------------------

    /**
     * The RGM coordinator of {@code epoch} asks a member to run a method. The member runs it only
     * while {@code epoch} is the newest it promised, and a start only under its own quorum lease.
     */
    record RgmAction(int from, Epoch epoch, long actionId, String resource, MethodName method) implements Message {
    }

    /**
     * The answer to {@link RgmAction}; {@code message} is bounded by {@link #MAX_TEXT_CHARS}.
     * {@code refused}: the action did not run (an epoch this node no longer serves, a full queue).
     */
    record RgmResult(int from, Epoch epoch, long actionId, ResultCode code, boolean refused, String message) implements Message {
    }

    /** A member's own periodic probe of a resource it runs found a change. */
    record RgmMonitor(int from, Epoch epoch, String resource, ResultCode code, String message) implements Message {
    }

    /** The coordinator's replicated view: resource states, failure history as ages, the operator's wishes. */
    record RgmStatus(int from, Epoch epoch, RgmSnapshot snapshot) implements Message {
    }

    /**
     * The coordinator of {@code epoch} tells a member to halt (fail fast): a stop failed there under
     * Failover_mode HARD and no power fence reaches it. Obeyed only while {@code epoch} is the newest
     * the member promised.
     */
    record RgmHalt(int from, Epoch epoch, String reason) implements Message {
    }

    /**
     * A member's agent last served another coordinator, or none since its daemon started: what
     * this coordinator believes runs there may have changed behind its back (a reboot the
     * membership never saw, another partition's coordinator acting on it). The coordinator
     * probes the node again.
     */
    record RgmHello(int from, Epoch epoch) implements Message {
    }

    /** An operator request forwarded to the coordinator. */
    record RgmRequest(int from, long requestId, Request request) implements Message {
    }

    /** The coordinator's answer to {@link RgmRequest}: empty when accepted, else why not. */
    record RgmReply(int from, long requestId, Optional<String> refusal) implements Message {
    }

    /** Longest free text a message carries; longer text is cut. */
    int MAX_TEXT_CHARS = 512;
}
