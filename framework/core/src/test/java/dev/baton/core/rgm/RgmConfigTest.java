package dev.baton.core.rgm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.type.FailoverMode;
import dev.baton.api.type.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RgmConfigTest {
    private static final List<Integer> NODES = List.of(1, 2, 3);

    private static ResourceSpec app(String name, Dependency... deps) {
        return ResourceSpec.of(name, "t", Tier.APPLICATION).withDependencies(List.of(deps));
    }

    private static ResourceSpec net(String name, Dependency... deps) {
        return ResourceSpec.of(name, "ip", Tier.NETWORK).withDependencies(List.of(deps));
    }

    private static Dependency strong(String target) {
        return new Dependency(DependencyKind.STRONG, target);
    }

    private static GroupSpec failover(String name, ResourceSpec... resources) {
        return GroupSpec.failover(name, NODES, List.of(resources));
    }

    private static GroupSpec group(String name, List<String> rgDependencies, List<Affinity> affinities) {
        return new GroupSpec(name, ResourceKind.FAILOVER, NODES, false, 1, 1, rgDependencies, affinities,
                RgmDefaults.PINGPONG_INTERVAL_MS, true, List.of());
    }

    private static GroupSpec scalable(String name, List<Integer> nodelist, int max, int desired) {
        return new GroupSpec(name, ResourceKind.SCALABLE, nodelist, false, max, desired, List.of(), List.of(),
                RgmDefaults.PINGPONG_INTERVAL_MS, true, List.of());
    }

    private static void refused(List<GroupSpec> groups, String message) {
        assertThatThrownBy(() -> new RgmConfig(groups))
                .isInstanceOf(InvalidRgmConfigException.class)
                .hasMessage(message);
    }

    @Test
    void anEmptyConfigurationIsValid() {
        RgmConfig config = RgmConfig.empty();
        assertThat(config.groupCount()).isZero();
        assertThat(config.resourceCount()).isZero();
        assertThat(config.planOrder()).isEmpty();
    }

    @Test
    void resourcesAreIndexedAcrossGroups() {
        RgmConfig config = new RgmConfig(List.of(failover("a", app("a1"), app("a2")), failover("b", app("b1"))));
        assertThat(config.resourceCount()).isEqualTo(3);
        assertThat(config.resourceIndex("b1")).isEqualTo(2);
        assertThat(config.groupOf(2)).isEqualTo(1);
        assertThat(config.resourcesOf(0)).containsExactly(0, 1);
        assertThat(config.hasResource("a2")).isTrue();
        assertThat(config.hasResource("c")).isFalse();
        assertThat(config.hasGroup("b")).isTrue();
        assertThatThrownBy(() -> config.groupIndex("c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no group named c");
        assertThatThrownBy(() -> config.resourceIndex("c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no resource named c");
    }

    @Test
    void aGroupDefinedTwiceIsRefused() {
        refused(List.of(failover("web"), failover("db"), failover("web")), "group web is defined twice");
    }

    @Test
    void aResourceNameUsedTwiceIsRefusedEvenAcrossGroups() {
        refused(List.of(failover("a", app("x"), app("y")), failover("b", app("x"))), "resource x is defined twice");
    }

    @Test
    void aDependencyOnAResourceOfAnotherGroupIsRefused() {
        refused(List.of(failover("a", app("fs")), failover("b", app("web", strong("fs")))),
                "resource web (group b): depends on fs, which is not a resource of group b");
    }

    @Test
    void aSelfDependencyIsRefused() {
        refused(List.of(failover("a", app("web", new Dependency(DependencyKind.WEAK, "web")))),
                "resource web (group a): depends on itself");
    }

    @Test
    void aDependencyCycleIsRefused() {
        refused(List.of(failover("g", app("a", strong("b")), app("b", strong("c")), app("c", strong("a")))),
                "group g: resource dependencies form a cycle through a");
    }

    @Test
    void aNetworkResourceCannotDependOnAnApplication() {
        refused(List.of(failover("g", app("web"), net("ip", strong("web")))),
                "resource ip (network) cannot depend on web (application): application resources start later");
    }

    @Test
    void anApplicationMayDependOnALaterListedNetworkResource() {
        RgmConfig config = new RgmConfig(List.of(failover("g", app("web", strong("ip")), net("ip"))));
        assertThat(ResourceOrder.startOrder(config.group(0))).containsExactly(1, 0);
    }

    @Test
    void rgDependenciesMustNameAnotherExistingGroup() {
        refused(List.of(group("a", List.of("nosuch"), List.of())), "group a: RG_dependencies names unknown group nosuch");
        refused(List.of(group("a", List.of("a"), List.of())), "group a: RG_dependencies names the group itself");
    }

    @Test
    void affinitiesMustNameAnotherExistingGroup() {
        refused(List.of(group("a", List.of(), List.of(new Affinity(Affinity.Kind.WEAK_POSITIVE, "nosuch")))),
                "group a: RG_affinities names unknown group nosuch");
        refused(List.of(group("a", List.of(), List.of(new Affinity(Affinity.Kind.STRONG_NEGATIVE, "a")))),
                "group a: RG_affinities names the group itself");
    }

    @Test
    void aCycleThroughDependenciesAndStrongAffinitiesIsRefused() {
        assertThatThrownBy(() -> new RgmConfig(List.of(
                group("a", List.of("b"), List.of()),
                group("b", List.of(), List.of(new Affinity(Affinity.Kind.STRONG_POSITIVE, "c"))),
                group("c", List.of(), List.of(new Affinity(Affinity.Kind.STRONG_NEGATIVE, "a"))))))
                .isInstanceOf(InvalidRgmConfigException.class)
                .hasMessage("RG_dependencies and strong RG_affinities form a cycle among groups [a, b, c]");
    }

    @Test
    void aCycleOfRgDependenciesAloneIsRefused() {
        assertThatThrownBy(() -> new RgmConfig(List.of(group("a", List.of("b"), List.of()),
                group("b", List.of("a"), List.of()))))
                .isInstanceOf(InvalidRgmConfigException.class)
                .hasMessageContaining("form a cycle among groups")
                .hasMessageContaining("a")
                .hasMessageContaining("b");
    }

    @Test
    void aCycleThroughAWeakAffinityIsAcceptedWithTheStrongTargetFirst() {
        // b (index 0) needs a online; a (index 1) only prefers b's nodes: a must be placed first
        // although b has the lower index.
        RgmConfig config = new RgmConfig(List.of(
                group("b", List.of("a"), List.of()),
                group("a", List.of(), List.of(new Affinity(Affinity.Kind.WEAK_POSITIVE, "b")))));
        assertThat(config.planOrder()).containsExactly(1, 0);
    }

    @Test
    void aWeakCycleWithAStrongAffinityKeepsTheStrongTargetFirst() {
        // x ++y (strong), y -x (weak), z after x by RG_dependencies.
        RgmConfig config = new RgmConfig(List.of(
                group("z", List.of("x"), List.of()),
                group("x", List.of(), List.of(new Affinity(Affinity.Kind.STRONG_POSITIVE, "y"))),
                group("y", List.of(), List.of(new Affinity(Affinity.Kind.WEAK_NEGATIVE, "x")))));
        assertThat(config.planOrder()).containsExactly(2, 1, 0);
    }

    @Test
    void aPurelyWeakCycleIsBrokenAtTheLowestIndex() {
        RgmConfig config = new RgmConfig(List.of(
                group("p", List.of(), List.of(new Affinity(Affinity.Kind.WEAK_NEGATIVE, "q"))),
                group("q", List.of(), List.of(new Affinity(Affinity.Kind.WEAK_NEGATIVE, "p")))));
        assertThat(config.planOrder()).containsExactly(0, 1);
    }

    @Test
    void planOrderPutsEveryGroupAfterItsTargets() {
        RgmConfig config = new RgmConfig(List.of(
                group("web", List.of("db"), List.of()),
                group("db", List.of("storage"), List.of()),
                group("storage", List.of(), List.of()),
                group("batch", List.of(), List.of(new Affinity(Affinity.Kind.STRONG_NEGATIVE, "web")))));
        assertThat(config.planOrder()).containsExactly(2, 1, 0, 3);
    }

    @Test
    void aFailoverGroupHasOnePrimary() {
        String message = "group g: a failover group has Maximum_primaries = Desired_primaries = 1";
        refused(List.of(new GroupSpec("g", ResourceKind.FAILOVER, NODES, false, 2, 1, List.of(), List.of(), 0, true,
                List.of())), message);
        refused(List.of(new GroupSpec("g", ResourceKind.FAILOVER, NODES, false, 1, 0, List.of(), List.of(), 0, true,
                List.of())), message);
    }

    @Test
    void aScalableGroupNeedsDesiredWithinMaxAndMaxWithinTheNodelist() {
        refused(List.of(scalable("s", NODES, 2, 3)), "group s: Desired_primaries must be between 1 and Maximum_primaries");
        refused(List.of(scalable("s", NODES, 2, 0)), "group s: Desired_primaries must be between 1 and Maximum_primaries");
        refused(List.of(scalable("s", NODES, 4, 2)), "group s: Maximum_primaries is larger than the Nodelist");
        assertThat(new RgmConfig(List.of(scalable("s", NODES, 3, 3))).group(0).desiredPrimaries()).isEqualTo(3);
    }

    @Test
    void theNodelistIsNonEmptyAndNamesEachNodeOnce() {
        refused(List.of(GroupSpec.failover("g", List.of(), List.of())), "group g: Nodelist is empty");
        refused(List.of(GroupSpec.failover("g", List.of(1, 2, 1), List.of())), "group g: Nodelist names a node twice");
    }

    @Test
    void aNegativePingpongIntervalIsRefused() {
        refused(List.of(new GroupSpec("g", ResourceKind.FAILOVER, NODES, false, 1, 1, List.of(), List.of(), -1, true,
                List.of())), "group g: Pingpong_interval is negative");
    }

    @Test
    void resourceValuesAreBounded() {
        refused(List.of(failover("g", withRetry("r", RgmDefaults.MAX_RETRY_COUNT + 1, 1000, 1000))),
                "resource r (group g): Retry_count must be 0..100");
        refused(List.of(failover("g", withRetry("r", 1, 0, 1000))),
                "resource r (group g): Retry_interval must be positive");
        refused(List.of(failover("g", withRetry("r", 1, 1000, 0))),
                "resource r (group g): Thorough_probe_interval must be positive");
        assertThat(new RgmConfig(List.of(failover("g", withRetry("r", RgmDefaults.MAX_RETRY_COUNT, 1, 1))))
                .resource(0).retryCount()).isEqualTo(100);
    }

    private static ResourceSpec withRetry(String name, int retryCount, long retryIntervalMs, long probeIntervalMs) {
        return new ResourceSpec(name, "t", Tier.APPLICATION, Optional.empty(), true, true, List.of(), FailoverMode.SOFT,
                retryCount, retryIntervalMs, probeIntervalMs, Map.of(), Set.of(), Map.of());
    }

    @Test
    void requireNodesRefusesANodelistNamingAnUnknownNode() {
        RgmConfig config = new RgmConfig(List.of(failover("a"), GroupSpec.failover("b", List.of(1, 4), List.of())));
        config.requireNodes(List.of(1, 2, 3, 4));
        assertThatThrownBy(() -> config.requireNodes(List.of(1, 2, 3)))
                .isInstanceOf(InvalidRgmConfigException.class)
                .hasMessage("group b: Nodelist names node 4, which is not a cluster node [1, 2, 3]");
    }

    @Test
    void aGroupHoldsAtMostTheResourceLimit() {
        assertThat(new RgmConfig(List.of(failover("g", resources("r", RgmDefaults.MAX_RESOURCES_PER_GROUP))))
                .resourceCount()).isEqualTo(256);
        refused(List.of(failover("g", resources("r", RgmDefaults.MAX_RESOURCES_PER_GROUP + 1))),
                "group g: more than 256 resources");
    }

    @Test
    void theGroupCountIsLimited() {
        List<GroupSpec> groups = new ArrayList<>();
        for (int i = 0; i <= RgmDefaults.MAX_GROUPS; i++) {
            groups.add(failover("g" + i));
        }
        refused(groups, "too many groups: 20001 (limit 20000)");
    }

    @Test
    void theResourceCountIsLimited() {
        List<GroupSpec> groups = new ArrayList<>();
        int perGroup = RgmDefaults.MAX_RESOURCES_PER_GROUP;
        int total = 0;
        for (int g = 0; total <= RgmDefaults.MAX_RESOURCES; g++) {
            int n = Math.min(perGroup, RgmDefaults.MAX_RESOURCES + 1 - total);
            groups.add(failover("g" + g, resources("g" + g + "r", n)));
            total += n;
        }
        refused(groups, "too many resources: 100001 (limit 100000)");
    }

    private static ResourceSpec[] resources(String prefix, int count) {
        ResourceSpec[] out = new ResourceSpec[count];
        for (int i = 0; i < count; i++) {
            out[i] = app(prefix + i);
        }
        return out;
    }
}
