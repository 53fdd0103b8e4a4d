package dev.baton.core.rgm;

import dev.baton.api.type.MethodName;

/**
 * The one place for the RGM's configuration defaults. Resource values follow the standard
 * properties of the api module (dev.baton.api.type.StandardProperties); group values follow Sun
 * Cluster's where an operator would look for them.
 */
public final class RgmDefaults {
    /** Pingpong_interval: how long a node that failed a group is avoided for it (Sun Cluster: 3600 s). */
    public static final long PINGPONG_INTERVAL_MS = 3_600_000;
    public static final boolean FAILBACK = false;
    public static final boolean AUTO_START_ON_NEW_CLUSTER = true;
    /** Retry_count and Retry_interval: restarts in place allowed within the window before the group moves. */
    public static final int RETRY_COUNT = 2;
    public static final long RETRY_INTERVAL_MS = 300_000;
    /** Thorough_probe_interval: time between two probes of an online, monitored resource. */
    public static final long PROBE_INTERVAL_MS = 60_000;
    /** How long {@code evacuate} keeps groups off a node unless the request says otherwise (Sun Cluster: 60 s). */
    public static final long EVACUATE_MS = 60_000;
    /**
     * What the graph runner adds to a method's timeout before it gives up waiting for the result
     * (the method runtime's timeout is authoritative; this covers a lost message or a dead node).
     */
    public static final long RUNNER_BACKSTOP_MARGIN_MS = 5_000;
    /** Bounds on a configuration: more is refused at parse time with the limit named. */
    public static final int MAX_GROUPS = 20_000;
    public static final int MAX_RESOURCES = 100_000;
    public static final int MAX_RESOURCES_PER_GROUP = 256;
    public static final int MAX_RETRY_COUNT = 100;

    private RgmDefaults() {
    }

    /** A method's timeout when the resource's configuration does not set it. */
    public static long methodTimeoutMs(MethodName method) {
        return switch (method) {
            case START, STOP, PRENET_START, POSTNET_STOP -> 300_000;
            case PROBE -> 60_000;
            default -> 60_000;
        };
    }
}
