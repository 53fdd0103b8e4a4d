package dev.baton.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
    private static final List<NetworkSpec> NET = List.of(NetworkSpec.of("net1", PathKind.IP, Set.of(1, 2, 3)));

    private static ClusterConfig three(Optional<QuorumDeviceSpec> device) {
        return ClusterConfig.of("c", List.of(NodeSpec.of(1, "a"), NodeSpec.of(2, "b"), NodeSpec.of(3, "c")), NET,
                device, Optional.empty(), false, Timing.DEFAULTS);
    }

    @Test
    void aDeviceIsWorthOneVoteLessThanTheNodesConnectedToIt() {
        ClusterConfig config = three(Optional.of(QuorumDeviceSpec.of("qd", Set.of(1, 2, 3))));
        assertThat(config.deviceVotes()).isEqualTo(2);
        assertThat(config.totalVotes()).isEqualTo(5);
        assertThat(config.isQuorate(Set.of(1), true)).as("1 + 2 of 5").isTrue();
        assertThat(config.isQuorate(Set.of(1, 2), false)).as("2 of 5").isFalse();
        assertThat(config.isQuorate(Set.of(1, 2, 3), false)).as("3 of 5").isTrue();
    }

    @Test
    void aStrictMajorityIsNeededSoTwoNodesWithoutADeviceNeedBoth() {
        ClusterConfig config = ClusterConfig.of("c", List.of(NodeSpec.of(1, "a"), NodeSpec.of(2, "b")),
                List.of(NetworkSpec.of("net1", PathKind.IP, Set.of(1, 2))), Optional.empty(), Optional.empty(), false, Timing.DEFAULTS);
        assertThat(config.isQuorate(Set.of(1), false)).isFalse();
        assertThat(config.isQuorate(Set.of(2), false)).isFalse();
        assertThat(config.isQuorate(Set.of(1, 2), false)).isTrue();
    }

    @Test
    void zeroVoteNodesCountForNothing() {
        ClusterConfig config = ClusterConfig.of("c", List.of(NodeSpec.of(1, "a"), NodeSpec.of(2, "b"), new NodeSpec(3, "c", 0)),
                NET, Optional.empty(), Optional.empty(), false, Timing.DEFAULTS);
        assertThat(config.totalVotes()).isEqualTo(2);
        assertThat(config.isQuorate(Set.of(1, 3), false)).isFalse();
    }

    @Test
    void twoNodeModeWithoutPowerFencingIsRefusedWithTheReason() {
        assertThatThrownBy(() -> ClusterConfig.of("c", List.of(NodeSpec.of(1, "a"), NodeSpec.of(2, "b")),
                List.of(NetworkSpec.of("net1", PathKind.IP, Set.of(1, 2))), Optional.empty(),
                Optional.of(FencingSpec.of("scsi", FencingSpec.Scope.STORAGE, Set.of(1, 2))), true, Timing.DEFAULTS))
                .isInstanceOf(InvalidClusterConfigException.class)
                .hasMessageContaining("two-node mode without a quorum device is refused unless a power fencing device covers both nodes");
    }

    @Test
    void twoNodeModeWithPowerFencingOfBothIsAccepted() {
        ClusterConfig config = ClusterConfig.of("c", List.of(NodeSpec.of(1, "a"), NodeSpec.of(2, "b")),
                List.of(NetworkSpec.of("net1", PathKind.IP, Set.of(1, 2))), Optional.empty(),
                Optional.of(FencingSpec.of("ipmi", FencingSpec.Scope.POWER, Set.of(1, 2))), true, Timing.DEFAULTS);
        assertThat(config.twoNodeMode()).isTrue();
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertThatThrownBy(() -> ClusterConfig.of("c", List.of(NodeSpec.of(1, "a"), NodeSpec.of(1, "b"), new NodeSpec(70, "z", -1)),
                List.of(NetworkSpec.of("tty", PathKind.SERIAL, Set.of(1, 2, 70)), NetworkSpec.of("net1", PathKind.IP, Set.of(1, 9))),
                Optional.empty(), Optional.empty(), false, new Timing(100, 5, 700, 100, 50, 150, 200, 500, 250).withLease(400, 100, 50)))
                .isInstanceOf(InvalidClusterConfigException.class)
                .satisfies(e -> assertThat(((InvalidClusterConfigException) e).problems()).contains(
                        "node id 1 is used twice",
                        "node z: id 70 is outside 1..64",
                        "node z: votes must be >= 0, got -1",
                        "serial path tty must join exactly 2 nodes, joins [1, 2, 70]",
                        "network net1 names node 9, which is not configured",
                        "network tty names node 2, which is not configured",
                        "timing.leaseMs (400) must exceed detection time heartbeatIntervalMs × missThreshold (500), or survivors lose their lease before they can re-form"));
    }
}
