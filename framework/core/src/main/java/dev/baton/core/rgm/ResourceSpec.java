package dev.baton.core.rgm;

import dev.baton.api.type.FailoverMode;
import dev.baton.api.type.MethodName;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One configured resource.
 *
 * @param network          for a network resource, the network its address lives on: a node where
 *                         that network is down cannot host the group (selective fallover)
 * @param optionalMethods  which of prenet_start / postnet_stop the type implements (the scheduler
 *                         plans only those)
 * @param timeoutsMs       method timeouts that differ from {@link RgmDefaults#methodTimeoutMs}
 * @param properties       the type's own properties, passed to its methods unchanged
 */
public record ResourceSpec(String name, String type, Tier tier, Optional<String> network, boolean enabled,
                           boolean monitored, List<Dependency> dependencies, FailoverMode failoverMode,
                           int retryCount, long retryIntervalMs, long probeIntervalMs,
                           Map<MethodName, Long> timeoutsMs, Set<MethodName> optionalMethods,
                           Map<String, String> properties) {

    public ResourceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(failoverMode, "failoverMode");
        network = Objects.requireNonNullElse(network, Optional.empty());
        dependencies = List.copyOf(dependencies);
        timeoutsMs = timeoutsMs.isEmpty() ? Map.of() : new EnumMap<>(timeoutsMs);
        optionalMethods = optionalMethods.isEmpty() ? Set.of() : EnumSet.copyOf(optionalMethods);
        properties = properties.isEmpty() ? Map.of() : new TreeMap<>(properties);
    }

    /** A resource with every default: enabled, monitored, no dependencies. */
    public static ResourceSpec of(String name, String type, Tier tier) {
        return new ResourceSpec(name, type, tier, Optional.empty(), true, true, List.of(), FailoverMode.SOFT,
                RgmDefaults.RETRY_COUNT, RgmDefaults.RETRY_INTERVAL_MS, RgmDefaults.PROBE_INTERVAL_MS,
                Map.of(), Set.of(), Map.of());
    }

    public long timeoutMs(MethodName method) {
        return timeoutsMs.getOrDefault(method, RgmDefaults.methodTimeoutMs(method));
    }

    public boolean implementsMethod(MethodName method) {
        return !(method == MethodName.PRENET_START || method == MethodName.POSTNET_STOP)
                || optionalMethods.contains(method);
    }

    public ResourceSpec withDependencies(List<Dependency> deps) {
        return new ResourceSpec(name, type, tier, network, enabled, monitored, deps, failoverMode, retryCount,
                retryIntervalMs, probeIntervalMs, timeoutsMs, optionalMethods, properties);
    }
}
