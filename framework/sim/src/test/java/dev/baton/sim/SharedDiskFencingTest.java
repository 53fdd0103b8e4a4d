package dev.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.FencingSpec;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.Timing;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Storage fencing on the shared data disk: the fenced node's next write conflicts and it fails fast; rejoining restores it. */
class SharedDiskFencingTest {
    @Test
    void aStorageFencedNodeMeetsAReservationConflictAndWritesAgainOnlyAfterRejoining() {
        ClusterConfig config = ClusterConfig.of("scsi3", List.of(NodeSpec.of(1, "n1"), NodeSpec.of(2, "n2"), NodeSpec.of(3, "n3")),
                List.of(NetworkSpec.of("net1", PathKind.IP, Set.of(1, 2, 3))), Optional.empty(),
                Optional.of(FencingSpec.of("scsi3", FencingSpec.Scope.STORAGE, Set.of(1, 2, 3))), false, Timing.DEFAULTS);
        Simulation sim = new Simulation(config, 21).start();
        sim.invariants().checkConverged(sim, 5_000);
        sim.network().cutBothWays(3, 1);
        sim.network().cutBothWays(3, 2);
        sim.runForMs(2_000);

        assertThat(sim.sharedDisk().isRegistered(3)).isFalse();
        assertThat(sim.sharedDisk().refusedWrites()).isPositive();
        assertThat(sim.log().lines()).anySatisfy(line -> {
            assertThat(line.node()).isEqualTo(3);
            assertThat(line.text()).isEqualTo("reservation conflict on the shared disk");
        });
        assertThat(sim.node(3).running()).isFalse();

        sim.network().healAll();
        sim.invariants().checkConverged(sim, 10_000);
        long refusedBefore = sim.sharedDisk().refusedWrites();
        sim.runForMs(1_000);
        assertThat(sim.sharedDisk().isRegistered(3)).isTrue();
        assertThat(sim.node(3).running()).isTrue();
        assertThat(sim.sharedDisk().refusedWrites()).isEqualTo(refusedBefore);
    }
}
