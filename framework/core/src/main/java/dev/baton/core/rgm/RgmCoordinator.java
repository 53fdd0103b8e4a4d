package dev.baton.core.rgm;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The RGM authority of one epoch (ARCHITECTURE.md rule 5): owns the {@link RgmState}, plans with
 * the {@link Scheduler} on its own monotonic clock and runs the graph with the {@link
 * GraphRunner}. Pure like the rest of core: its driver (NodeCore in a node, a scenario or a
 * benchmark otherwise) feeds it results, membership and time, and it plans at most once per
 * {@link #planIfNeeded} however many inputs arrived.
 *
 * <p>A new coordinator knows nothing: every member's resources are UNKNOWN and probed before
 * anything is placed, and a departed node not yet cleared counts as running whatever it may run.
 */
public final class RgmCoordinator {
    private final RgmState state;
    private final GraphRunner runner;
    private ClusterView view;
    private boolean dirty = true;
    private TransitionGraph lastGraph = TransitionGraph.empty();
    private long plans;
    private long nextTimedChangeMs = Long.MAX_VALUE;
    /** Nodes this coordinator power-fenced that the membership has not dropped yet: they run nothing and host nothing. */
    private final Set<Integer> fencedAway = new TreeSet<>();

    public RgmCoordinator(RgmConfig config, int[] clusterNodes, ClusterView view, boolean newCluster,
            GraphRunner.ActionExecutor executor, long firstActionId) {
        this.state = new RgmState(config, clusterNodes, newCluster);
        this.runner = new GraphRunner(executor, state, firstActionId);
        this.view = view;
        for (int node : clusterNodes) {
            if (!view.isMember(node) && !view.uncleared().contains(node)) {
                state.nodeCleared(node);
            }
        }
    }

    public RgmState state() {
        return state;
    }

    public ClusterView view() {
        return view;
    }

    public TransitionGraph lastGraph() {
        return lastGraph;
    }

    public GraphRunner runner() {
        return runner;
    }

    /** How many times this coordinator planned. */
    public long plans() {
        return plans;
    }

    /** A new membership (or a change in cleared nodes or network conditions). */
    public void viewChanged(ClusterView given) {
        fencedAway.removeIf(n -> !given.isMember(n));
        SortedSet<Integer> members = new TreeSet<>(given.members());
        members.removeAll(fencedAway);
        ClusterView next = new ClusterView(given.epoch(), members, given.uncleared(), given.networksDown(),
                given.powerFenceable());
        for (int node : state.nodes()) {
            boolean wasMember = view.isMember(node);
            if (next.isMember(node) && !wasMember) {
                state.nodeJoined(node);
            } else if (!next.isMember(node) && !next.uncleared().contains(node)) {
                state.nodeCleared(node);
            }
        }
        view = next;
        dirty = true;
    }

    /**
     * What a member runs may have changed behind this coordinator's back (its daemon restarted,
     * or another coordinator acted on it in between): every resource there is probed again.
     */
    public void reprobe(int node) {
        if (view.isMember(node)) {
            state.nodeJoined(node);
            dirty = true;
        }
    }

    /** The membership layer says the node runs nothing any more (fenced, halted, or past its lease). */
    public void nodeCleared(int node) {
        if (!view.isMember(node)) {
            state.nodeCleared(node);
        }
        Set<Integer> uncleared = new TreeSet<>(view.uncleared());
        uncleared.remove(node);
        view = view.withUncleared(uncleared);
        dirty = true;
    }

    /** The result of an action this coordinator handed out; results it no longer awaits are ignored. */
    public void methodResult(long actionId, ResultCode code, String message, long nowMs) {
        Action a = runner.awaited(actionId);
        if (a == null || a.kind() != Action.Kind.METHOD) {
            return;
        }
        boolean expected = state.apply(a.resource(), a.node(), a.method(), code, message, nowMs);
        dirty |= runner.finished(actionId, expected, nowMs);
    }

    /**
     * The node did not run the action (it served a newer epoch by then, or its queue was full):
     * no failure, but what runs there is no longer known for sure, so that resource is probed.
     */
    public void refused(long actionId, long nowMs) {
        if (runner.abandon(actionId)) {
            // Not at once: a node that promised a newer epoch refuses everything this coordinator
            // sends until the membership changes (which plans again anyway); retrying at once
            // would bounce actions between the two as fast as the network carries them.
            nextTimedChangeMs = Math.min(nextTimedChangeMs, nowMs + REFUSAL_RETRY_MS);
        }
    }

    /** How long after a refused action the coordinator plans again, unless something else makes it plan sooner. */
    static final long REFUSAL_RETRY_MS = 1_000;

    /** The result of a fence this coordinator asked for. */
    public void fenceResult(long actionId, boolean fenced, long nowMs) {
        Action a = runner.awaited(actionId);
        if (a == null || a.kind() != Action.Kind.FENCE) {
            return;
        }
        state.fenceDone(a.node(), fenced);
        runner.finished(actionId, fenced, nowMs);
        if (fenced) {
            fencedAway.add(a.node());
            viewChanged(view);
        }
        dirty = true;
    }

    /**
     * A node's own periodic probe found a change (failed, degraded, recovered). Only news about a
     * resource this coordinator believes up there (or failed there) is taken: anything else is an
     * old report overtaken by an action.
     */
    public void monitorReport(int resource, int node, ResultCode code, String message, long nowMs) {
        if (!view.isMember(node) || state.busy(resource, node)) {
            return;
        }
        ResourceState s = state.state(resource, node);
        if (s.isUp() || s == ResourceState.MONITOR_FAILED && code.isUp()) {
            state.apply(resource, node, MethodName.PROBE, code, message, nowMs);
            dirty = true;
        }
    }

    /** Validates and applies an operator request; returns null when accepted, else why not. */
    public String request(Request request, long nowMs) {
        String refusal = Requests.validate(request, state, view);
        if (refusal == null) {
            Requests.apply(request, state, nowMs);
            dirty = true;
        }
        return refusal;
    }

    /** Time passed: gives up on actions past their backstop, and re-plans when an avoidance period or evacuation may have ended. */
    public void tick(long nowMs) {
        dirty |= runner.tick(nowMs);
        if (nowMs >= nextTimedChangeMs) {
            nextTimedChangeMs = Long.MAX_VALUE;
            dirty = true;
        }
    }

    /** When a pingpong avoidance or an evacuation next ends (the plan may change then), or {@code Long.MAX_VALUE}. */
    public long nextTimedChangeMs() {
        return nextTimedChangeMs;
    }

    private long timedChangeAfter(long nowMs) {
        long next = Long.MAX_VALUE;
        RgmConfig config = state.config();
        for (int node : state.nodes()) {
            long evacuatedUntil = state.evacuatedUntilMs(node);
            if (evacuatedUntil > nowMs) {
                next = Math.min(next, evacuatedUntil);
            }
            for (int g = 0; g < config.groupCount(); g++) {
                var failedAt = state.groupFailedAtMs(g, node);
                if (failedAt.isPresent()) {
                    long ends = failedAt.getAsLong() + Math.max(config.group(g).pingpongIntervalMs(), Scheduler.MIN_AVOID_MS);
                    if (ends > nowMs) {
                        next = Math.min(next, ends);
                    }
                }
            }
        }
        return next;
    }

    /** Forces a plan at the next {@link #planIfNeeded} (a timer the scheduler depends on ran out). */
    public void markDirty() {
        dirty = true;
    }

    /** Plans and starts running the new graph if anything changed since the last plan. */
    public boolean planIfNeeded(long nowMs) {
        if (!dirty) {
            return false;
        }
        dirty = false;
        plans++;
        lastGraph = Scheduler.plan(view, state, nowMs);
        nextTimedChangeMs = timedChangeAfter(nowMs);
        state.setBlockedReasons(lastGraph.blocked());
        runner.run(lastGraph, nowMs);
        return true;
    }
}
