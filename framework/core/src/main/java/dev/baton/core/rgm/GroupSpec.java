package dev.baton.core.rgm;

import dev.baton.api.type.ResourceKind;
import java.util.List;
import java.util.Objects;

/**
 * One configured resource group.
 *
 * @param nodelist              the nodes that may host it, most preferred first
 * @param failback              move to a more preferred node when one becomes available
 * @param maximumPrimaries      at most this many nodes at once (1 for a failover group)
 * @param desiredPrimaries      how many nodes the RGM tries to bring it online on
 * @param rgDependencies        groups that must be online (anywhere) before this one starts, and
 *                              that are stopped only after it
 * @param pingpongIntervalMs    a node that failed the group is avoided for this long
 * @param autoStartOnNewCluster whether a freshly formed cluster brings it online unasked
 */
public record GroupSpec(String name, ResourceKind kind, List<Integer> nodelist, boolean failback,
                        int maximumPrimaries, int desiredPrimaries, List<String> rgDependencies,
                        List<Affinity> affinities, long pingpongIntervalMs, boolean autoStartOnNewCluster,
                        List<ResourceSpec> resources) {

    public GroupSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        nodelist = List.copyOf(nodelist);
        rgDependencies = List.copyOf(rgDependencies);
        affinities = List.copyOf(affinities);
        resources = List.copyOf(resources);
    }

    /** A failover group with every default. */
    public static GroupSpec failover(String name, List<Integer> nodelist, List<ResourceSpec> resources) {
        return new GroupSpec(name, ResourceKind.FAILOVER, nodelist, RgmDefaults.FAILBACK, 1, 1, List.of(), List.of(),
                RgmDefaults.PINGPONG_INTERVAL_MS, RgmDefaults.AUTO_START_ON_NEW_CLUSTER, resources);
    }

    public boolean isFailover() {
        return kind == ResourceKind.FAILOVER;
    }
}
