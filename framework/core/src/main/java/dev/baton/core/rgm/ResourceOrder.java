package dev.baton.core.rgm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which a group's resources start: by tier (network, storage, application), and
 * within a tier after the resources they depend on, otherwise in configuration order. Stops run
 * in the reverse order.
 */
final class ResourceOrder {
    private ResourceOrder() {
    }

    /** Positions (into the group's resource list) in start order. */
    static int[] startOrder(GroupSpec group) {
        List<ResourceSpec> rs = group.resources();
        Map<String, Integer> pos = new HashMap<>();
        for (int i = 0; i < rs.size(); i++) {
            pos.put(rs.get(i).name(), i);
        }
        int[] order = new int[rs.size()];
        int[] state = new int[rs.size()];
        int[] next = {0};
        for (Tier tier : Tier.values()) {
            for (int i = 0; i < rs.size(); i++) {
                if (rs.get(i).tier() == tier) {
                    visit(group, i, pos, state, order, next);
                }
            }
        }
        return order;
    }

    private static void visit(GroupSpec group, int i, Map<String, Integer> pos, int[] state, int[] order, int[] next) {
        if (state[i] == 2) {
            return;
        }
        ResourceSpec r = group.resources().get(i);
        RgmConfig.check(state[i] == 0, "group " + group.name() + ": resource dependencies form a cycle through "
                + r.name());
        state[i] = 1;
        for (Dependency d : r.dependencies()) {
            visit(group, pos.get(d.target()), pos, state, order, next);
        }
        state[i] = 2;
        order[next[0]++] = i;
    }

    /** Refuses dependency cycles and a dependency on a later tier (a network resource cannot wait for an application). */
    static void requireAcyclic(GroupSpec group) {
        Map<String, ResourceSpec> byName = new HashMap<>();
        group.resources().forEach(r -> byName.put(r.name(), r));
        for (ResourceSpec r : group.resources()) {
            for (Dependency d : r.dependencies()) {
                ResourceSpec target = byName.get(d.target());
                RgmConfig.check(target.tier().ordinal() <= r.tier().ordinal(), "resource " + r.name() + " ("
                        + r.tier().configName() + ") cannot depend on " + target.name() + " ("
                        + target.tier().configName() + "): " + target.tier().configName() + " resources start later");
            }
        }
        startOrder(group);
    }

    /** Names of resources that list {@code target} in their dependencies, with the kind. */
    static List<Dependency> dependentsOf(GroupSpec group, String target) {
        List<Dependency> out = new ArrayList<>();
        for (ResourceSpec r : group.resources()) {
            for (Dependency d : r.dependencies()) {
                if (d.target().equals(target)) {
                    out.add(new Dependency(d.kind(), r.name()));
                }
            }
        }
        return out;
    }
}
