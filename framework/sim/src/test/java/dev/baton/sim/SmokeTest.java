package dev.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.Timing;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void threeNodesFormAndSurviveACrash() {
        ClusterConfig config = ClusterConfig.of("smoke",
                List.of(NodeSpec.of(1, "n1"), NodeSpec.of(2, "n2"), NodeSpec.of(3, "n3")),
                List.of(NetworkSpec.of("net1", PathKind.IP, Set.of(1, 2, 3))),
                Optional.empty(), Optional.empty(), false, Timing.DEFAULTS);
        Simulation sim = new Simulation(config, 42).start();
        sim.invariants().checkConverged(sim, 5_000);
        sim.runForMs(1000);
        sim.crash(1);
        sim.runForMs(3000);
        System.out.println(sim.log().tailText(40));
        assertThat(sim.status(2).get().installed().get().members()).containsExactly(2, 3);
        sim.restart(1, false);
        sim.invariants().checkConverged(sim, 5_000);
        System.out.println(sim.log().tailText(20));
    }
}
