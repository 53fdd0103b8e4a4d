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
 *
 * <p>A second table runs the same crashes with a failover group (an address and an application,
 * whose simulated methods take 1–20 ms) on the crashed node and measures until it runs fully on
 * a survivor: the RGM's share on top (a new coordinator probes every member first, then the
 * stops and starts).
 */
public final class FailoverTiming {
    private static final int RUNS = 200;

    private FailoverTiming() {
    }

    record Shape(String name, int nodes, boolean device, Optional<FencingSpec.Scope> fencing) {
    }

    record Sample(long installMs, long clearedMs, long groupMs) {
    }

    static final String GROUP = """
            group web failover nodes=%s
              resource web-ip type=sim tier=network network=net1 Start_timeout=2s Stop_timeout=2s Probe_timeout=1s
              resource web-app type=sim depends=web-ip Start_timeout=2s Stop_timeout=2s Probe_timeout=1s
            """;

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
            List<Sample> samples = measure(shape, false);
            long clearedMedian = median(samples.stream().map(Sample::clearedMs).toList());
            baseline = baseline == 0 ? clearedMedian : baseline;
            System.out.printf("%-42s %28s %28s %7.2fx%n", shape.name(), spread(samples.stream().map(Sample::installMs).toList()),
                    spread(samples.stream().map(Sample::clearedMs).toList()), clearedMedian / (double) baseline);
        }
        System.out.printf("%n%-42s %28s %28s %8s%n", "with a failover group on it, " + RUNS + " seeds", "cleared min/med/max ms",
                "group runs min/med/max ms", "vs 3");
        baseline = 0;
        for (Shape shape : shapes) {
            List<Sample> samples = measure(shape, true);
            long groupMedian = median(samples.stream().map(Sample::groupMs).toList());
            baseline = baseline == 0 ? groupMedian : baseline;
            System.out.printf("%-42s %28s %28s %7.2fx%n", shape.name(), spread(samples.stream().map(Sample::clearedMs).toList()),
                    spread(samples.stream().map(Sample::groupMs).toList()), groupMedian / (double) baseline);
        }
    }

    private static List<Sample> measure(Shape shape, boolean withGroup) {
        List<Sample> samples = new ArrayList<>();
        for (long seed = 1; seed <= RUNS; seed++) {
            samples.add(crashOnce(config(shape), seed, withGroup ? Optional.of(group(shape)) : Optional.empty()));
        }
        return samples;
    }

    private static String group(Shape shape) {
        List<String> nodelist = new ArrayList<>();
        for (int id = 1; id <= shape.nodes(); id++) {
            nodelist.add(String.valueOf(id));
        }
        return GROUP.formatted(String.join(",", nodelist));
    }

    private static Sample crashOnce(ClusterConfig config, long seed, Optional<String> groups) {
        Simulation sim = new Simulation(config, seed);
        groups.ifPresent(sim::withResourceGroups);
        sim.start();
        sim.invariants().checkConverged(sim, 5_000);
        sim.runForMs(1_000 + seed % 100);
        int victim = sim.status(1).flatMap(NodeStatus::installed).orElseThrow().coordinator();
        int survivor = victim == 1 ? 2 : 1;
        if (groups.isPresent() && !sim.resources().runningOn(victim).containsAll(List.of("web-ip", "web-app"))) {
            throw new IllegalStateException("seed " + seed + ": the group does not run on node " + victim + " before the crash");
        }
        long markLine = sim.log().count();
        long crashedAt = sim.nowMs();
        sim.crash(victim);
        sim.runUntil(() -> sim.log().since(markLine).stream()
                .anyMatch(l -> l.node() == survivor && l.text().startsWith("node " + victim + " cleared")), 10_000);
        long installed = firstLine(sim, markLine, survivor, "installs");
        long cleared = firstLine(sim, markLine, survivor, "node " + victim + " cleared");
        long group = groups.isPresent() ? groupRunsAfter(sim, victim, crashedAt) : 0;
        return new Sample(installed - crashedAt, cleared - crashedAt, group);
    }

    /** Runs until the group runs fully on a node other than the victim (it ran on the victim). */
    private static long groupRunsAfter(Simulation sim, int victim, long crashedAt) {
        var rgm = dev.baton.core.rgm.RgmConfigText.parse(sim.node(1).disk().tables().get("rgm").content(), "rgm");
        int g = rgm.groupIndex("web");
        boolean done = sim.runUntil(() -> sim.nodes().keySet().stream()
                .anyMatch(n -> n != victim && sim.resources().groupFullyOn(rgm, g, n)), 10_000);
        if (!done) {
            throw new IllegalStateException("the group did not come back within 10 s after the crash");
        }
        return sim.nowMs() - crashedAt;
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
