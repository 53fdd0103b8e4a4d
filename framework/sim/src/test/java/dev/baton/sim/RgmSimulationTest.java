package dev.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.Timing;
import dev.baton.core.rgm.RgmConfig;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The RGM inside real cores on the simulator: groups come online, and fail over when their node crashes. */
class RgmSimulationTest {
    static final String GROUPS = """
            group web failover nodes=1,2,3 pingpong=10s
              resource web-ip type=ip tier=network network=net1 Start_timeout=2s Stop_timeout=2s Probe_timeout=1s probe_interval=1s
              resource web-app type=apache depends=web-ip Start_timeout=2s Stop_timeout=2s Probe_timeout=1s probe_interval=1s
            group db failover nodes=2,3,1 pingpong=10s
              resource db-app type=oracle Start_timeout=2s Stop_timeout=2s Probe_timeout=1s probe_interval=1s
            """;

    static ClusterConfig threeNodes() {
        return ClusterConfig.of("rgm", List.of(NodeSpec.of(1, "n1"), NodeSpec.of(2, "n2"), NodeSpec.of(3, "n3")),
                List.of(NetworkSpec.of("net1", PathKind.IP, Set.of(1, 2, 3))), Optional.empty(), Optional.empty(), false,
                Timing.DEFAULTS);
    }

    @Test
    void groupsComeOnlineOnTheirPreferredNodesAndFailOverWhenTheNodeCrashes() {
        Simulation sim = new Simulation(threeNodes(), 7).withResourceGroups(GROUPS).start();
        sim.runForMs(3_000);
        RgmConfig rgm = sim.node(1).core.rgmConfig();
        assertThat(sim.resources().nodesRunning(rgm, rgm.groupIndex("web"))).containsExactly(1);
        assertThat(sim.resources().groupFullyOn(rgm, rgm.groupIndex("web"), 1)).isTrue();
        assertThat(sim.resources().groupFullyOn(rgm, rgm.groupIndex("db"), 2)).isTrue();

        sim.crash(1);
        sim.runForMs(3_000);
        assertThat(sim.resources().groupFullyOn(rgm, rgm.groupIndex("web"), 2)).isTrue();
        assertThat(sim.resources().groupFullyOn(rgm, rgm.groupIndex("db"), 2)).isTrue();
    }
}
