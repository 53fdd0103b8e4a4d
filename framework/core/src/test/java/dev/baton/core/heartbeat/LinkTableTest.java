package dev.baton.core.heartbeat;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.Timing;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkTableTest {
    /** 100 ms heartbeats, 5 misses (fixed here: the numbers below depend on it, not on the defaults). */
    private static final Timing TIMING = new Timing(100, 5, 700, 100, 50, 150, 200, 500, 250);
    private static final long DETECTION_NANOS = 500_000_000L;
    private static final long T0_NANOS = 1_000_000_000L;

    /** Nodes 1..3 on net1 and net2; net3 joins only 2 and 3; a serial line joins 1 and 2. */
    private static final ClusterConfig CONFIG = ClusterConfig.of("c",
            List.of(NodeSpec.of(1, "a"), NodeSpec.of(2, "b"), NodeSpec.of(3, "c")),
            List.of(NetworkSpec.of("net1", PathKind.IP, Set.of(1, 2, 3)),
                    NetworkSpec.of("net2", PathKind.IP, Set.of(1, 2, 3)),
                    NetworkSpec.of("net3", PathKind.IP, Set.of(2, 3)),
                    NetworkSpec.of("tty12", PathKind.SERIAL, Set.of(1, 2))),
            Optional.empty(), Optional.empty(), false, TIMING);

    private final LinkTable table = new LinkTable(1, CONFIG);

    @Test
    void aHeartbeatIsFreshUpToAndIncludingTheDetectionThreshold() {
        table.heard(2, "net1", T0_NANOS);

        assertThat(table.networksHearing(2, T0_NANOS)).containsExactly("net1");
        assertThat(table.networksHearing(2, T0_NANOS + DETECTION_NANOS)).containsExactly("net1");
        assertThat(table.networksHearing(2, T0_NANOS + DETECTION_NANOS + 1)).isEmpty();
        assertThat(table.reachablePeers(T0_NANOS + DETECTION_NANOS + 1)).isEmpty();
    }

    @Test
    void theNewestHeartbeatDecidesEvenWhenHandedOverLate() {
        table.heard(2, "net1", T0_NANOS + 100);
        table.heard(2, "net1", T0_NANOS);

        assertThat(table.networksHearing(2, T0_NANOS + 100 + DETECTION_NANOS)).containsExactly("net1");
    }

    @Test
    void freshnessSurvivesTheMonotonicClockWrappingAround() {
        table.heard(2, "net1", Long.MAX_VALUE - 10);

        assertThat(table.networksHearing(2, Long.MIN_VALUE + 10)).containsExactly("net1");
        assertThat(table.nextChangeNanos(Long.MIN_VALUE + 10)).isEqualTo(Long.MAX_VALUE - 10 + DETECTION_NANOS + 1);
    }

    @Test
    void nextChangeIsWhenTheOldestFreshLinkGoesStale() {
        table.heard(2, "net1", T0_NANOS);
        table.heard(2, "net2", T0_NANOS + 300);
        table.heard(3, "net1", T0_NANOS + 200);

        assertThat(table.nextChangeNanos(T0_NANOS + 400)).isEqualTo(T0_NANOS + DETECTION_NANOS + 1);
        assertThat(table.nextChangeNanos(T0_NANOS + DETECTION_NANOS + 1)).isEqualTo(T0_NANOS + 200 + DETECTION_NANOS + 1);
        assertThat(table.nextChangeNanos(T0_NANOS + 300 + DETECTION_NANOS)).isEqualTo(T0_NANOS + 300 + DETECTION_NANOS + 1);
        assertThat(table.nextChangeNanos(T0_NANOS + 300 + DETECTION_NANOS + 1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void nothingHeardMeansNoChangeToWaitFor() {
        assertThat(table.nextChangeNanos(T0_NANOS)).isEqualTo(Long.MAX_VALUE);
        assertThat(table.snapshot(T0_NANOS)).isEmpty();
    }

    @Test
    void heartbeatsTheConfigurationDoesNotAllowAreIgnored() {
        table.heard(9, "net1", T0_NANOS);   // unknown node
        table.heard(2, "net9", T0_NANOS);   // unknown network
        table.heard(2, null, T0_NANOS);
        table.heard(3, "tty12", T0_NANOS);  // node 3 is not on the serial line
        table.heard(2, "net3", T0_NANOS);   // this node is not on net3
        table.heard(1, "net1", T0_NANOS);   // this node itself

        assertThat(table.snapshot(T0_NANOS)).isEmpty();
        assertThat(table.nextChangeNanos(T0_NANOS)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theSnapshotListsOnlyPeersWithAFreshNetworkInOrder() {
        table.heard(3, "net2", T0_NANOS + 200);
        table.heard(2, "tty12", T0_NANOS + 100);
        table.heard(2, "net1", T0_NANOS);

        long nowNanos = T0_NANOS + 100 + DETECTION_NANOS;
        Map<Integer, Set<String>> snapshot = table.snapshot(nowNanos);

        assertThat(snapshot).containsExactly(Map.entry(2, Set.of("tty12")), Map.entry(3, Set.of("net2")));
        assertThat(table.reachablePeers(nowNanos)).containsExactly(2, 3);
        assertThat(table.snapshot(T0_NANOS + 200).get(2)).containsExactly("net1", "tty12");
    }

    @Test
    void aForgottenPeerIsNoLongerHeard() {
        table.heard(2, "net1", T0_NANOS);
        table.heard(3, "net1", T0_NANOS);

        table.forget(2);

        assertThat(table.reachablePeers(T0_NANOS)).containsExactly(3);
    }

    @Test
    void anUnconfiguredSelfIsRefused() {
        assertThatThrownBy(() -> new LinkTable(7, CONFIG)).isInstanceOf(IllegalArgumentException.class);
    }
}
