package dev.baton.core.rgm;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Orders groups so that each comes after the groups it names in RG_dependencies and RG_affinities.
 * Dependencies and strong affinities must not form a cycle (refused); a cycle through a weak
 * affinity is broken at the lowest-indexed group, since a preference may be decided either way.
 */
final class GroupOrder {
    private GroupOrder() {
    }

    static int[] compute(RgmConfig config) {
        int n = config.groupCount();
        List<List<Integer>> dependents = new ArrayList<>();
        int[] strongIn = new int[n];
        int[] anyIn = new int[n];
        for (int g = 0; g < n; g++) {
            dependents.add(new ArrayList<>());
        }
        for (int g = 0; g < n; g++) {
            GroupSpec spec = config.group(g);
            for (String dep : spec.rgDependencies()) {
                edge(dependents, config.groupIndex(dep), g, true, strongIn, anyIn);
            }
            for (Affinity a : spec.affinities()) {
                boolean strong = a.kind() == Affinity.Kind.STRONG_POSITIVE || a.kind() == Affinity.Kind.STRONG_NEGATIVE;
                edge(dependents, config.groupIndex(a.group()), g, strong, strongIn, anyIn);
            }
        }
        return kahn(config, dependents, strongIn, anyIn);
    }

    private static void edge(List<List<Integer>> dependents, int target, int dependent, boolean strong,
            int[] strongIn, int[] anyIn) {
        dependents.get(target).add(dependent * 2 + (strong ? 1 : 0));
        anyIn[dependent]++;
        if (strong) {
            strongIn[dependent]++;
        }
    }

    private static int[] kahn(RgmConfig config, List<List<Integer>> dependents, int[] strongIn, int[] anyIn) {
        int n = strongIn.length;
        int[] order = new int[n];
        boolean[] done = new boolean[n];
        TreeSet<Integer> ready = new TreeSet<>();
        for (int g = 0; g < n; g++) {
            if (anyIn[g] == 0) {
                ready.add(g);
            }
        }
        for (int placed = 0; placed < n; placed++) {
            int g = ready.isEmpty() ? breakWeakCycle(config, strongIn, done) : ready.pollFirst();
            done[g] = true;
            order[placed] = g;
            for (int code : dependents.get(g)) {
                int d = code / 2;
                anyIn[d]--;
                if (code % 2 == 1) {
                    strongIn[d]--;
                }
                if (anyIn[d] == 0 && !done[d]) {
                    ready.add(d);
                }
            }
        }
        return order;
    }

    private static int breakWeakCycle(RgmConfig config, int[] strongIn, boolean[] done) {
        for (int g = 0; g < strongIn.length; g++) {
            if (!done[g] && strongIn[g] == 0) {
                return g;
            }
        }
        List<String> cycle = new ArrayList<>();
        for (int g = 0; g < strongIn.length; g++) {
            if (!done[g]) {
                cycle.add(config.group(g).name());
            }
        }
        throw new InvalidRgmConfigException("RG_dependencies and strong RG_affinities form a cycle among groups "
                + cycle);
    }
}
