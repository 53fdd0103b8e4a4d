package dev.baton.core;

import dev.baton.core.ccr.TableVersion;
import dev.baton.core.heartbeat.PathEvent;
import dev.baton.core.membership.Membership;

/** Notifications out of the core, for the RGM, the log and the operator. */
public sealed interface Event {
    /** This node installed a new membership. */
    record MembershipChanged(Membership membership) implements Event {
    }

    /** An adapter, network or node changed condition (heartbeat failure classification). */
    record PathChanged(PathEvent event) implements Event {
    }

    /** A lost node surely runs nothing any more: its work may start elsewhere. */
    record NodeCleared(int node, String how) implements Event {
    }

    /** A formation was refused quorum, with the reason (amnesia, lost race, too few votes). */
    record FormationRefused(String reason) implements Event {
    }

    /** The event loop was not stepped for longer than allowed. */
    record Stalled(long gapMs) implements Event {
    }

    record FenceFailed(int node, String detail) implements Event {
    }

    /** Every member applied the change durably. */
    record ChangeCommitted(long requestId, String table, TableVersion version) implements Event {
    }

    /** The change was refused or rolled back; nothing was applied anywhere. */
    record ChangeFailed(long requestId, String reason) implements Event {
    }

    /**
     * The coordinator applied the change but the membership changed before every member confirmed:
     * it stays if any member of the new membership applied it, else it is rolled back for good.
     */
    record ChangeInDoubt(long requestId, String reason) implements Event {
    }

    /** A table copy failed its checksum or version check and was not used. */
    record TableRefused(String table, String source, String reason) implements Event {
    }

    /** The RGM coordinator planned a transition (only graphs with actions or blocked groups are told). */
    record RgmPlanned(String summary) implements Event {
    }

    /** The answer to an {@link Input.RgmCommand}: empty when the coordinator accepted it. */
    record RgmRequestAnswered(long requestId, java.util.Optional<String> refusal) implements Event {
    }

    /** The resource group configuration in the CCR could not be used; the previous one stays. */
    record RgmConfigRefused(String reason) implements Event {
    }
}
