package dev.baton.sim;

import dev.baton.core.NodeStatus;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.FencingSpec;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.QuorumDeviceSpec;
import dev.baton.core.cluster.Timing;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How long the core takes, in simulated time at default timing, from a node's crash to the
 * survivors' new membership and to the moment they may start its work ({@code NodeCleared}), for
 * several cluster shapes; medians and ratios against the plain three-node cluster. Run with
 * {@code ./baton sim --failover}. Simulated time excludes the daemon's real latencies and the
 * start methods: it is the protocol's share of the failover budget.
 */
public final class FailoverTiming {
    private static final int RUNS = 200;

    private FailoverTiming() {
    }

    record Shape(String name, int nodes, boolean device, Optional<FencingSpec.Scope> fencing) {
    }

    record Sample(long installMs, long clearedMs) {
    }

    public static void main(String[] args) {
        List<Shape> shapes = List.of(
                new Shape("3 nodes", 3, false, Optional.empty()),
                new Shape("3 nodes + quorum device", 3, true, Optional.empty()),
                new Shape("3 nodes + power fencing", 3, false, Optional.of(FencingSpec.Scope.POWER)),
                new Shape("2 nodes + quorum device", 2, true, Optional.empty()),
                new Shape("2 nodes + quorum device + power fencing", 2, true, Optional.of(FencingSpec.Scope.POWER)),
                new Shape("5 nodes", 5, false, Optional.empty()));
        System.out.printf("%-42s %28s %28s %8s%n", "crash of the coordinator, " + RUNS + " seeds", "new membership min/med/max ms",
                "cleared min/med/max ms", "vs 3");
        long baseline = 0;
        for (Shape shape : shapes) {
            List<Sample> samples = measure(shape);
            long clearedMedian = median(samples.stream().map(Sample::clearedMs).toList());
            baseline = baseline == 0 ? clearedMedian : baseline;
            System.out.printf("%-42s %28s %28s %7.2fx%n", shape.name(), spread(samples.stream().map(Sample::installMs).toList()),
                    spread(samples.stream().map(Sample::clearedMs).toList()), clearedMedian / (double) baseline);
        }
    }

    private static List<Sample> measure(Shape shape) {
        List<Sample> samples = new ArrayList<>();
        for (long seed = 1; seed <= RUNS; seed++) {
            samples.add(crashOnce(config(shape), seed));
        }
        return samples;
    }

    private static Sample crashOnce(ClusterConfig config, long seed) {
        Simulation sim = new Simulation(config, seed).start();
        sim.invariants().checkConverged(sim, 5_000);
        sim.runForMs(1_000 + seed % 100);
        int victim = sim.status(1).flatMap(NodeStatus::installed).orElseThrow().coordinator();
        int survivor = victim == 1 ? 2 : 1;
        long markLine = sim.log().count();
        long crashedAt = sim.nowMs();
        sim.crash(victim);
        sim.runUntil(() -> sim.log().since(markLine).stream()
                .anyMatch(l -> l.node() == survivor && l.text().startsWith("node " + victim + " cleared")), 10_000);
        long installed = firstLine(sim, markLine, survivor, "installs");
        long cleared = firstLine(sim, markLine, survivor, "node " + victim + " cleared");
        return new Sample(installed - crashedAt, cleared - crashedAt);
    }

    private static long firstLine(Simulation sim, long markLine, int node, String prefix) {
        return sim.log().since(markLine).stream().filter(l -> l.node() == node && l.text().startsWith(prefix))
                .mapToLong(SimLog.Line::timeMs).findFirst().orElseThrow(() -> new IllegalStateException("no '" + prefix + "' on node " + node));
    }

    private static ClusterConfig config(Shape shape) {
        Set<Integer> all = new TreeSet<>();
        List<NodeSpec> nodes = new ArrayList<>();
        for (int id = 1; id <= shape.nodes(); id++) {
            all.add(id);
            nodes.add(NodeSpec.of(id, "node" + id));
        }
        return ClusterConfig.of("timing", nodes, List.of(NetworkSpec.of("net1", PathKind.IP, all)),
                shape.device() ? Optional.of(QuorumDeviceSpec.of("qd", all)) : Optional.empty(),
                shape.fencing().map(scope -> FencingSpec.of("fence", scope, all)), false, Timing.DEFAULTS);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String spread(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(0) + " / " + median(values) + " / " + sorted.get(sorted.size() - 1);
    }
}
