package dev.baton.bench;

import dev.baton.api.type.FailoverMode;
import dev.baton.api.type.MethodName;
import dev.baton.api.type.ResourceKind;
import dev.baton.core.membership.Epoch;
import dev.baton.core.rgm.Action;
import dev.baton.core.rgm.Affinity;
import dev.baton.core.rgm.ClusterView;
import dev.baton.core.rgm.Dependency;
import dev.baton.core.rgm.DependencyKind;
import dev.baton.core.rgm.GroupSpec;
import dev.baton.core.rgm.ResourceSpec;
import dev.baton.core.rgm.ResourceState;
import dev.baton.core.rgm.RgmConfig;
import dev.baton.core.rgm.RgmDefaults;
import dev.baton.core.rgm.RgmState;
import dev.baton.core.rgm.Scheduler;
import dev.baton.core.rgm.Tier;
import dev.baton.core.rgm.TransitionGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * A cluster the size a large site would run, for {@link SchedulerBenchmark}: groups of 5
 * resources (an address on network {@code public}, a filesystem, three applications in a strong
 * dependency chain), Nodelists rotated so groups spread over all nodes, one group in 20
 * scalable (a shared filesystem and four application instances, on up to 4 nodes), and a few
 * RG_dependencies and weak affinities. Nodes are numbered 1..N.
 *
 * <p>Two situations: every member probed and nothing running (the first plan of a new cluster),
 * and the settled placement that plan leads to with the busiest node gone and cleared. The
 * settled placement is the initial plan's own: every resource it starts is marked ONLINE where
 * it was started.
 */
final class SchedulerWorkload {
    static final int RESOURCES_PER_GROUP = 5;
    static final int SCALABLE_EVERY = 20;
    static final int SCALABLE_DESIRED_PRIMARIES = 4;
    /** Any time: no failure history, so the scheduler never compares against it. */
    static final long NOW_MS = 1_000_000;

    final RgmConfig config;
    final int[] nodes;
    final ClusterView allMembers;
    final RgmState initial;
    final int expectedInitialStarts;
    final RgmState afterFailure;
    final ClusterView withoutFailed;
    final int failedNode;
    final int expectedFailoverStarts;

    SchedulerWorkload(int resources, int nodeCount) {
        if (resources % RESOURCES_PER_GROUP != 0) {
            throw new IllegalArgumentException("resources must be a multiple of " + RESOURCES_PER_GROUP);
        }
        nodes = IntStream.rangeClosed(1, nodeCount).toArray();
        config = new RgmConfig(groups(resources / RESOURCES_PER_GROUP, nodeCount));
        allMembers = ClusterView.of(new Epoch(1, 1), members(-1));
        initial = allOffline();
        TransitionGraph first = Scheduler.plan(allMembers, initial, NOW_MS);
        expectedInitialStarts = expectedInitialStarts();
        requireStarts("initial placement", first, expectedInitialStarts);
        RgmState settled = settled(first);
        requireStarts("settled placement (nothing to do)", Scheduler.plan(allMembers, settled, NOW_MS), 0);
        failedNode = busiestNode(settled);
        expectedFailoverStarts = expectedFailoverStarts(settled, failedNode);
        settled.nodeCleared(failedNode);
        afterFailure = settled;
        withoutFailed = ClusterView.of(new Epoch(2, nodes[0] == failedNode ? nodes[1] : nodes[0]), members(failedNode));
        requireStarts("failover of node " + failedNode, Scheduler.plan(withoutFailed, afterFailure, NOW_MS),
                expectedFailoverStarts);
    }

    // ---- configuration -----------------------------------------------------------------------

    private static List<GroupSpec> groups(int groupCount, int nodeCount) {
        List<GroupSpec> out = new ArrayList<>(groupCount);
        for (int g = 0; g < groupCount; g++) {
            List<Integer> nodelist = rotation(g, nodeCount);
            out.add(isScalable(g) ? scalable(g, nodelist) : failover(g, nodelist));
        }
        return out;
    }

    static boolean isScalable(int g) {
        return g % SCALABLE_EVERY == SCALABLE_EVERY - 1;
    }

    static int desiredPrimaries(int nodeCount) {
        return Math.min(nodeCount, SCALABLE_DESIRED_PRIMARIES);
    }

    /** Nodes 1..N starting at a different node for each group. */
    private static List<Integer> rotation(int g, int nodeCount) {
        List<Integer> out = new ArrayList<>(nodeCount);
        for (int k = 0; k < nodeCount; k++) {
            out.add(1 + (g + k) % nodeCount);
        }
        return out;
    }

    private static GroupSpec failover(int g, List<Integer> nodelist) {
        String name = groupName(g);
        List<ResourceSpec> rs = List.of(
                new ResourceSpec(name + "-ip", "ipaddress", Tier.NETWORK, Optional.of("public"), true, true, List.of(),
                        FailoverMode.SOFT, RgmDefaults.RETRY_COUNT, RgmDefaults.RETRY_INTERVAL_MS,
                        RgmDefaults.PROBE_INTERVAL_MS, Map.of(), Set.of(), Map.of()),
                ResourceSpec.of(name + "-fs", "filesystem", Tier.STORAGE),
                app(name + "-db", name + "-fs"),
                app(name + "-app", name + "-db"),
                app(name + "-web", name + "-app"));
        return new GroupSpec(name, ResourceKind.FAILOVER, nodelist, RgmDefaults.FAILBACK, 1, 1, rgDependencies(g),
                affinities(g), RgmDefaults.PINGPONG_INTERVAL_MS, true, rs);
    }

    private static GroupSpec scalable(int g, List<Integer> nodelist) {
        String name = groupName(g);
        List<ResourceSpec> rs = List.of(
                ResourceSpec.of(name + "-sharedfs", "filesystem", Tier.STORAGE),
                app(name + "-worker1", name + "-sharedfs"),
                app(name + "-worker2", name + "-worker1"),
                app(name + "-worker3", name + "-worker2"),
                app(name + "-worker4", name + "-worker3"));
        return new GroupSpec(name, ResourceKind.SCALABLE, nodelist, false, nodelist.size(),
                desiredPrimaries(nodelist.size()), List.of(), List.of(), RgmDefaults.PINGPONG_INTERVAL_MS, true, rs);
    }

    private static ResourceSpec app(String name, String dependsOn) {
        return ResourceSpec.of(name, "application", Tier.APPLICATION)
                .withDependencies(List.of(new Dependency(DependencyKind.STRONG, dependsOn)));
    }

    /** About one group in 25 needs the group five before it online first. */
    private static List<String> rgDependencies(int g) {
        return g % 25 == 5 ? List.of(groupName(g - 5)) : List.of();
    }

    /** About one group in 25 prefers its predecessor's node, one in 25 avoids the node of the one two before. */
    private static List<Affinity> affinities(int g) {
        if (g % 25 == 10) {
            return List.of(new Affinity(Affinity.Kind.WEAK_POSITIVE, groupName(g - 1)));
        }
        if (g % 25 == 15) {
            return List.of(new Affinity(Affinity.Kind.WEAK_NEGATIVE, groupName(g - 2)));
        }
        return List.of();
    }

    private static String groupName(int g) {
        return String.format("rg%05d", g);
    }

    private Set<Integer> members(int except) {
        Set<Integer> out = new TreeSet<>();
        for (int n : nodes) {
            if (n != except) {
                out.add(n);
            }
        }
        return out;
    }

    // ---- states ------------------------------------------------------------------------------

    /** Every member probed, nothing running anywhere. */
    private RgmState allOffline() {
        RgmState s = new RgmState(config, nodes, true);
        for (int r = 0; r < config.resourceCount(); r++) {
            for (int n : nodes) {
                s.force(r, n, ResourceState.OFFLINE);
            }
        }
        return s;
    }

    /** Everything the initial plan starts, ONLINE where it starts it. */
    private RgmState settled(TransitionGraph first) {
        RgmState s = new RgmState(config, nodes, false);
        for (int r = 0; r < config.resourceCount(); r++) {
            for (int n : nodes) {
                s.force(r, n, ResourceState.OFFLINE);
            }
        }
        for (Action a : first.actions()) {
            if (isStart(a)) {
                s.force(a.resource(), a.node(), ResourceState.ONLINE);
            }
        }
        return s;
    }

    private int expectedInitialStarts() {
        int starts = 0;
        for (int g = 0; g < config.groupCount(); g++) {
            int copies = config.group(g).isFailover() ? 1 : config.group(g).desiredPrimaries();
            starts += copies * config.resourcesOf(g).length;
        }
        return starts;
    }

    /** The node hosting the most groups (the lowest-numbered on a tie). */
    private int busiestNode(RgmState settled) {
        int best = nodes[0];
        int bestCount = -1;
        for (int n : nodes) {
            int count = 0;
            for (int g = 0; g < config.groupCount(); g++) {
                count += hosts(settled, g, n) ? 1 : 0;
            }
            if (count > bestCount) {
                best = n;
                bestCount = count;
            }
        }
        return best;
    }

    /**
     * A failover group on the failed node starts all its resources elsewhere; a scalable one
     * starts a replacement instance only if enough nodes are left for its Desired_primaries.
     */
    private int expectedFailoverStarts(RgmState settled, int failed) {
        int starts = 0;
        for (int g = 0; g < config.groupCount(); g++) {
            GroupSpec spec = config.group(g);
            boolean replaceable = spec.isFailover() || spec.desiredPrimaries() <= nodes.length - 1;
            if (hosts(settled, g, failed) && replaceable) {
                starts += config.resourcesOf(g).length;
            }
        }
        return starts;
    }

    private boolean hosts(RgmState s, int g, int node) {
        return s.state(config.resourcesOf(g)[0], node) == ResourceState.ONLINE;
    }

    static boolean isStart(Action a) {
        return a.kind() == Action.Kind.METHOD && a.method() == MethodName.START;
    }

    static int starts(TransitionGraph graph) {
        int n = 0;
        for (Action a : graph.actions()) {
            n += isStart(a) ? 1 : 0;
        }
        return n;
    }

    /** A benchmark of a plan that does not do the work it should measures nothing: refuse to run. */
    static void requireStarts(String what, TransitionGraph graph, int expected) {
        int got = starts(graph);
        long methods = graph.methodCount();
        if (got != expected || methods != expected) {
            throw new IllegalStateException(what + ": expected " + expected + " start actions and nothing else, "
                    + "the plan has " + got + " starts and " + methods + " method actions; blocked: "
                    + graph.blocked());
        }
    }
}
