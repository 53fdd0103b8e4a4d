package dev.baton.core.rgm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated resource group configuration, with the indexes the scheduler needs: every
 * resource has a global index ({@link #resource(int)}), every group an index in configuration
 * order, and groups are also kept in {@link #planOrder()}: a group after every group it depends on
 * or has an affinity for, so a target's placement is known when its dependents are placed.
 */
public final class RgmConfig {
    private final List<GroupSpec> groups;
    private final Map<String, Integer> groupIndex = new HashMap<>();
    private final Map<String, Integer> resourceIndex = new HashMap<>();
    private final List<ResourceSpec> resources = new ArrayList<>();
    private final int[] groupOfResource;
    private final int[][] groupResources;
    private final int[] planOrder;
    private final int[][] stopsBefore;
    private final int[][] keptApart;
    private final int[][] startOrders;

    public RgmConfig(List<GroupSpec> groups) {
        this.groups = List.copyOf(groups);
        check(this.groups.size() <= RgmDefaults.MAX_GROUPS, "too many groups: " + groups.size()
                + " (limit " + RgmDefaults.MAX_GROUPS + ")");
        List<Integer> owner = new ArrayList<>();
        groupResources = new int[this.groups.size()][];
        for (int g = 0; g < this.groups.size(); g++) {
            GroupSpec group = this.groups.get(g);
            check(groupIndex.putIfAbsent(group.name(), g) == null, "group " + group.name() + " is defined twice");
            groupResources[g] = new int[group.resources().size()];
            for (int i = 0; i < group.resources().size(); i++) {
                ResourceSpec r = group.resources().get(i);
                check(resourceIndex.putIfAbsent(r.name(), resources.size()) == null,
                        "resource " + r.name() + " is defined twice");
                groupResources[g][i] = resources.size();
                resources.add(r);
                owner.add(g);
            }
        }
        check(resources.size() <= RgmDefaults.MAX_RESOURCES, "too many resources: " + resources.size()
                + " (limit " + RgmDefaults.MAX_RESOURCES + ")");
        groupOfResource = owner.stream().mapToInt(Integer::intValue).toArray();
        this.groups.forEach(this::validateGroup);
        planOrder = GroupOrder.compute(this);
        stopsBefore = reverseIndex(true);
        keptApart = reverseIndex(false);
        startOrders = new int[this.groups.size()][];
        for (int g = 0; g < this.groups.size(); g++) {
            startOrders[g] = ResourceOrder.startOrder(this.groups.get(g));
        }
    }

    /**
     * For each group, the groups that point at it: with {@code stops}, those that must stop before
     * it (RG_dependencies on it, strong positive affinity for it); otherwise those with a strong
     * negative affinity for it. Built once so planning stays linear in the number of groups.
     */
    private int[][] reverseIndex(boolean stops) {
        List<List<Integer>> lists = new ArrayList<>();
        groups.forEach(g -> lists.add(new ArrayList<>()));
        for (int d = 0; d < groups.size(); d++) {
            GroupSpec spec = groups.get(d);
            if (stops) {
                for (String dep : spec.rgDependencies()) {
                    lists.get(groupIndex(dep)).add(d);
                }
            }
            for (Affinity a : spec.affinities()) {
                Affinity.Kind wanted = stops ? Affinity.Kind.STRONG_POSITIVE : Affinity.Kind.STRONG_NEGATIVE;
                if (a.kind() == wanted) {
                    lists.get(groupIndex(a.group())).add(d);
                }
            }
        }
        int[][] out = new int[groups.size()][];
        for (int g = 0; g < out.length; g++) {
            out[g] = lists.get(g).stream().mapToInt(Integer::intValue).distinct().toArray();
        }
        return out;
    }

    /** Groups that must stop on a node before {@code g} stops there: its dependents and strong followers. */
    public int[] stopsBefore(int g) {
        return stopsBefore[g];
    }

    /** Groups with a strong negative affinity for {@code g}. */
    public int[] keptApartFrom(int g) {
        return keptApart[g];
    }

    /** Positions of the group's resources (into its resource list) in start order. */
    public int[] startOrder(int g) {
        return startOrders[g];
    }

    public static RgmConfig empty() {
        return new RgmConfig(List.of());
    }

    /** Refuses nodelists naming nodes the cluster does not have. */
    public void requireNodes(Collection<Integer> clusterNodes) {
        for (GroupSpec g : groups) {
            for (int n : g.nodelist()) {
                check(clusterNodes.contains(n), "group " + g.name() + ": Nodelist names node " + n
                        + ", which is not a cluster node " + clusterNodes);
            }
        }
    }

    public List<GroupSpec> groups() {
        return groups;
    }

    public int groupCount() {
        return groups.size();
    }

    public int resourceCount() {
        return resources.size();
    }

    public GroupSpec group(int g) {
        return groups.get(g);
    }

    public ResourceSpec resource(int r) {
        return resources.get(r);
    }

    public int groupOf(int r) {
        return groupOfResource[r];
    }

    /** Global indexes of a group's resources, in configuration order. */
    public int[] resourcesOf(int g) {
        return groupResources[g];
    }

    public int groupIndex(String name) {
        Integer g = groupIndex.get(name);
        if (g == null) {
            throw new IllegalArgumentException("no group named " + name);
        }
        return g;
    }

    public boolean hasGroup(String name) {
        return groupIndex.containsKey(name);
    }

    public int resourceIndex(String name) {
        Integer r = resourceIndex.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no resource named " + name);
        }
        return r;
    }

    public boolean hasResource(String name) {
        return resourceIndex.containsKey(name);
    }

    /** Group indexes, each after the groups it depends on or has affinities for. */
    public int[] planOrder() {
        return planOrder;
    }

    private void validateGroup(GroupSpec g) {
        String where = "group " + g.name() + ": ";
        check(!g.nodelist().isEmpty(), where + "Nodelist is empty");
        check(new HashSet<>(g.nodelist()).size() == g.nodelist().size(), where + "Nodelist names a node twice");
        check(g.resources().size() <= RgmDefaults.MAX_RESOURCES_PER_GROUP, where + "more than "
                + RgmDefaults.MAX_RESOURCES_PER_GROUP + " resources");
        check(g.pingpongIntervalMs() >= 0, where + "Pingpong_interval is negative");
        if (g.isFailover()) {
            check(g.maximumPrimaries() == 1 && g.desiredPrimaries() == 1,
                    where + "a failover group has Maximum_primaries = Desired_primaries = 1");
        } else {
            check(g.desiredPrimaries() >= 1 && g.desiredPrimaries() <= g.maximumPrimaries(),
                    where + "Desired_primaries must be between 1 and Maximum_primaries");
            check(g.maximumPrimaries() <= g.nodelist().size(),
                    where + "Maximum_primaries is larger than the Nodelist");
        }
        for (String dep : g.rgDependencies()) {
            check(groupIndex.containsKey(dep), where + "RG_dependencies names unknown group " + dep);
            check(!dep.equals(g.name()), where + "RG_dependencies names the group itself");
        }
        for (Affinity a : g.affinities()) {
            check(groupIndex.containsKey(a.group()), where + "RG_affinities names unknown group " + a.group());
            check(!a.group().equals(g.name()), where + "RG_affinities names the group itself");
        }
        Set<String> names = new HashSet<>();
        g.resources().forEach(r -> names.add(r.name()));
        for (ResourceSpec r : g.resources()) {
            validateResource(g, r, names);
        }
        ResourceOrder.requireAcyclic(g);
    }

    private static void validateResource(GroupSpec g, ResourceSpec r, Set<String> groupNames) {
        String where = "resource " + r.name() + " (group " + g.name() + "): ";
        check(r.retryCount() >= 0 && r.retryCount() <= RgmDefaults.MAX_RETRY_COUNT,
                where + "Retry_count must be 0.." + RgmDefaults.MAX_RETRY_COUNT);
        check(r.retryIntervalMs() > 0, where + "Retry_interval must be positive");
        check(r.probeIntervalMs() > 0, where + "Thorough_probe_interval must be positive");
        check(r.tier() == Tier.NETWORK || r.network().isEmpty(), where + "only a network resource names a network");
        for (Dependency d : r.dependencies()) {
            check(groupNames.contains(d.target()), where + "depends on " + d.target()
                    + ", which is not a resource of group " + g.name());
            check(!d.target().equals(r.name()), where + "depends on itself");
        }
        r.timeoutsMs().forEach((m, ms) -> check(ms > 0, where + m.timeoutProperty() + " must be positive"));
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new InvalidRgmConfigException(message);
        }
    }
}
