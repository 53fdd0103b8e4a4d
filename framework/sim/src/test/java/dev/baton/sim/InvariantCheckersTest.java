package dev.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.core.NodeStatus;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.Timing;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The checkers must be able to fail: each test breaks one assumption the design relies on and
 * expects the matching invariant to catch it. A checker that cannot fail proves nothing.
 */
class InvariantCheckersTest {
    private static ClusterConfig threeNodes(Timing timing) {
        return ClusterConfig.of("checkers", List.of(NodeSpec.of(1, "n1"), NodeSpec.of(2, "n2"), NodeSpec.of(3, "n3")),
                List.of(NetworkSpec.of("net1", PathKind.IP, Set.of(1, 2, 3))), Optional.empty(), Optional.empty(), false, timing);
    }

    private static Simulation formed(ClusterConfig config, long seed, Simulation.Options options) {
        Simulation sim = new Simulation(config, seed, options).start();
        sim.invariants().checkConverged(sim, 5_000);
        return sim;
    }

    @Test
    void leaseAndTakeoverCheckersCatchClocksDriftingBeyondTheMargin() {
        Timing noMargin = Timing.DEFAULTS.withLease(Timing.DEFAULTS.leaseMs(), 1, 0);
        Simulation.Options wildClocks = new Simulation.Options(1_000, 0, 5, 80, 0, 200_000, 0);
        int caught = 0;
        for (long seed = 1; seed <= 20; seed++) {
            Simulation sim = formed(threeNodes(noMargin), seed, wildClocks);
            int slowest = slowestClock(sim);
            sim.network().cutBothWays(slowest, slowest % 3 + 1);
            sim.network().cutBothWays(slowest, (slowest + 1) % 3 + 1);
            try {
                sim.runForMs(3_000);
            } catch (InvariantViolation violation) {
                assertThat(violation).hasMessageContaining("invariant (");
                caught++;
            }
        }
        assertThat(caught).as("runs where a lease outlived the survivors' wait and the checker said so").isPositive();
    }

    private static int slowestClock(Simulation sim) {
        return sim.nodes().values().stream().min((a, b) -> Long.compare(a.driftPpm, b.driftPpm)).orElseThrow().id();
    }

    @Test
    void runningCheckerCatchesAKillSlowerThanTheFailfastBound() {
        Timing instantBound = Timing.DEFAULTS.withLease(Timing.DEFAULTS.leaseMs(), 1, Timing.DEFAULTS.driftMarginMs());
        Simulation.Options slowKills = new Simulation.Options(1_000, 300, 5, 80, 0, 0, 0);
        Simulation sim = formed(threeNodes(instantBound), 7, slowKills);
        sim.network().cutBothWays(1, 2);
        sim.network().cutBothWays(1, 3);
        assertThatThrownBy(() -> sim.runForMs(3_000)).isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("invariant (b) node 1 still runs services");
    }

    @Test
    void configurationCheckerCatchesACommittedVersionThatWentMissing() {
        Simulation sim = formed(threeNodes(Timing.DEFAULTS), 3, Simulation.Options.DEFAULTS);
        int coordinator = sim.status(1).flatMap(NodeStatus::installed).orElseThrow().coordinator();
        sim.proposeChange(coordinator, "rg", "web on node1");
        sim.runForMs(500);
        sim.nodes().keySet().forEach(sim::crash);
        wipeTable(sim, "rg");
        sim.nodes().keySet().forEach(id -> sim.restart(id, false));
        sim.invariants().checkConverged(sim, 5_000);
        assertThatThrownBy(() -> sim.invariants().checkNoCommitLost(sim)).isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("invariant (c) committed rg");
    }

    private static void wipeTable(Simulation sim, String name) {
        for (SimNode node : sim.nodes().values()) {
            var kept = node.disk().tables();
            kept.remove(name);
            node.disk().wipe();
            kept.values().forEach(node.disk()::persistTable);
        }
    }

    @Test
    void convergenceCheckerCatchesAPartitionThatNeverHeals() {
        Simulation sim = formed(threeNodes(Timing.DEFAULTS), 5, Simulation.Options.DEFAULTS);
        sim.network().cutBothWays(3, 1);
        sim.network().cutBothWays(3, 2);
        sim.runForMs(2_000);
        assertThatThrownBy(() -> sim.invariants().checkConverged(sim, 3_000)).isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("invariant (d) membership did not converge to all 3 nodes within 3000 ms");
    }

    @Test
    void aHealthyRunPassesEveryChecker() {
        Simulation sim = formed(threeNodes(Timing.DEFAULTS), 11, Simulation.Options.DEFAULTS);
        sim.proposeChange(1, "rg", "web on node1");
        sim.runForMs(2_000);
        sim.invariants().checkNoCommitLost(sim);
        assertThat(sim.invariants().leaseChecks()).isPositive();
        assertThat(sim.invariants().failfasts()).isZero();
    }
}
