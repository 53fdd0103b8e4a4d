package dev.baton.core.rgm;

/**
 * A resource's state on one node, as the RGM coordinator knows it.
 *
 * <p>Lifecycle: UNKNOWN (not probed since the node joined or the coordinator took over) →
 * OFFLINE or ONLINE after a probe; OFFLINE → STARTING → ONLINE (ONLINE_NOT_MONITORED when not
 * monitored) or START_FAILED; ONLINE → DEGRADED or MONITOR_FAILED after a probe; anything →
 * STOPPING → OFFLINE or STOP_FAILED. Only OFFLINE means "nothing of it runs there".
 */
public enum ResourceState {
    /** Not probed yet: may be running. The scheduler places nothing while a member has one. */
    UNKNOWN,
    OFFLINE,
    STARTING,
    ONLINE,
    /** Online, probes not run (the resource is not monitored). */
    ONLINE_NOT_MONITORED,
    /** Online and answering below par; no recovery. */
    DEGRADED,
    /** The probe failed: a restart or a failover follows, as Failover_mode says. */
    MONITOR_FAILED,
    /** Start failed; it may be partly running until a stop succeeds. */
    START_FAILED,
    STOPPING,
    /** Stop failed: it may still run; the group cannot move until the node is fenced or an operator clears it. */
    STOP_FAILED;

    private static final ResourceState[] VALUES = values();

    static ResourceState of(int ordinal) {
        return VALUES[ordinal];
    }

    /** ONLINE, ONLINE_NOT_MONITORED or DEGRADED. */
    public boolean isUp() {
        return this == ONLINE || this == ONLINE_NOT_MONITORED || this == DEGRADED;
    }

    /** Whether something of the resource may run on the node. */
    public boolean mayRun() {
        return this != OFFLINE;
    }
}
