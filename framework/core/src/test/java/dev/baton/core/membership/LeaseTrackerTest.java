package dev.baton.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.QuorumDeviceSpec;
import dev.baton.core.cluster.Timing;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LeaseTrackerTest {
    private static final long MS = 1_000_000L;
    private static final long LEASE = Timing.DEFAULTS.leaseMs() * MS;

    private static ClusterConfig config(boolean device) {
        return ClusterConfig.of("c", List.of(NodeSpec.of(1, "a"), NodeSpec.of(2, "b"), NodeSpec.of(3, "c")),
                List.of(NetworkSpec.of("net1", PathKind.IP, Set.of(1, 2, 3))),
                device ? Optional.of(QuorumDeviceSpec.of("qd", Set.of(1, 2, 3))) : Optional.empty(), Optional.empty(), false, Timing.DEFAULTS);
    }

    private static Membership members(boolean holdsDevice, Integer... ids) {
        return new Membership(new Epoch(1, 1), new TreeSet<>(Set.of(ids)), true, holdsDevice, "test");
    }

    @Test
    void aQuorateAcknowledgementRenewsFromTheHeartbeatsSending() {
        LeaseTracker lease = new LeaseTracker(1, config(false));
        lease.sent(1, 1_000 * MS);
        lease.acked(2, 1);
        lease.renew(members(false, 1, 2, 3), 1, 1_010 * MS);
        assertThat(lease.validUntilNanos()).isEqualTo(1_000 * MS + LEASE);
        assertThat(lease.isValid(1_000 * MS + LEASE - 1)).isTrue();
        assertThat(lease.isValid(1_000 * MS + LEASE)).isFalse();
    }

    @Test
    void aMinorityOfAcknowledgementsRenewsNothing() {
        LeaseTracker lease = new LeaseTracker(1, config(false));
        lease.sent(1, 0);
        lease.renew(members(false, 1, 2, 3), 1, 10 * MS);
        assertThat(lease.hasLease()).isFalse();
    }

    @Test
    void anAcknowledgementFromANonMemberDoesNotCount() {
        LeaseTracker lease = new LeaseTracker(1, config(false));
        lease.sent(1, 0);
        lease.acked(3, 1);
        lease.renew(members(false, 1, 2), 1, 10 * MS);
        assertThat(lease.hasLease()).isFalse();
    }

    @Test
    void aHeartbeatQueuedDuringAStallNeverRenewsAnExpiredLease() {
        LeaseTracker lease = new LeaseTracker(1, config(false));
        lease.sent(1, 0);
        lease.acked(2, 1);
        long late = LEASE + 500 * MS;
        lease.renew(members(false, 1, 2, 3), 1, late);
        assertThat(lease.isValid(late)).isFalse();
        assertThat(lease.justExpired(late)).as("a lease granted already expired was never held").isFalse();
    }

    @Test
    void expiryIsReportedOnlyAfterALeaseWasHeld() {
        LeaseTracker lease = new LeaseTracker(1, config(false));
        assertThat(lease.justExpired(0)).isFalse();
        lease.sent(1, 0);
        lease.acked(2, 1);
        lease.renew(members(false, 1, 2, 3), 1, 1);
        assertThat(lease.justExpired(LEASE - 1)).isFalse();
        assertThat(lease.justExpired(LEASE)).isTrue();
    }

    @Test
    void deviceVotesCountOnlyOnceConfirmedAndAdoptedByEveryMember() {
        LeaseTracker lease = new LeaseTracker(1, config(true));
        Membership withDevice = members(true, 1, 2);
        lease.sent(1, 100 * MS);
        lease.renew(withDevice, 1, 101 * MS);
        assertThat(lease.hasLease()).as("no device confirmation yet").isFalse();
        lease.deviceConfirmed(50 * MS);
        lease.renew(withDevice, 1, 102 * MS);
        assertThat(lease.hasLease()).as("node 2 never acknowledged in this epoch").isFalse();
        lease.acked(2, 0);
        lease.renew(withDevice, 1, 103 * MS);
        assertThat(lease.validUntilNanos()).as("bounded by the device confirmation, older than the heartbeat").isEqualTo(50 * MS + LEASE);
    }

    @Test
    void withoutTheDeviceALoneNodeOfThreeHasNoQuorum() {
        LeaseTracker lease = new LeaseTracker(1, config(true));
        lease.sent(1, 0);
        lease.deviceConfirmed(0);
        lease.renew(members(false, 1), 1, 1);
        assertThat(lease.hasLease()).isFalse();
    }
}
