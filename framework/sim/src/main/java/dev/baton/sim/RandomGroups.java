package dev.baton.sim;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.rgm.GroupSpec;
import dev.baton.core.rgm.RgmConfig;
import dev.baton.core.rgm.RgmConfigText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Random resource groups for {@link RandomRun}: one to four failover groups (and sometimes a
 * scalable one) of one to three resources with dependencies, short method timeouts and one-second
 * probes, so that failures and failovers happen within a run. Failover_mode is SOFT or HARD; only
 * HARD resources' stops fail (the node is power-fenced or halted and the group moves on), since a
 * SOFT stop failure waits for an operator, which is a scenario, not a liveness failure.
 */
final class RandomGroups {
    /** Method misbehaviour during the fault phase. */
    static final SimResources.Faults FAULTS = new SimResources.Faults(0.05, 0.05, 0.02);

    private RandomGroups() {
    }

    static String text(ClusterConfig cluster, Random random) {
        List<Integer> nodes = new ArrayList<>(cluster.nodeIds());
        StringBuilder text = new StringBuilder();
        int groups = 1 + random.nextInt(4);
        for (int g = 1; g <= groups; g++) {
            Collections.shuffle(nodes, random);
            List<Integer> nodelist = nodes.subList(0, Math.max(1, Math.min(nodes.size(), 2 + random.nextInt(nodes.size()))));
            text.append("group g").append(g).append(" failover nodes=").append(join(nodelist)).append(" pingpong=0s")
                    .append(random.nextInt(4) == 0 ? " failback=true" : "").append('\n');
            resources(text, "g" + g, random, random.nextInt(3) == 0 ? "HARD" : "SOFT");
        }
        if (nodes.size() >= 3 && random.nextInt(3) == 0) {
            text.append("group s1 scalable nodes=").append(join(nodes)).append(" desired=2 max=2 pingpong=0s\n");
            resources(text, "s1", random, "SOFT");
        }
        return text.toString();
    }

    private static void resources(StringBuilder text, String group, Random random, String mode) {
        int count = 1 + random.nextInt(3);
        for (int r = 1; r <= count; r++) {
            text.append("  resource ").append(group).append("-r").append(r).append(" type=sim")
                    .append(r == 1 && random.nextBoolean() ? " tier=network network=net1" : "")
                    .append(r > 1 ? " depends=" + kind(random) + ":" + group + "-r" + (r - 1) : "")
                    .append(" Failover_mode=").append(mode)
                    .append(" Start_timeout=2s Stop_timeout=2s Probe_timeout=1s probe_interval=1s Retry_count=1 Retry_interval=5s\n");
        }
    }

    private static String kind(Random random) {
        return List.of("strong", "weak", "restart", "offline_restart").get(random.nextInt(4));
    }

    private static String join(List<Integer> nodes) {
        return String.join(",", nodes.stream().map(String::valueOf).toList());
    }

    static String describe(String text) {
        RgmConfig c = RgmConfigText.parse(text, "rgm");
        return c.groupCount() + " groups, " + c.resourceCount() + " resources";
    }

    /**
     * Liveness after repair: every failover group fully runs on exactly one node, every scalable
     * group on as many as it desires (at most the nodes up), within {@code boundMs}.
     */
    static void checkAllOnline(Simulation sim, String text, long seed, long boundMs) {
        RgmConfig config = RgmConfigText.parse(text, "rgm");
        if (sim.runUntil(() -> allOnline(sim, config), boundMs)) {
            return;
        }
        StringBuilder why = new StringBuilder("liveness: groups not all online " + boundMs + " ms after membership converged, seed "
                + seed + "; running: " + sim.resources().snapshot());
        sim.nodes().values().forEach(n -> n.core().flatMap(c -> c.rgmCoordinator()).ifPresent(c ->
                why.append("\n  coordinator node ").append(n.id()).append(" last plan:\n").append(c.lastGraph().summary())));
        throw new InvariantViolation(why + "\n  last events:\n" + sim.log().tailText(40));
    }

    private static boolean allOnline(Simulation sim, RgmConfig config) {
        for (int g = 0; g < config.groupCount(); g++) {
            GroupSpec spec = config.group(g);
            int full = 0;
            for (int node : sim.nodes().keySet()) {
                if (sim.resources().groupFullyOn(config, g, node)) {
                    full++;
                }
            }
            long up = spec.nodelist().stream().filter(n -> sim.node(n).daemonAlive()).count();
            int want = spec.isFailover() ? 1 : (int) Math.min(spec.desiredPrimaries(), up);
            if (full != want || (spec.isFailover() && sim.resources().nodesRunning(config, g).size() != 1)) {
                return false;
            }
        }
        return true;
    }
}
