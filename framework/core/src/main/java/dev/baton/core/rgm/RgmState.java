package dev.baton.core.rgm;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.FailoverMode;
import dev.baton.api.type.MethodName;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What the RGM coordinator knows: each resource's state on each node, which (resource, node) has
 * a method in flight, the failure history (on the coordinator's monotonic clock; replicated to
 * members as ages), and the operator's wishes per group (online or not, managed, suspended,
 * switched over to a node) and per node (evacuated until).
 *
 * <p>Only the coordinator changes it, through {@link #dispatched} and {@link #apply} (results),
 * {@link #nodeJoined} and {@link #nodeCleared} (membership), and the operator's requests. The
 * {@link Scheduler} reads it and never writes.
 */
public final class RgmState {
    private static final long NEVER = Long.MIN_VALUE;
    static final int MAX_NODES = 64;

    private final RgmConfig config;
    private final int[] nodes;
    private final int[] nodeIndex;
    private final byte[] states;
    private final boolean[] busy;
    private final boolean[] gaveUp;
    private final boolean[] configError;
    private final long[] groupFailedAtMs;
    /** Why the group left each node (for the operator): "probe of web-app failed 3 times within 5m". */
    private final Map<Integer, String> groupFailedWhy = new HashMap<>();
    private final boolean[] wantedOnline;
    /** Offline only because Auto_start_on_new_cluster is false, not because an operator asked. */
    private final boolean[] offlineByDefault;
    private final boolean[] managed;
    private final boolean[] suspended;
    private final int[] pinned;
    /** A switchover not yet carried out: it moves the group whatever Failback says. */
    private final boolean[] switchoverPending;
    private final long[] evacuatedUntilMs;
    private final Map<Integer, ArrayDeque<Long>> failures = new HashMap<>();
    private final Map<Integer, String> lastMessage = new HashMap<>();
    private final String[] blockedReason;
    private final boolean[] fencing;
    /** Nodes known to run nothing (departed and cleared) since they last joined. */
    private final boolean[] cleared;

    /**
     * A state in which every resource is UNKNOWN on every node: what a coordinator starts from. A
     * group is wanted online when {@code newCluster} is false or its Auto_start_on_new_cluster is set.
     */
    public RgmState(RgmConfig config, int[] clusterNodes, boolean newCluster) {
        if (clusterNodes.length > MAX_NODES) {
            throw new IllegalArgumentException("the RGM handles at most " + MAX_NODES + " nodes");
        }
        this.config = config;
        this.nodes = clusterNodes.clone();
        Arrays.sort(nodes);
        this.nodeIndex = new int[nodes.length == 0 ? 1 : nodes[nodes.length - 1] + 1];
        Arrays.fill(nodeIndex, -1);
        for (int i = 0; i < nodes.length; i++) {
            nodeIndex[nodes[i]] = i;
        }
        int cells = config.resourceCount() * nodes.length;
        states = new byte[cells];
        busy = new boolean[cells];
        gaveUp = new boolean[cells];
        configError = new boolean[config.resourceCount()];
        int groups = config.groupCount();
        groupFailedAtMs = new long[groups * nodes.length];
        Arrays.fill(groupFailedAtMs, NEVER);
        wantedOnline = new boolean[groups];
        offlineByDefault = new boolean[groups];
        managed = new boolean[groups];
        suspended = new boolean[groups];
        pinned = new int[groups];
        switchoverPending = new boolean[groups];
        blockedReason = new String[groups];
        Arrays.fill(pinned, -1);
        Arrays.fill(managed, true);
        for (int g = 0; g < groups; g++) {
            wantedOnline[g] = !newCluster || config.group(g).autoStartOnNewCluster();
            offlineByDefault[g] = !wantedOnline[g];
        }
        fencing = new boolean[nodes.length];
        cleared = new boolean[nodes.length];
        evacuatedUntilMs = new long[nodes.length];
        Arrays.fill(evacuatedUntilMs, NEVER);
    }

    public RgmConfig config() {
        return config;
    }

    public int[] nodes() {
        return nodes.clone();
    }

    int nodeCount() {
        return nodes.length;
    }

    int node(int index) {
        return nodes[index];
    }

    int indexOf(int node) {
        if (node < 0 || node >= nodeIndex.length || nodeIndex[node] < 0) {
            throw new IllegalArgumentException("node " + node + " is not a cluster node");
        }
        return nodeIndex[node];
    }

    boolean isClusterNode(int node) {
        return node >= 0 && node < nodeIndex.length && nodeIndex[node] >= 0;
    }

    private int cell(int resource, int node) {
        return resource * nodes.length + indexOf(node);
    }

    // ---- reading -----------------------------------------------------------------------------

    public ResourceState state(int resource, int node) {
        return ResourceState.of(states[cell(resource, node)]);
    }

    public ResourceState state(String resource, int node) {
        return state(config.resourceIndex(resource), node);
    }

    ResourceState stateAt(int resource, int nodeIdx) {
        return ResourceState.of(states[resource * nodes.length + nodeIdx]);
    }

    boolean busyAt(int resource, int nodeIdx) {
        return busy[resource * nodes.length + nodeIdx];
    }

    public boolean busy(int resource, int node) {
        return busy[cell(resource, node)];
    }

    public boolean configError(int resource) {
        return configError[resource];
    }

    public boolean wantedOnline(int group) {
        return wantedOnline[group];
    }

    public boolean managed(int group) {
        return managed[group];
    }

    public boolean suspended(int group) {
        return suspended[group];
    }

    /** The node a switchover asked for, or -1: the group's preferred node until the next switchover. */
    public int pinned(int group) {
        return pinned[group];
    }

    /** Whether the last switchover has not yet brought the group up on its node. */
    public boolean switchoverPending(int group) {
        return switchoverPending[group];
    }

    /** Until when the node is evacuated, or {@code Long.MIN_VALUE}. */
    public long evacuatedUntilMs(int node) {
        return evacuatedUntilMs[indexOf(node)];
    }

    public boolean evacuated(int node, long nowMs) {
        return evacuatedUntilMs[indexOf(node)] > nowMs;
    }

    /** When the group last failed on the node (start failure, retries used up, a hard failure), or empty. */
    public java.util.OptionalLong groupFailedAtMs(int group, int node) {
        long at = groupFailedAtMs[group * nodes.length + indexOf(node)];
        return at == NEVER ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(at);
    }

    /** Failures of the resource on the node within its Retry_interval before {@code nowMs}. */
    public int recentFailures(int resource, int node, long nowMs) {
        ArrayDeque<Long> times = failures.get(cell(resource, node));
        if (times == null) {
            return 0;
        }
        long windowMs = config.resource(resource).retryIntervalMs();
        int n = 0;
        for (long t : times) {
            if (nowMs - t < windowMs) {
                n++;
            }
        }
        return n;
    }

    public String lastMessage(int resource, int node) {
        return lastMessage.getOrDefault(cell(resource, node), "");
    }

    /** The reason the last plan gave for not placing the group, or null. */
    public String blockedReason(int group) {
        return blockedReason[group];
    }

    /** The group's state on a node, derived from its resources' states there (for display). */
    public GroupState groupState(int group, int node) {
        if (!managed[group]) {
            return GroupState.UNMANAGED;
        }
        boolean anyRunning = false;
        boolean allUp = true;
        boolean faulted = false;
        boolean starting = false;
        boolean stopping = false;
        for (int r : config.resourcesOf(group)) {
            ResourceState s = state(r, node);
            if (s == ResourceState.STOP_FAILED) {
                return GroupState.ERROR_STOP_FAILED;
            }
            // Not yet probed is not known to run: it must not look like a failure.
            anyRunning |= s.mayRun() && s != ResourceState.UNKNOWN;
            allUp &= s.isUp() || !config.resource(r).enabled();
            faulted |= s == ResourceState.START_FAILED || s == ResourceState.MONITOR_FAILED;
            starting |= s == ResourceState.STARTING;
            stopping |= s == ResourceState.STOPPING;
        }
        if (stopping) {
            return GroupState.PENDING_OFFLINE;
        }
        if (faulted) {
            return GroupState.ONLINE_FAULTED;
        }
        if (starting) {
            return GroupState.PENDING_ONLINE;
        }
        if (anyRunning && allUp) {
            return GroupState.ONLINE;
        }
        // Sun Cluster's meaning: partly up here and held back, or held back while it runs nowhere
        // (a group online elsewhere is simply offline on this node).
        boolean blocked = blockedReason[group] != null && wantedOnline[group] && !cleared[indexOf(node)]
                && config.group(group).nodelist().contains(node) && (anyRunning || !runsAnywhere(group));
        return blocked ? GroupState.PENDING_ONLINE_BLOCKED : anyRunning ? GroupState.ONLINE_FAULTED : GroupState.OFFLINE;
    }

    private boolean runsAnywhere(int group) {
        for (int r : config.resourcesOf(group)) {
            for (int i = 0; i < nodes.length; i++) {
                if (stateAt(r, i).mayRun()) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- membership --------------------------------------------------------------------------

    /** A node joined: until probed, every resource may be running there. */
    public void nodeJoined(int node) {
        setAll(node, ResourceState.UNKNOWN);
        cleared[indexOf(node)] = false;
    }

    /** A departed node was fenced, halted or outlived its lease: nothing of it runs any more. */
    public void nodeCleared(int node) {
        setAll(node, ResourceState.OFFLINE);
        cleared[indexOf(node)] = true;
    }

    /** Forgets what is known of the group's resources wherever they may run (not on cleared nodes): they are probed again. */
    void forget(int group) {
        for (int r : config.resourcesOf(group)) {
            for (int i = 0; i < nodes.length; i++) {
                if (!cleared[i]) {
                    states[r * nodes.length + i] = (byte) ResourceState.UNKNOWN.ordinal();
                }
            }
        }
    }

    private void setAll(int node, ResourceState s) {
        int n = indexOf(node);
        fencing[n] = false;
        for (int r = 0; r < config.resourceCount(); r++) {
            states[r * nodes.length + n] = (byte) s.ordinal();
            busy[r * nodes.length + n] = false;
        }
    }

    // ---- actions and results -----------------------------------------------------------------

    /** An action left for its node: the resource is busy there until its result. */
    public void dispatched(Action action) {
        if (action.kind() == Action.Kind.FENCE || action.kind() == Action.Kind.HALT) {
            fencing[indexOf(action.node())] = true;
        }
        if (action.kind() != Action.Kind.METHOD) {
            return;
        }
        int c = cell(action.resource(), action.node());
        busy[c] = true;
        switch (action.method()) {
            case START, PRENET_START -> states[c] = (byte) ResourceState.STARTING.ordinal();
            case STOP, POSTNET_STOP -> states[c] = (byte) ResourceState.STOPPING.ordinal();
            default -> { }
        }
    }

    /** The action will not get a result (its graph was dropped before it ran, or the runner gave up). */
    public void abandoned(Action action, boolean mayHaveRun) {
        if (action.kind() == Action.Kind.FENCE || action.kind() == Action.Kind.HALT) {
            fencing[indexOf(action.node())] = false;
        }
        if (action.kind() != Action.Kind.METHOD) {
            return;
        }
        int c = cell(action.resource(), action.node());
        busy[c] = false;
        if (mayHaveRun) {
            states[c] = (byte) ResourceState.UNKNOWN.ordinal();
        }
    }

    /**
     * A method's result. Records failures and, where Failover_mode says the group must leave the
     * node, the time it failed there (the scheduler then avoids the node for Pingpong_interval).
     *
     * @return whether this is what the graph expected (SUCCESS for actions, RUNNING or NOT_RUNNING
     *         as known for probes); anything else makes the coordinator plan again
     */
    public boolean apply(int resource, int node, MethodName method, ResultCode code, String message, long nowMs) {
        int c = cell(resource, node);
        busy[c] = false;
        ResourceState before = ResourceState.of(states[c]);
        ResourceSpec spec = config.resource(resource);
        if (!message.isEmpty()) {
            lastMessage.put(c, message.length() > 200 ? message.substring(0, 200) : message);
        }
        ResourceState after = switch (method) {
            case PROBE -> afterProbe(before, spec, code);
            case START -> code == ResultCode.SUCCESS ? upState(spec) : ResourceState.START_FAILED;
            case PRENET_START -> code == ResultCode.SUCCESS ? ResourceState.STARTING : ResourceState.START_FAILED;
            case STOP -> code == ResultCode.SUCCESS
                    ? (spec.implementsMethod(MethodName.POSTNET_STOP) ? ResourceState.STOPPING : ResourceState.OFFLINE)
                    : ResourceState.STOP_FAILED;
            case POSTNET_STOP -> code == ResultCode.SUCCESS ? ResourceState.OFFLINE : ResourceState.STOP_FAILED;
            default -> before;
        };
        states[c] = (byte) after.ordinal();
        if (after.isUp()) {
            gaveUp[c] = false;
            adoptIfOfflineByDefault(config.groupOf(resource));
        }
        if (after.isUp() && pinned[config.groupOf(resource)] == node) {
            // The switchover happened; from now on the node is only preferred, and Failback decides.
            switchoverPending[config.groupOf(resource)] = false;
        }
        if (code == ResultCode.CONFIG_ERROR) {
            configError[resource] = true;
        }
        boolean failure = after == ResourceState.START_FAILED || after == ResourceState.STOP_FAILED
                || after == ResourceState.MONITOR_FAILED;
        if (failure && before != ResourceState.MONITOR_FAILED) {
            recordFailure(resource, node, method, code, nowMs);
        }
        return !failure && !(method == MethodName.PROBE && before != ResourceState.UNKNOWN && before.isUp() != after.isUp());
    }

    private static ResourceState upState(ResourceSpec spec) {
        return spec.monitored() ? ResourceState.ONLINE : ResourceState.ONLINE_NOT_MONITORED;
    }

    private static ResourceState afterProbe(ResourceState before, ResourceSpec spec, ResultCode code) {
        return switch (code) {
            case RUNNING -> upState(spec);
            case DEGRADED -> ResourceState.DEGRADED;
            case NOT_RUNNING -> before.isUp() || before == ResourceState.MONITOR_FAILED
                    ? ResourceState.MONITOR_FAILED : ResourceState.OFFLINE;
            default -> ResourceState.MONITOR_FAILED;
        };
    }

    private void recordFailure(int resource, int node, MethodName method, ResultCode code, long nowMs) {
        ResourceSpec spec = config.resource(resource);
        ArrayDeque<Long> times = failures.computeIfAbsent(cell(resource, node), k -> new ArrayDeque<>());
        times.addLast(nowMs);
        while (times.size() > spec.retryCount() + 1) {
            times.removeFirst();
        }
        boolean movable = spec.failoverMode() == FailoverMode.SOFT || spec.failoverMode() == FailoverMode.HARD;
        boolean monitorMovable = movable || spec.failoverMode() == FailoverMode.NONE;
        if (method == MethodName.PROBE && spec.failoverMode() == FailoverMode.RESTART_ONLY
                && recentFailures(resource, node, nowMs) > spec.retryCount()) {
            // Given up for good: the failures ageing out of Retry_interval must not restart it behind the operator's back.
            gaveUp[cell(resource, node)] = true;
        }
        boolean leaves = switch (method) {
            // A configuration error is no fault of the node: moving would not help, so no pingpong mark.
            case START, PRENET_START -> movable && code != ResultCode.CONFIG_ERROR;
            case PROBE -> monitorMovable && (code == ResultCode.FAILED_HARD
                    || recentFailures(resource, node, nowMs) > spec.retryCount());
            default -> false;
        };
        if (leaves) {
            int cell = config.groupOf(resource) * nodes.length + indexOf(node);
            groupFailedAtMs[cell] = nowMs;
            groupFailedWhy.put(cell, failureText(resource, node, method, code, nowMs));
        }
    }

    private String failureText(int resource, int node, MethodName method, ResultCode code, long nowMs) {
        ResourceSpec spec = config.resource(resource);
        if (method != MethodName.PROBE) {
            return method.jsName() + " of " + spec.name() + " " + code;
        }
        if (code == ResultCode.FAILED_HARD) {
            return "probe of " + spec.name() + " FAILED_HARD";
        }
        int n = recentFailures(resource, node, nowMs);
        return "probe of " + spec.name() + " failed " + (n == 1 ? "once" : n + " times") + " within Retry_interval "
                + Scheduler.duration(spec.retryIntervalMs()) + " (Retry_count " + spec.retryCount() + ")";
    }

    /** Why the group last left the node, or empty. */
    public String groupFailedWhy(int group, int node) {
        return groupFailedWhy.getOrDefault(group * nodes.length + indexOf(node), "");
    }

    /** The RGM's fence of the node finished: if it succeeded, the node runs nothing. */
    public void fenceDone(int node, boolean fenced) {
        fencing[indexOf(node)] = false;
        if (fenced) {
            nodeCleared(node);
        }
    }

    /** Whether an RGM fence of the node, or a halt the node has not yet answered by leaving, is in flight. */
    public boolean fencing(int node) {
        return fencing[indexOf(node)];
    }

    // ---- the operator ------------------------------------------------------------------------

    /**
     * A group kept offline only by Auto_start_on_new_cluster that is found running (the cluster
     * software restarted under it, or no replicated status reached this coordinator) is adopted,
     * not stopped: only an operator's offline stops a running service.
     */
    private void adoptIfOfflineByDefault(int group) {
        if (offlineByDefault[group]) {
            offlineByDefault[group] = false;
            wantedOnline[group] = true;
        }
    }

    public void setWantedOnline(int group, boolean online) {
        offlineByDefault[group] = false;
        wantedOnline[group] = online;
        if (!online) {
            pinned[group] = -1;
            switchoverPending[group] = false;
        }
    }

    public void setManaged(int group, boolean value) {
        managed[group] = value;
    }

    public void setSuspended(int group, boolean value) {
        suspended[group] = value;
    }

    /** Switchover: run the group on this node (it stays the preferred node until the next switchover). */
    public void pin(int group, int node) {
        indexOf(node);
        pinned[group] = node;
        switchoverPending[group] = !upOn(group, node);
        wantedOnline[group] = true;
    }

    private boolean upOn(int group, int node) {
        for (int r : config.resourcesOf(group)) {
            if (!state(r, node).isUp() && config.resource(r).enabled()) {
                return false;
            }
        }
        return true;
    }

    public void evacuate(int node, long untilMs) {
        evacuatedUntilMs[indexOf(node)] = untilMs;
    }

    /**
     * The operator vouches the resource is cleanly stopped on the node (a STOP_FAILED they fixed:
     * it becomes OFFLINE, and its history stays, so a group that was leaving the node still leaves)
     * or asks for it to be looked at again (any other state): its failure history there and the
     * group's pingpong mark go, and a failed state becomes UNKNOWN (probed again).
     */
    public void clear(int resource, int node) {
        int c = cell(resource, node);
        ResourceState s = ResourceState.of(states[c]);
        if (s == ResourceState.STOP_FAILED) {
            // Vouching for the stop does not undo why the group was leaving: a second clear does that.
            states[c] = (byte) ResourceState.OFFLINE.ordinal();
            return;
        }
        if (s == ResourceState.START_FAILED || s == ResourceState.MONITOR_FAILED) {
            states[c] = (byte) ResourceState.UNKNOWN.ordinal();
        }
        failures.remove(c);
        gaveUp[c] = false;
        configError[resource] = false;
        groupFailedAtMs[config.groupOf(resource) * nodes.length + indexOf(node)] = NEVER;
    }

    /** Whether RESTART_ONLY used up its Retry_count for the resource on the node (until cleared or up again). */
    public boolean gaveUp(int resource, int node) {
        return gaveUp[cell(resource, node)];
    }

    void setBlockedReasons(Map<String, String> blocked) {
        for (int g = 0; g < config.groupCount(); g++) {
            blockedReason[g] = blocked.get(config.group(g).name());
        }
    }

    /** Sets a state directly: for scenario files and tests that start from a described situation. */
    public void force(int resource, int node, ResourceState state) {
        states[cell(resource, node)] = (byte) state.ordinal();
    }

    /** Records a past failure directly (scenario files): {@code ageMs} before {@code nowMs}. */
    public void forceFailure(int resource, int node, MethodName method, ResultCode code, long atMs) {
        recordFailure(resource, node, method, code, atMs);
    }

    // ---- replication -------------------------------------------------------------------------

    /** The replicated form at {@code nowMs}: times become ages. */
    public RgmSnapshot snapshot(long nowMs) {
        java.util.List<RgmSnapshot.StateEntry> stateEntries = new java.util.ArrayList<>();
        boolean truncated = false;
        for (int r = 0; r < config.resourceCount(); r++) {
            for (int i = 0; i < nodes.length; i++) {
                ResourceState s = stateAt(r, i);
                if (s != ResourceState.OFFLINE) {
                    if (stateEntries.size() < RgmSnapshot.MAX_ENTRIES) {
                        stateEntries.add(new RgmSnapshot.StateEntry(config.resource(r).name(), nodes[i], s));
                    } else {
                        truncated = true;
                    }
                }
            }
        }
        return new RgmSnapshot(stateEntries, truncated, failureEntries(nowMs), groupEntries(nowMs), evacuations(nowMs));
    }

    private java.util.List<RgmSnapshot.FailureEntry> failureEntries(long nowMs) {
        java.util.List<RgmSnapshot.FailureEntry> out = new java.util.ArrayList<>();
        new java.util.TreeMap<>(failures).forEach((cell, times) -> {
            if (out.size() < RgmSnapshot.MAX_ENTRIES && !times.isEmpty()) {
                out.add(new RgmSnapshot.FailureEntry(config.resource(cell / nodes.length).name(), nodes[cell % nodes.length],
                        times.stream().map(t -> Math.max(0, nowMs - t)).toList()));
            }
        });
        return out;
    }

    private java.util.List<RgmSnapshot.GroupEntry> groupEntries(long nowMs) {
        java.util.List<RgmSnapshot.GroupEntry> out = new java.util.ArrayList<>();
        for (int g = 0; g < config.groupCount(); g++) {
            Map<Integer, Long> failed = new HashMap<>();
            for (int i = 0; i < nodes.length; i++) {
                long at = groupFailedAtMs[g * nodes.length + i];
                if (at != NEVER) {
                    failed.put(nodes[i], Math.max(0, nowMs - at));
                }
            }
            out.add(new RgmSnapshot.GroupEntry(config.group(g).name(), wantedOnline[g], managed[g], suspended[g],
                    pinned[g], switchoverPending[g], failed));
        }
        return out;
    }

    private Map<Integer, Long> evacuations(long nowMs) {
        Map<Integer, Long> out = new HashMap<>();
        for (int i = 0; i < nodes.length; i++) {
            if (evacuatedUntilMs[i] > nowMs) {
                out.put(nodes[i], evacuatedUntilMs[i] - nowMs);
            }
        }
        return out;
    }

    /**
     * Takes the failure history and the operator's wishes from a previous coordinator's snapshot
     * (ages become times on this clock); states are not taken: this coordinator probes. Entries
     * naming groups, resources or nodes this configuration does not have are skipped.
     */
    public void restore(RgmSnapshot snapshot, long nowMs) {
        for (RgmSnapshot.GroupEntry e : snapshot.groups()) {
            if (!config.hasGroup(e.group())) {
                continue;
            }
            int g = config.groupIndex(e.group());
            wantedOnline[g] = e.wantedOnline();
            offlineByDefault[g] = false;
            managed[g] = e.managed();
            suspended[g] = e.suspended();
            pinned[g] = isClusterNode(e.pinnedNode()) ? e.pinnedNode() : -1;
            switchoverPending[g] = pinned[g] >= 0 && e.switchoverPending();
            e.failedAgesMs().forEach((node, age) -> {
                if (isClusterNode(node)) {
                    groupFailedAtMs[g * nodes.length + indexOf(node)] = nowMs - age;
                }
            });
        }
        for (RgmSnapshot.FailureEntry f : snapshot.failures()) {
            if (config.hasResource(f.resource()) && isClusterNode(f.node())) {
                ArrayDeque<Long> times = new ArrayDeque<>();
                f.agesMs().forEach(age -> times.addLast(nowMs - age));
                failures.put(cell(config.resourceIndex(f.resource()), f.node()), times);
            }
        }
        snapshot.evacuatedForMs().forEach((node, forMs) -> {
            if (isClusterNode(node)) {
                evacuatedUntilMs[indexOf(node)] = nowMs + forMs;
            }
        });
    }
}
