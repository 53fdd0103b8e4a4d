package dev.baton.core.rgm;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.core.membership.Epoch;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The executing side of the RGM on every node: takes actions from the coordinator, runs at most
 * one method per resource at a time (so a probe queued behind a start sees what the start did),
 * and probes the resources it runs every Thorough_probe_interval, reporting failures (each
 * time, until the coordinator stops or restarts the resource) and recoveries.
 *
 * <p>Safety checks happen when a method is about to run, not when it was queued: an action from
 * an epoch older than the newest this node promised is refused, and a start runs only while this
 * node holds its quorum lease, with that lease's deadline attached for the driver to check again.
 */
public final class ResourceAgent {
    /** Actions queued behind a running method of the same resource; more are refused. */
    public static final int MAX_QUEUED_PER_RESOURCE = 16;
    /**
     * How long a start may wait for this node's quorum lease before it is refused. A member that
     * just joined holds no lease until a round of heartbeats in the new epoch is acknowledged,
     * which can be after the coordinator's first actions arrive.
     */
    public static final long LEASE_WAIT_MS = 2_000;

    /** Where results go: the coordinator that asked (a message, or straight in when it is this node). */
    public interface Sink {
        /**
         * An action's outcome. {@code refused}: it did not run and changed nothing (it came from an
         * epoch this node no longer serves, or the queue was full), so it is no failure of the
         * resource; the coordinator looks again instead.
         */
        void result(int coordinator, Epoch epoch, long actionId, ResultCode code, boolean refused, String message);

        void monitor(String resource, ResultCode code, String message);

        void run(long runId, ResourceSpec spec, MethodName method, long leaseDeadlineNanos);
    }

    /** What the node knows at this instant, for the checks before a method runs. */
    public record Context(Epoch promised, boolean leaseValid, long leaseValidUntilNanos, long nowNanos) {
    }

    private record Job(int coordinator, Epoch epoch, long actionId, String resource, MethodName method, long queuedAtNanos) {
        boolean periodic() {
            return coordinator < 0;
        }

        boolean start() {
            return method == MethodName.START || method == MethodName.PRENET_START;
        }
    }

    private final int self;
    private final Sink sink;
    private RgmConfig config = RgmConfig.empty();
    private final Map<String, ArrayDeque<Job>> queued = new HashMap<>();
    private final Map<String, Long> busy = new HashMap<>();
    private final Map<Long, Job> running = new HashMap<>();
    private final Map<String, Long> nextProbeNanos = new TreeMap<>();
    private final Map<String, ResultCode> lastProbe = new HashMap<>();
    private long nextRunId = 1;
    private Epoch served = Epoch.NONE;

    public ResourceAgent(int self, Sink sink) {
        this.self = self;
        this.sink = sink;
    }

    public void configure(RgmConfig next) {
        config = next;
        nextProbeNanos.keySet().removeIf(r -> !next.hasResource(r));
    }

    /** An action from the coordinator of {@code epoch}. */
    public void submit(int coordinator, Epoch epoch, long actionId, String resource, MethodName method, Context ctx) {
        if (epoch.equals(ctx.promised())) {
            served = epoch;
        }
        if (!config.hasResource(resource)) {
            sink.result(coordinator, epoch, actionId, ResultCode.FAILED, false, "resource " + resource
                    + " is not in node " + self + "'s configuration");
            return;
        }
        ArrayDeque<Job> q = queued.computeIfAbsent(resource, r -> new ArrayDeque<>());
        if (q.size() >= MAX_QUEUED_PER_RESOURCE) {
            sink.result(coordinator, epoch, actionId, ResultCode.FAILED, true, "too many actions queued for " + resource);
            return;
        }
        q.addLast(new Job(coordinator, epoch, actionId, resource, method, ctx.nowNanos()));
        runNext(resource, ctx);
    }

    private void runNext(String resource, Context ctx) {
        ArrayDeque<Job> q = queued.get(resource);
        while (!busy.containsKey(resource) && q != null && !q.isEmpty()) {
            Job head = q.peekFirst();
            if (head.start() && !ctx.leaseValid() && ctx.nowNanos() - head.queuedAtNanos() < LEASE_WAIT_MS * 1_000_000L) {
                return;
            }
            Job job = q.pollFirst();
            String stale = staleEpoch(job, ctx);
            String noLease = stale == null ? noLease(job, ctx) : null;
            if (stale != null || noLease != null) {
                // A stale action changed nothing; a start this node could not run for want of a lease
                // counts as a failed start here, so the group tries another node.
                sink.result(job.coordinator(), job.epoch(), job.actionId(), ResultCode.FAILED, stale != null,
                        stale != null ? stale : noLease);
                continue;
            }
            long runId = nextRunId++;
            busy.put(resource, runId);
            running.put(runId, job);
            sink.run(runId, config.resource(config.resourceIndex(resource)), job.method(),
                    job.start() ? ctx.leaseValidUntilNanos() : Long.MAX_VALUE);
        }
    }

    private String staleEpoch(Job job, Context ctx) {
        if (job.periodic() || job.epoch().equals(ctx.promised())) {
            return null;
        }
        return "refused: the action is from epoch " + job.epoch() + " and node " + self + " promised " + ctx.promised();
    }

    private String noLease(Job job, Context ctx) {
        return job.start() && !ctx.leaseValid() ? "refused: node " + self + " holds no quorum lease" : null;
    }

    /** A method this agent ran finished. */
    public void done(long runId, ResultCode code, String message, Context ctx) {
        Job job = running.remove(runId);
        if (job == null) {
            return;
        }
        busy.remove(job.resource());
        ResultCode before = lastProbe.getOrDefault(job.resource(), ResultCode.RUNNING);
        track(job, code, ctx.nowNanos());
        if (job.periodic()) {
            // Every failing probe is reported, not only the first: a report can be lost, and the
            // coordinator ignores news it already has.
            if (code != ResultCode.RUNNING || before != ResultCode.RUNNING) {
                sink.monitor(job.resource(), code, message);
            }
        } else {
            sink.result(job.coordinator(), job.epoch(), job.actionId(), code, false, message);
        }
        runNext(job.resource(), ctx);
    }

    /** Keeps the set of resources this node runs (and so probes) up to date. */
    private void track(Job job, ResultCode code, long nowNanos) {
        ResourceSpec spec = config.hasResource(job.resource()) ? config.resource(config.resourceIndex(job.resource())) : null;
        boolean up = switch (job.method()) {
            case START -> code == ResultCode.SUCCESS;
            case PROBE -> job.periodic() || code.isUp();
            case STOP, POSTNET_STOP -> false;
            default -> nextProbeNanos.containsKey(job.resource());
        };
        if (job.method() == MethodName.PROBE) {
            lastProbe.put(job.resource(), code);
        } else if (job.method() == MethodName.START) {
            lastProbe.remove(job.resource());
        }
        if (up && spec != null && spec.monitored()) {
            nextProbeNanos.put(job.resource(), nowNanos + spec.probeIntervalMs() * 1_000_000L);
        } else {
            nextProbeNanos.remove(job.resource());
        }
    }

    /** Starts the periodic probes that are due. */
    public void tick(Context ctx) {
        for (Map.Entry<String, Long> e : nextProbeNanos.entrySet()) {
            String resource = e.getKey();
            if (e.getValue() <= ctx.nowNanos() && !busy.containsKey(resource)
                    && queued.getOrDefault(resource, new ArrayDeque<>()).isEmpty()) {
                e.setValue(Long.MAX_VALUE);
                queued.computeIfAbsent(resource, r -> new ArrayDeque<>())
                        .add(new Job(-1, Epoch.NONE, 0, resource, MethodName.PROBE, ctx.nowNanos()));
            }
        }
        for (String resource : new java.util.ArrayList<>(queued.keySet())) {
            runNext(resource, ctx);
        }
        queued.values().removeIf(ArrayDeque::isEmpty);
    }

    /**
     * The epoch of the last action this agent took, {@link Epoch#NONE} since the daemon started.
     * A coordinator this agent did not serve last may believe in resources that died with a
     * daemon restart, or that another coordinator changed meanwhile.
     */
    public Epoch served() {
        return served;
    }

    public long nextWakeNanos() {
        long next = Long.MAX_VALUE;
        for (ArrayDeque<Job> q : queued.values()) {
            if (!q.isEmpty() && q.peekFirst().start()) {
                next = Math.min(next, q.peekFirst().queuedAtNanos() + LEASE_WAIT_MS * 1_000_000L);
            }
        }
        for (long at : nextProbeNanos.values()) {
            next = Math.min(next, at);
        }
        return next;
    }
}
