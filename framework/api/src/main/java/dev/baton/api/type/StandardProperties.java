package dev.baton.api.type;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The properties every resource has, whatever its type, with the framework's defaults. A
 * descriptor may change their default, min, max and tunability ({@code standard_properties:})
 * and sets each method's default timeout ({@code methods.start.timeout}); it cannot remove them.
 */
public final class StandardProperties {
    public static final String RETRY_COUNT = "Retry_count";
    public static final String RETRY_INTERVAL = "Retry_interval";
    public static final String THOROUGH_PROBE_INTERVAL = "Thorough_probe_interval";
    public static final String FAILOVER_MODE = "Failover_mode";

    /** Bounds every method timeout: long enough to start anything, short enough to notice a hang. */
    public static final Duration MIN_METHOD_TIMEOUT = Duration.ofMillis(100);
    public static final Duration MAX_METHOD_TIMEOUT = Duration.ofHours(24);

    private StandardProperties() {
    }

    /** The standard properties that do not depend on the methods a type implements. */
    public static List<PropertySpec> common() {
        return List.of(
                new PropertySpec(RETRY_COUNT, PropertyType.INT,
                        "Restarts allowed within Retry_interval before the group moves",
                        2L, 0L, 100L, List.of(), false, Tunability.ANYTIME, true),
                new PropertySpec(RETRY_INTERVAL, PropertyType.DURATION,
                        "Window in which Retry_count restarts are counted",
                        Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofHours(24),
                        List.of(), false, Tunability.ANYTIME, true),
                new PropertySpec(THOROUGH_PROBE_INTERVAL, PropertyType.DURATION,
                        "Time between two probes of an online resource",
                        Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofHours(1),
                        List.of(), false, Tunability.ANYTIME, true),
                new PropertySpec(FAILOVER_MODE, PropertyType.ENUM,
                        "How far the RGM goes to recover this resource",
                        FailoverMode.SOFT.name(), null, null,
                        Arrays.stream(FailoverMode.values()).map(Enum::name).toList(),
                        false, Tunability.ANYTIME, true));
    }

    /** The timeout property of one implemented method, with the descriptor's default. */
    public static PropertySpec timeout(MethodName method, Duration defaultTimeout) {
        return new PropertySpec(method.timeoutProperty(), PropertyType.DURATION,
                "Time " + method.jsName() + " may take before it is killed and reported TIMED_OUT",
                defaultTimeout, MIN_METHOD_TIMEOUT, MAX_METHOD_TIMEOUT, List.of(), false,
                Tunability.ANYTIME, true);
    }

    /** Names of all standard properties a type implementing these methods has. */
    public static List<String> names(Iterable<MethodName> methods) {
        List<String> names = new ArrayList<>();
        for (MethodName m : methods) {
            names.add(m.timeoutProperty());
        }
        common().forEach(p -> names.add(p.name()));
        return names;
    }
}
