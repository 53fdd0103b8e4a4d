package dev.baton.core.rgm;

import dev.baton.api.type.FailoverMode;
import dev.baton.api.type.MethodName;
import java.util.ArrayList;
import java.util.List;

/**
 * The RGM scheduler: a pure function from (configuration, membership, resource states, failure
 * history, now) to a {@link TransitionGraph}. It reads no clock and changes nothing; the
 * coordinator runs the graph and plans again when a result is not the expected one, when the
 * graph completes, and when anything in the cluster changes.
 *
 * <p>Three passes over the groups: decide where each group should run (in {@link
 * RgmConfig#planOrder()}, so a group's dependencies and affinity targets are decided first), emit
 * the stops (in reverse, so a dependent stops before what it depends on), then emit the starts and
 * in-place restarts, each start gated on the stops it must follow. Policies, in order of
 * precedence, are documented in docs/design/rgm.md.
 */
public final class Scheduler {
    /** However short Pingpong_interval is, a node that failed a group is avoided this long, so a start that fails at once cannot spin. */
    static final long MIN_AVOID_MS = 10_000;
    private static final int[] NONE = {};

    private final RgmConfig config;
    private final ClusterView view;
    private final RgmState state;
    private final long nowMs;
    private final TransitionGraph.Builder graph = new TransitionGraph.Builder();
    private final int nodeCount;
    private long memberMask;
    private long unclearedMask;
    private final long[] occupied;
    private final long[] planned;
    private final boolean[] frozen;
    private final long[] stuck;
    private final int[] stopsEnd;
    private final int[] upBarrier;
    /** Why a group wanted online gets no node in this plan, for the decision that stops it. */
    private final String[] notPlacedWhy;

    private Scheduler(ClusterView view, RgmState state, long nowMs) {
        this.config = state.config();
        this.view = view;
        this.state = state;
        this.nowMs = nowMs;
        this.nodeCount = state.nodeCount();
        int groups = config.groupCount();
        occupied = new long[groups];
        planned = new long[groups];
        frozen = new boolean[groups];
        stuck = new long[groups];
        stopsEnd = new int[groups];
        upBarrier = new int[groups];
        notPlacedWhy = new String[groups];
        java.util.Arrays.fill(stopsEnd, -1);
        java.util.Arrays.fill(upBarrier, -1);
    }

    public static TransitionGraph plan(ClusterView view, RgmState state, long nowMs) {
        return new Scheduler(view, state, nowMs).run();
    }

    private TransitionGraph run() {
        for (int i = 0; i < nodeCount; i++) {
            int node = state.node(i);
            memberMask |= view.isMember(node) ? 1L << i : 0;
            unclearedMask |= !view.isMember(node) && view.uncleared().contains(node) ? 1L << i : 0;
        }
        if (probeUnknown()) {
            return graph.build();
        }
        computeOccupancy();
        int[] order = config.planOrder();
        for (int g : order) {
            decide(g);
        }
        for (int i = order.length - 1; i >= 0; i--) {
            emitStops(order[i]);
        }
        for (int g : order) {
            emitStarts(g);
        }
        return graph.build();
    }

    // ---- probes: nothing is placed until every member's states are known ----------------------

    private boolean probeUnknown() {
        int probes = 0;
        boolean unknown = false;
        for (int g = 0; g < config.groupCount(); g++) {
            if (!state.managed(g)) {
                continue;
            }
            for (int r : config.resourcesOf(g)) {
                for (int i = 0; i < nodeCount; i++) {
                    if ((memberMask & 1L << i) != 0 && state.stateAt(r, i) == ResourceState.UNKNOWN) {
                        unknown = true;
                        if (!state.busyAt(r, i)) {
                            graph.method(state.node(i), r, MethodName.PROBE, "probe " + config.resource(r).name()
                                    + " on node " + state.node(i));
                            probes++;
                        }
                    }
                }
            }
        }
        if (unknown) {
            graph.decision("probing " + (probes == 0 ? "(in flight)" : probes + " resource(s)")
                    + " on members before placing anything");
        }
        return unknown;
    }

    private void computeOccupancy() {
        for (int g = 0; g < config.groupCount(); g++) {
            long occ = 0;
            boolean busy = false;
            for (int r : config.resourcesOf(g)) {
                for (int i = 0; i < nodeCount; i++) {
                    if (state.stateAt(r, i).mayRun()) {
                        occ |= 1L << i;
                    }
                    busy |= state.busyAt(r, i);
                }
            }
            occupied[g] = occ;
            frozen[g] = busy || !state.managed(g);
        }
    }

    // ---- pass 1: where each group should be --------------------------------------------------

    private void decide(int g) {
        GroupSpec spec = config.group(g);
        long occ = occupied[g];
        if (frozen[g]) {
            planned[g] = occ;
            return;
        }
        stuck[g] = operatorOverrides(g) ? 0 : handleStuck(g);
        if (stuck[g] != 0 && spec.isFailover()) {
            frozen[g] = true;
            planned[g] = occ;
            return;
        }
        long waiting = occ & unclearedMask;
        if (spec.isFailover() && waiting != 0) {
            frozen[g] = true;
            planned[g] = occ;
            if ((occ & memberMask) == 0) {
                graph.block(spec.name(), "may still run on node " + nodesOf(waiting)
                        + ", which left the cluster: waiting until it is fenced or its lease has expired");
            }
            return;
        }
        planned[g] = target(g, occ & memberMask);
        describe(g, occ & memberMask, planned[g]);
    }

    /**
     * Failover_mode NONE, RESTART_ONLY and LOG_ONLY hold back automatic recovery only: an
     * operator's offline or switchover is still carried out. A failed stop holds back everything,
     * since the resource may still run and nothing else may start until it is known stopped.
     */
    private boolean operatorOverrides(int g) {
        boolean asked = !state.wantedOnline(g) || state.switchoverPending(g) && switchoverDue(g, candidates(g));
        if (!asked) {
            return false;
        }
        for (int r : config.resourcesOf(g)) {
            for (int i = 0; i < nodeCount; i++) {
                if (state.stateAt(r, i) == ResourceState.STOP_FAILED) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A group with a failure it may not recover from automatically stays where it is: a stop
     * failure (fenced away under Failover_mode HARD when a power fence can reach the node), a
     * start failure under NONE / RESTART_ONLY / LOG_ONLY, a probe failure under LOG_ONLY or after
     * RESTART_ONLY used its retries.
     */
    private long handleStuck(int g) {
        GroupSpec spec = config.group(g);
        long stuckMask = 0;
        for (int i = 0; i < nodeCount; i++) {
            // A departed node's failures are moot: it is waited out until cleared (below), then runs nothing.
            if ((occupied[g] & memberMask & 1L << i) == 0) {
                continue;
            }
            for (int r : config.resourcesOf(g)) {
                String why = stuckReason(r, i);
                if (why != null) {
                    stuckMask |= 1L << i;
                    onStuck(spec, r, i, why);
                    break;
                }
            }
        }
        return stuckMask;
    }

    private String stuckReason(int r, int i) {
        ResourceSpec spec = config.resource(r);
        FailoverMode mode = spec.failoverMode();
        int node = state.node(i);
        return switch (state.stateAt(r, i)) {
            case STOP_FAILED -> "stop of " + spec.name() + " failed on node " + node;
            case START_FAILED -> mode == FailoverMode.SOFT || mode == FailoverMode.HARD ? null
                    : "start of " + spec.name() + " failed on node " + node + " and Failover_mode is " + mode;
            case MONITOR_FAILED -> mode == FailoverMode.LOG_ONLY
                    ? spec.name() + " failed its probe on node " + node + "; Failover_mode LOG_ONLY takes no action"
                    : mode == FailoverMode.RESTART_ONLY && state.gaveUp(r, node)
                    ? spec.name() + " failed its probe on node " + node + " more than Retry_count " + spec.retryCount()
                    + " times; Failover_mode RESTART_ONLY never moves the group" : null;
            default -> null;
        };
    }

    private void onStuck(GroupSpec group, int r, int i, String why) {
        int node = state.node(i);
        boolean stopFailed = state.stateAt(r, i) == ResourceState.STOP_FAILED;
        boolean hard = config.resource(r).failoverMode() == FailoverMode.HARD;
        boolean member = (memberMask & 1L << i) != 0;
        if (stopFailed && hard && member && view.powerFenceable().contains(node)) {
            if (!state.fencing(node)) {
                graph.decision(group.name() + ": fence node " + node + " (" + why + "; Failover_mode HARD)");
                graph.fence(node, "fence node " + node);
            }
            graph.block(group.name(), why + ": waiting for the fence of node " + node);
        } else if (stopFailed && hard && member) {
            // No power fence: the node halts itself (fails fast, killing what it runs) and counts as
            // running nothing once its lease has run out, the same clearance as a crashed node (rule 3).
            if (!state.fencing(node)) {
                graph.decision(group.name() + ": halt node " + node + " (" + why + "; Failover_mode HARD, no power fence)");
                graph.halt(node, "halt node " + node);
            }
            graph.block(group.name(), why + ": waiting for node " + node + " to halt and its lease to run out");
        } else if (stopFailed) {
            graph.block(group.name(), why + "; Failover_mode " + config.resource(r).failoverMode()
                    + ": it cannot move until an operator clears it");
        } else {
            graph.block(group.name(), why + ": an operator must clear it");
        }
    }

    private long target(int g, long occ) {
        GroupSpec spec = config.group(g);
        if (!state.wantedOnline(g)) {
            return 0;
        }
        String depMissing = missingDependency(spec);
        if (depMissing != null) {
            notPlaced(g, depMissing);
            return 0;
        }
        Candidates cand = candidates(g);
        if (state.suspended(g)) {
            return suspendedTarget(g, occ, cand);
        }
        cand.mask &= ~stuck[g];
        long chosen = spec.isFailover() ? failoverTarget(g, occ, cand) : scalableTarget(g, occ, cand) | stuck[g];
        if (chosen == 0 && cand.mask == 0) {
            notPlaced(g, "no node can host it: " + cand.why());
        }
        return chosen;
    }

    private void notPlaced(int g, String why) {
        notPlacedWhy[g] = why;
        graph.block(config.group(g).name(), why);
    }

    private String missingDependency(GroupSpec spec) {
        for (String dep : spec.rgDependencies()) {
            if (planned[config.groupIndex(dep)] == 0) {
                return "RG_dependencies: " + dep + " is not online";
            }
        }
        for (Affinity a : spec.affinities()) {
            if (a.kind() == Affinity.Kind.STRONG_POSITIVE && planned[config.groupIndex(a.group())] == 0) {
                return "strong affinity (++) for " + a.group() + ", which is not online";
            }
        }
        return null;
    }

    private long suspendedTarget(int g, long occ, Candidates cand) {
        if (switchoverDue(g, cand) && occ != bit(state.pinned(g))) {
            return bit(state.pinned(g));
        }
        String failed = failedOn(g, occ);
        if (occ == 0 || failed != null) {
            graph.block(config.group(g).name(), (failed == null ? "" : failed + "; ") + "automatic recovery is suspended");
        }
        return occ;
    }

    /** The first resource of the group in a failed state on one of the nodes, said for people, or null. */
    private String failedOn(int g, long mask) {
        for (int i = 0; i < nodeCount; i++) {
            if ((mask & 1L << i) == 0) {
                continue;
            }
            for (int r : config.resourcesOf(g)) {
                ResourceState s = state.stateAt(r, i);
                if (s == ResourceState.MONITOR_FAILED || s == ResourceState.START_FAILED) {
                    return config.resource(r).name() + (s == ResourceState.MONITOR_FAILED ? " failed its probe"
                            : " failed to start") + " on node " + state.node(i);
                }
            }
        }
        return null;
    }

    /** A switchover not yet carried out, to a node that can take the group now. */
    private boolean switchoverDue(int g, Candidates cand) {
        int pin = state.pinned(g);
        return state.switchoverPending(g) && config.group(g).isFailover() && state.isClusterNode(pin)
                && (cand.mask & bit(pin)) != 0;
    }

    private long failoverTarget(int g, long occ, Candidates cand) {
        GroupSpec spec = config.group(g);
        if (switchoverDue(g, cand)) {
            return bit(state.pinned(g));
        }
        int current = Long.bitCount(occ) == 1 ? Long.numberOfTrailingZeros(occ) : keeper(g, occ & cand.mask);
        int best = bestOf(g, cand.mask);
        if (current >= 0 && (cand.mask & 1L << current) != 0) {
            // Fail back only to a node where nothing of the group is left over in a failed state.
            boolean better = spec.failback() && best >= 0 && best != current && prefers(g, best, current)
                    && (occ & 1L << best) == 0;
            return 1L << (better ? best : current);
        }
        if (best < 0 && current >= 0 && cand.networkOnly(current)) {
            // Moving cannot bring clients back, and stopping would add a restart to the outage.
            graph.decision(spec.name() + ": stays on node " + state.node(current) + " (no better node: " + cand.why() + ")");
            return 1L << current;
        }
        return best < 0 ? 0 : 1L << best;
    }

    /**
     * Of the nodes a failover group was found on, the one to keep: where it is fully and healthily
     * up, preference breaking ties. A leftover that failed its probe on a joining node is stopped;
     * it never pulls the group off the node that serves it.
     */
    private int keeper(int g, long mask) {
        for (int i : ranked(g, mask)) {
            if (healthyOn(g, i)) {
                return i;
            }
        }
        return bestOf(g, mask);
    }

    private boolean healthyOn(int g, int i) {
        for (int r : config.resourcesOf(g)) {
            if (config.resource(r).enabled() && !state.stateAt(r, i).isUp()) {
                return false;
            }
        }
        return true;
    }

    private long scalableTarget(int g, long occ, Candidates cand) {
        GroupSpec spec = config.group(g);
        // A departed node not yet cleared may still run an instance: it counts against Maximum_primaries.
        long waiting = occupied[g] & unclearedMask;
        int limit = Math.min(spec.desiredPrimaries(), spec.maximumPrimaries() - Long.bitCount(waiting));
        List<Integer> ranked = ranked(g, cand.mask);
        long keep = 0;
        int count = 0;
        for (int i : ranked) {
            if ((occ & 1L << i) != 0 && count < limit) {
                keep |= 1L << i;
                count++;
            }
        }
        for (int i : ranked) {
            if (count >= limit) {
                break;
            }
            if ((keep & 1L << i) == 0) {
                keep |= 1L << i;
                count++;
            }
        }
        if (count < spec.desiredPrimaries() && cand.mask != 0) {
            graph.block(spec.name(), "online on " + count + " of Desired_primaries " + spec.desiredPrimaries()
                    + ": " + (count < limit || waiting == 0 ? cand.why() : "node " + nodesOf(waiting)
                    + " left the cluster and may still run it (Maximum_primaries " + spec.maximumPrimaries() + ")"));
        }
        return keep;
    }

    private void describe(int g, long occ, long target) {
        long leaving = occ & ~target;
        long arriving = target & ~occ;
        String name = config.group(g).name();
        if (leaving != 0 && arriving == 0) {
            graph.decision(name + ": stop on node " + nodesOf(leaving) + " (" + stopReason(g, occ, target) + ")");
        } else if (arriving != 0 && leaving == 0) {
            // A scalable group growing beside its running instances says why it grows.
            String grows = occ == 0 ? "" : " (Desired_primaries " + config.group(g).desiredPrimaries() + ")";
            graph.decision(name + ": start on node " + nodesOf(arriving) + grows);
        } else if (arriving != 0) {
            graph.decision(name + ": move from node " + nodesOf(leaving) + " to node " + nodesOf(arriving)
                    + leaveReason(g, leaving));
        }
    }

    private String stopReason(int g, long occ, long target) {
        GroupSpec spec = config.group(g);
        if (!state.wantedOnline(g)) {
            return "taken offline";
        }
        if (target == 0 && notPlacedWhy[g] != null) {
            return notPlacedWhy[g];
        }
        String why = candidates(g).whyNot[Long.numberOfTrailingZeros(occ & ~target)];
        if (why != null) {
            return why;
        }
        return spec.isFailover() ? "found on nodes " + nodesOf(occ) + "; a failover group runs on one node: keeping node "
                + nodesOf(target)
                : "more than Desired_primaries " + spec.desiredPrimaries();
    }

    private String leaveReason(int g, long leaving) {
        if (leaving == 0) {
            return "";
        }
        int i = Long.numberOfTrailingZeros(leaving);
        String why = candidates(g).whyNot[i];
        return why == null ? (state.switchoverPending(g) ? " (switchover)" : " (failback to a preferred node)")
                : " (" + why + ")";
    }

    // ---- candidates and preference -----------------------------------------------------------

    /** The nodes that may host a group, and for each other Nodelist node the reason it may not. */
    private final class Candidates {
        long mask;
        long networkDownMask;
        final String[] whyNot = new String[nodeCount];

        boolean networkOnly(int i) {
            return (networkDownMask & 1L << i) != 0;
        }

        String why() {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < nodeCount && parts.size() < 4; i++) {
                if (whyNot[i] != null) {
                    parts.add(whyNot[i]);
                }
            }
            return parts.isEmpty() ? "its Nodelist has no cluster node" : String.join("; ", parts);
        }
    }

    private Candidates candidates(int g) {
        GroupSpec spec = config.group(g);
        Candidates c = new Candidates();
        for (int node : spec.nodelist()) {
            if (!state.isClusterNode(node)) {
                continue;
            }
            int i = state.indexOf(node);
            String why = exclusion(g, node, i);
            if (why == null) {
                c.mask |= 1L << i;
            } else {
                c.whyNot[i] = why;
                if (why.startsWith("network")) {
                    c.networkDownMask |= 1L << i;
                }
            }
        }
        return c;
    }

    private String exclusion(int g, int node, int i) {
        GroupSpec spec = config.group(g);
        if ((memberMask & 1L << i) == 0) {
            return "node " + node + " is not a member";
        }
        if (state.evacuated(node, nowMs)) {
            return "node " + node + " is evacuated";
        }
        var failedAt = state.groupFailedAtMs(g, node);
        long avoidMs = Math.max(spec.pingpongIntervalMs(), MIN_AVOID_MS);
        if (failedAt.isPresent() && nowMs - failedAt.getAsLong() < avoidMs) {
            String why = state.groupFailedWhy(g, node);
            return "node " + node + " failed it " + duration(nowMs - failedAt.getAsLong()) + " ago"
                    + (why.isEmpty() ? "" : ": " + why) + "; avoided there for " + duration(avoidMs)
                    + (avoidMs == spec.pingpongIntervalMs() ? " (Pingpong_interval)" : " (at least " + duration(MIN_AVOID_MS) + ")");
        }
        for (Affinity a : spec.affinities()) {
            long there = planned[config.groupIndex(a.group())] & 1L << i;
            if (a.kind() == Affinity.Kind.STRONG_POSITIVE && there == 0) {
                return "node " + node + " does not run " + a.group() + " (strong affinity ++)";
            }
            if (a.kind() == Affinity.Kind.STRONG_NEGATIVE && there != 0) {
                return "node " + node + " runs " + a.group() + " (strong affinity --)";
            }
        }
        for (int r : view.networksDown().isEmpty() ? NONE : config.resourcesOf(g)) {
            var net = config.resource(r).network();
            if (net.isPresent() && view.networkDown(node, net.get())) {
                return "network " + net.get() + " is down on node " + node;
            }
        }
        return null;
    }

    /** Candidates in order of preference: weak affinities first, then the switchover node, then Nodelist order. */
    private List<Integer> ranked(int g, long mask) {
        List<Integer> out = new ArrayList<>();
        for (int node : preferenceOrder(g)) {
            if (state.isClusterNode(node) && (mask & bit(node)) != 0) {
                out.add(state.indexOf(node));
            }
        }
        out.sort((a, b) -> Integer.compare(weakScore(g, b), weakScore(g, a)));
        return out;
    }

    /** The Nodelist, with the node of the last switchover moved to the front: the operator's latest word. */
    private List<Integer> preferenceOrder(int g) {
        List<Integer> nodelist = config.group(g).nodelist();
        int pin = state.pinned(g);
        if (pin < 0 || !nodelist.contains(pin)) {
            return nodelist;
        }
        List<Integer> out = new ArrayList<>(nodelist.size());
        out.add(pin);
        nodelist.stream().filter(n -> n != pin).forEach(out::add);
        return out;
    }

    private int bestOf(int g, long mask) {
        List<Integer> r = ranked(g, mask);
        return r.isEmpty() ? -1 : r.get(0);
    }

    private boolean prefers(int g, int a, int b) {
        int sa = weakScore(g, a);
        int sb = weakScore(g, b);
        if (sa != sb) {
            return sa > sb;
        }
        List<Integer> order = preferenceOrder(g);
        return order.indexOf(state.node(a)) < order.indexOf(state.node(b));
    }

    private int weakScore(int g, int i) {
        int score = 0;
        for (Affinity a : config.group(g).affinities()) {
            boolean there = (planned[config.groupIndex(a.group())] & 1L << i) != 0;
            if (a.kind() == Affinity.Kind.WEAK_POSITIVE && there) {
                score++;
            } else if (a.kind() == Affinity.Kind.WEAK_NEGATIVE && there) {
                score--;
            }
        }
        return score;
    }

    // ---- pass 2: stops (dependents before what they depend on) -------------------------------

    private void emitStops(int g) {
        if (frozen[g]) {
            return;
        }
        long leaving = occupied[g] & memberMask & ~planned[g] & ~stuck[g];
        if (leaving == 0) {
            return;
        }
        int end = graph.pseudo(config.group(g).name() + " stopped");
        for (int i = 0; i < nodeCount; i++) {
            if ((leaving & 1L << i) != 0) {
                boolean[] stop = new boolean[config.resourcesOf(g).length];
                int[] rs = config.resourcesOf(g);
                for (int k = 0; k < rs.length; k++) {
                    stop[k] = state.stateAt(rs[k], i).mayRun();
                }
                int gate = stopGate(g, i);
                graph.order(new Chain(g, i).stops(stop, gate), end);
            }
        }
        stopsEnd[g] = end;
    }

    /**
     * A group stops only after the groups that depend on it, or follow it with a strong positive
     * affinity, stopped: they started after it, so they go first (a follower usually needs it locally).
     */
    private int stopGate(int g, int i) {
        int gate = -1;
        for (int d : config.stopsBefore(g)) {
            if (stopsEnd[d] >= 0) {
                if (gate < 0) {
                    gate = graph.pseudo(config.group(g).name() + " may stop on node " + state.node(i));
                }
                graph.order(stopsEnd[d], gate);
            }
        }
        return gate;
    }

    // ---- pass 3: starts and restarts ---------------------------------------------------------

    private void emitStarts(int g) {
        if (frozen[g] || planned[g] == 0) {
            return;
        }
        int up = -1;
        for (int i = 0; i < nodeCount; i++) {
            if ((planned[g] & ~stuck[g] & memberMask & 1L << i) == 0) {
                continue;
            }
            int end = startOn(g, i);
            if (end >= 0) {
                if (up < 0) {
                    up = graph.pseudo(config.group(g).name() + " up");
                }
                graph.order(end, up);
            }
        }
        upBarrier[g] = up;
    }

    /** Brings the group fully up on one node: restarts failed resources, starts missing ones. */
    private int startOn(int g, int i) {
        int[] rs = config.resourcesOf(g);
        boolean[] startable = startable(g);
        boolean[] stop = new boolean[rs.length];
        boolean[] start = new boolean[rs.length];
        boolean[] restartAfter = new boolean[rs.length];
        for (int k = 0; k < rs.length; k++) {
            ResourceState s = state.stateAt(rs[k], i);
            boolean failed = s == ResourceState.MONITOR_FAILED || s == ResourceState.START_FAILED;
            if (failed && !state.suspended(g)) {
                markRestart(g, k, stop, restartAfter);
            }
            if (!startable[k] && s.mayRun()) {
                stop[k] = true;
            }
        }
        for (int k = 0; k < rs.length; k++) {
            ResourceState s = state.stateAt(rs[k], i);
            start[k] = startable[k] && (stop[k] || !s.isUp()) && !(state.suspended(g) && (occupied[g] & 1L << i) != 0);
        }
        for (int k = 0; k < rs.length; k++) {
            restartAfter[k] &= !stop[k] && startable[k] && state.stateAt(rs[k], i).isUp();
        }
        if (!any(stop) && !any(start)) {
            return -1;
        }
        describeInPlace(g, i, rs, stop, start, restartAfter);
        Chain chain = new Chain(g, i);
        int afterStops = chain.stops(stop, -1);
        int end = chain.starts(start, startGate(g, i, afterStops));
        return any(restartAfter) ? chain.starts(restartAfter, chain.stops(restartAfter, end)) : end;
    }

    /**
     * A resource whose probe failed is restarted. Its offline_restart dependents stop before it and
     * start after it; its restart dependents keep running while it restarts and are restarted once
     * it is back (Sun Cluster's Resource_dependencies_restart). Strong and weak dependents are left alone.
     */
    private void markRestart(int g, int k, boolean[] stop, boolean[] restartAfter) {
        if (stop[k]) {
            return;
        }
        stop[k] = true;
        markDependents(g, k, stop, restartAfter);
    }

    private void markDependents(int g, int k, boolean[] stop, boolean[] restartAfter) {
        GroupSpec spec = config.group(g);
        for (Dependency d : ResourceOrder.dependentsOf(spec, spec.resources().get(k).name())) {
            int dep = indexIn(spec, d.target());
            if (d.kind() == DependencyKind.OFFLINE_RESTART) {
                markRestart(g, dep, stop, restartAfter);
            } else if (d.kind() == DependencyKind.RESTART && !restartAfter[dep]) {
                restartAfter[dep] = true;
                // Its own dependents restart with it, in the second round.
                markDependents(g, dep, restartAfter, restartAfter);
            }
        }
    }

    private void describeInPlace(int g, int i, int[] rs, boolean[] stop, boolean[] start, boolean[] restartAfter) {
        if ((occupied[g] & 1L << i) == 0) {
            return;
        }
        List<String> restarted = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        List<String> started = new ArrayList<>();
        for (int k = 0; k < rs.length; k++) {
            String n = config.resource(rs[k]).name();
            (stop[k] && start[k] ? restarted : stop[k] ? stopped : start[k] ? started : new ArrayList<String>()).add(n);
        }
        String name = config.group(g).name() + " on node " + state.node(i) + ": ";
        List<String> after = new ArrayList<>();
        for (int k = 0; k < rs.length; k++) {
            if (restartAfter[k]) {
                after.add(config.resource(rs[k]).name());
            }
        }
        if (!restarted.isEmpty()) {
            int r = rs[indexIn(config.group(g), restarted.get(0))];
            graph.decision(name + "restart " + String.join(", ", restarted) + " (failure "
                    + state.recentFailures(r, state.node(i), nowMs) + " within Retry_interval; Retry_count "
                    + config.resource(r).retryCount() + ")" + (after.isEmpty() ? ""
                    : ", then its restart dependents " + String.join(", ", after)));
        }
        if (!stopped.isEmpty()) {
            graph.decision(name + "stop " + String.join(", ", stopped) + " (disabled or cannot run)");
        }
        if (!started.isEmpty()) {
            graph.decision(name + "start " + String.join(", ", started));
        }
    }

    /**
     * What a start on a node waits for: this failover group's stops everywhere, the stops of
     * groups with a strong negative affinity either way, and the groups it depends on or follows.
     */
    private int startGate(int g, int i, int afterStops) {
        GroupSpec spec = config.group(g);
        int gate = graph.pseudo(spec.name() + " may start on node " + state.node(i));
        graph.order(afterStops, gate);
        if (spec.isFailover()) {
            graph.order(stopsEnd[g], gate);
        }
        for (String dep : spec.rgDependencies()) {
            graph.order(upBarrier[config.groupIndex(dep)], gate);
        }
        for (Affinity a : spec.affinities()) {
            int t = config.groupIndex(a.group());
            if (a.kind() == Affinity.Kind.STRONG_POSITIVE) {
                graph.order(upBarrier[t], gate);
            } else if (a.kind() == Affinity.Kind.STRONG_NEGATIVE) {
                graph.order(stopsEnd[t], gate);
            }
        }
        for (int other : config.keptApartFrom(g)) {
            graph.order(stopsEnd[other], gate);
        }
        return gate;
    }

    /** Resources that may start: enabled, no configuration error, and what they need online may start too. */
    private boolean[] startable(int g) {
        GroupSpec spec = config.group(g);
        int[] rs = config.resourcesOf(g);
        boolean[] ok = new boolean[rs.length];
        for (int k : order(g)) {
            ResourceSpec r = spec.resources().get(k);
            boolean can = r.enabled() && !state.configError(rs[k]);
            for (Dependency d : r.dependencies()) {
                can &= !d.kind().requiresTargetOnline() || ok[indexIn(spec, d.target())];
            }
            ok[k] = can;
            if (!can && r.enabled()) {
                graph.block(spec.name(), "resource " + r.name() + (state.configError(rs[k])
                        ? " has a configuration error (CONFIG_ERROR)" : " needs " + blockingTarget(spec, r, ok)));
            }
        }
        return ok;
    }

    /** The first resource a dependent needs online that cannot start, and why. */
    private String blockingTarget(GroupSpec spec, ResourceSpec r, boolean[] ok) {
        for (Dependency d : r.dependencies()) {
            int t = indexIn(spec, d.target());
            if (d.kind().requiresTargetOnline() && !ok[t]) {
                ResourceSpec target = spec.resources().get(t);
                return target.name() + " (" + d.kind().configName() + "), which " + (!target.enabled() ? "is disabled"
                        : state.configError(config.resourcesOf(config.groupIndex(spec.name()))[t])
                        ? "has a configuration error" : "cannot start either");
            }
        }
        return "a resource that cannot start";
    }

    private int[] order(int g) {
        return config.startOrder(g);
    }

    private static int indexIn(GroupSpec spec, String resource) {
        List<ResourceSpec> rs = spec.resources();
        for (int k = 0; k < rs.size(); k++) {
            if (rs.get(k).name().equals(resource)) {
                return k;
            }
        }
        throw new IllegalStateException(resource);
    }

    // ---- chains of method calls on one node --------------------------------------------------

    /**
     * The method calls for one group on one node, in phases separated by pseudo steps. Stops:
     * applications, storage, network, then postnet_stop; starts: prenet_start, network, storage,
     * applications. Within a phase, a resource waits for (start) or goes before (stop) the
     * resources it depends on.
     */
    private final class Chain {
        private final int g;
        private final int i;
        private final int node;
        private final int[] rs;
        private final GroupSpec spec;

        Chain(int g, int i) {
            this.g = g;
            this.i = i;
            this.node = state.node(i);
            this.rs = config.resourcesOf(g);
            this.spec = config.group(g);
        }

        /** Emits stops of the marked resources after {@code gate}; returns the step that ends them (or the gate). */
        int stops(boolean[] marked, int gate) {
            int[] ord = order(g);
            int last = gate;
            Tier[] tiers = {Tier.APPLICATION, Tier.STORAGE, Tier.NETWORK};
            for (Tier tier : tiers) {
                last = phase(marked, ord, true, tier, MethodName.STOP, last);
            }
            return phase(marked, ord, true, null, MethodName.POSTNET_STOP, last);
        }

        int starts(boolean[] marked, int gate) {
            int[] ord = order(g);
            int last = phase(marked, ord, false, null, MethodName.PRENET_START, gate);
            for (Tier tier : Tier.values()) {
                last = phase(marked, ord, false, tier, MethodName.START, last);
            }
            return last;
        }

        private int phase(boolean[] marked, int[] ord, boolean reverse, Tier tier, MethodName method, int gate) {
            int[] action = new int[rs.length];
            java.util.Arrays.fill(action, -1);
            int end = -1;
            for (int n = 0; n < ord.length; n++) {
                int k = ord[reverse ? ord.length - 1 - n : n];
                ResourceSpec r = spec.resources().get(k);
                if (!marked[k] || (tier != null && r.tier() != tier) || !r.implementsMethod(method)) {
                    continue;
                }
                if (end < 0) {
                    end = graph.pseudo(spec.name() + " " + method.jsName() + " " + (tier == null ? "" : tier.configName())
                            + " done on node " + node);
                }
                action[k] = graph.method(node, rs[k], method, method.jsName() + " " + r.name() + " on node " + node);
                graph.order(gate, action[k]);
                graph.order(action[k], end);
                orderWithinPhase(k, r, action, reverse);
            }
            return end < 0 ? gate : end;
        }

        private void orderWithinPhase(int k, ResourceSpec r, int[] action, boolean reverse) {
            if (reverse) {
                for (Dependency d : ResourceOrder.dependentsOf(spec, r.name())) {
                    graph.order(action[indexIn(spec, d.target())], action[k]);
                }
            } else {
                for (Dependency d : r.dependencies()) {
                    graph.order(action[indexIn(spec, d.target())], action[k]);
                }
            }
        }
    }

    // ---- small helpers -----------------------------------------------------------------------

    private long bit(int node) {
        return 1L << state.indexOf(node);
    }

    private String nodesOf(long mask) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            if ((mask & 1L << i) != 0) {
                out.add(String.valueOf(state.node(i)));
            }
        }
        return String.join(",", out);
    }

    private static boolean any(boolean[] a) {
        for (boolean b : a) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    static String duration(long ms) {
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
