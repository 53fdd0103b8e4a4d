package dev.baton.core.membership;

import dev.baton.core.cluster.ClusterConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * This node's quorum lease (ARCHITECTURE.md rule 2). Every heartbeat this node sends has a sequence
 * number and a send time; members acknowledge the newest sequence they heard in the same epoch.
 * Once a quorate set (this node included) acknowledged heartbeat s, the lease lasts until
 * {@code sentAt(s) + leaseMs}: measured from the sending, so heartbeats queued during a stall
 * never renew an expired lease. The device's votes count only in an epoch that won the device's
 * race, once every member acknowledged this node in it, and only until
 * {@code lastConfirmedIssue + leaseMs}: a check confirms this node's key and that the device's
 * last granted race is still this epoch's, so any later race makes the next check fail.
 */
public final class LeaseTracker {
    private static final int SENT_RING = 64;
    private static final long NEVER = Long.MIN_VALUE;

    private final int self;
    private final ClusterConfig config;
    private final long[] sentSeq = new long[SENT_RING];
    private final long[] sentAtNanos = new long[SENT_RING];
    private final Map<Integer, Long> ackedSeq = new HashMap<>();
    private long deviceConfirmedIssueNanos = NEVER;
    private long validUntilNanos = NEVER;
    private boolean everHeld;

    public LeaseTracker(int self, ClusterConfig config) {
        this.self = self;
        this.config = config;
    }

    public void sent(long seq, long nowNanos) {
        int slot = (int) (seq % SENT_RING);
        sentSeq[slot] = seq;
        sentAtNanos[slot] = nowNanos;
    }

    /** A member acknowledged {@code seq} in this node's epoch. */
    public void acked(int peer, long seq) {
        ackedSeq.merge(peer, seq, Math::max);
    }

    /** A new epoch: acknowledgements from the old one no longer count; the lease already granted stays. */
    public void newEpoch() {
        ackedSeq.clear();
        deviceConfirmedIssueNanos = NEVER;
    }

    public void deviceConfirmed(long issuedAtNanos) {
        deviceConfirmedIssueNanos = Math.max(deviceConfirmedIssueNanos, issuedAtNanos);
    }

    public void deviceLost() {
        deviceConfirmedIssueNanos = NEVER;
    }

    /** Recomputes the lease from the acknowledgements; it never shrinks. */
    public void renew(Membership membership, long newestSeq, long nowNanos) {
        if (membership == null || !membership.quorate()) {
            return;
        }
        long leaseNanos = config.timing().leaseMs() * 1_000_000L;
        for (long seq = newestSeq; seq > Math.max(0, newestSeq - SENT_RING); seq--) {
            int slot = (int) (seq % SENT_RING);
            if (sentSeq[slot] != seq) {
                continue;
            }
            Set<Integer> ackers = ackersOf(membership, seq);
            long candidate = candidateFor(membership, ackers, sentAtNanos[slot], leaseNanos);
            if (candidate != NEVER) {
                extendTo(candidate, nowNanos);
                return;
            }
        }
    }

    private long candidateFor(Membership membership, Set<Integer> ackers, long sentAt, long leaseNanos) {
        if (config.isQuorate(ackers, false) || isFencedTwoNodeSurvivor(membership)) {
            return sentAt + leaseNanos;
        }
        boolean deviceCounts = membership.holdsDevice() && deviceConfirmedIssueNanos != NEVER && adoptedByAll(membership);
        if (deviceCounts && config.isQuorate(ackers, true)) {
            return Math.min(sentAt, deviceConfirmedIssueNanos) + leaseNanos;
        }
        return NEVER;
    }

    /** In two-node mode a node alone holds quorum only after power-fencing its peer, which the membership records. */
    private boolean isFencedTwoNodeSurvivor(Membership membership) {
        return config.twoNodeMode() && membership.members().size() == 1 && membership.contains(self);
    }

    /**
     * The device's votes let a member renew alone, so they count only once every member has
     * acknowledged this node in this epoch: a member that never adopted the epoch may be forming
     * another one, and this lease must not count on a membership it never joined.
     */
    private boolean adoptedByAll(Membership membership) {
        for (int member : membership.members()) {
            if (member != self && !ackedSeq.containsKey(member)) {
                return false;
            }
        }
        return true;
    }

    private Set<Integer> ackersOf(Membership membership, long seq) {
        Set<Integer> ackers = new HashSet<>();
        ackers.add(self);
        ackedSeq.forEach((peer, acked) -> {
            if (acked >= seq && membership.contains(peer)) {
                ackers.add(peer);
            }
        });
        return ackers;
    }

    private void extendTo(long candidateNanos, long nowNanos) {
        if (candidateNanos > validUntilNanos) {
            validUntilNanos = candidateNanos;
        }
        if (candidateNanos > nowNanos) {
            everHeld = true;
        }
    }

    public boolean isValid(long nowNanos) {
        return validUntilNanos != NEVER && nowNanos < validUntilNanos;
    }

    /** True once, when a lease this node held has run out: the caller fails fast. */
    public boolean justExpired(long nowNanos) {
        return everHeld && !isValid(nowNanos);
    }

    public long validUntilNanos() {
        return validUntilNanos;
    }

    public boolean hasLease() {
        return validUntilNanos != NEVER;
    }
}
