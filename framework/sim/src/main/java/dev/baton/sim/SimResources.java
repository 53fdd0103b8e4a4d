package dev.baton.sim;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.core.Effect;
import dev.baton.core.rgm.RgmConfig;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The simulated services: which resources really run on which node, as opposed to what any core
 * believes. A start makes its resource run from the moment it begins (a start that fails may
 * have left something running); a successful stop, a kill (failfast, the guard) or a crash ends
 * it; a frozen machine's resources still count. Methods take a few simulated milliseconds and fail
 * as {@link Faults} say.
 *
 * <p>Invariant (ARCHITECTURE.md invariant 1): whenever a resource begins to run, no other node
 * may really run any resource of the same failover group; the check throws {@link
 * InvariantViolation} naming the group, the nodes and the seed.
 */
public final class SimResources {
    /**
     * How simulated methods misbehave: each call fails with these probabilities (starts and stops
     * with FAILED, probes of a running resource find it dead). Stops fail only under Failover_mode
     * HARD, where the RGM recovers by fencing or halting the node; under any other mode a group
     * would wait for an operator forever.
     */
    public record Faults(double startFailure, double stopFailure, double resourceDeath) {
        public static final Faults NONE = new Faults(0, 0, 0);
    }

    private final SortedMap<Integer, Set<String>> running = new TreeMap<>();
    private Faults faults = Faults.NONE;

    SimResources(Set<Integer> nodeIds) {
        nodeIds.forEach(n -> running.put(n, new TreeSet<>()));
    }

    public void setFaults(Faults next) {
        faults = next;
    }

    public Faults faults() {
        return faults;
    }

    /** The resources really running on a node now. */
    public Set<String> runningOn(int node) {
        return java.util.Collections.unmodifiableSet(running.get(node));
    }

    /** Nodes on which some resource of {@code group} really runs. */
    public Set<Integer> nodesRunning(RgmConfig config, int group) {
        Set<Integer> out = new TreeSet<>();
        for (int r : config.resourcesOf(group)) {
            String name = config.resource(r).name();
            running.forEach((node, set) -> {
                if (set.contains(name)) {
                    out.add(node);
                }
            });
        }
        return out;
    }

    /** Whether every enabled resource of the group runs on the node. */
    public boolean groupFullyOn(RgmConfig config, int group, int node) {
        for (int r : config.resourcesOf(group)) {
            if (config.resource(r).enabled() && !running.get(node).contains(config.resource(r).name())) {
                return false;
            }
        }
        return config.resourcesOf(group).length > 0;
    }

    /** Everything on the node stops (killed by failfast or the guard, or the machine went off). */
    void killAll(int node) {
        running.get(node).clear();
    }

    /**
     * Someone starts a resource behind the cluster's back (an operator by hand): the invariant
     * check runs as for any start. For showing that the checker fires.
     */
    public void startOutsideTheCluster(int node, String resource, RgmConfig config, long nowNanos) {
        running.get(node).add(resource);
        checkAlone(node, resource, config, -1, nowNanos);
    }

    /** A resource dies on its own (its process crashed): the next probe finds it gone. */
    void die(int node, String resource) {
        running.get(node).remove(resource);
    }

    /** How long a simulated method takes. */
    long durationNanos(MethodName method, Random random) {
        long maxMs = method == MethodName.PROBE ? 3 : 20;
        return (1 + random.nextInt((int) maxMs)) * 1_000_000L;
    }

    /**
     * The method begins on {@code node}: a start makes the resource run at once (checked against
     * the invariant). Returns the result the method will report when it ends.
     */
    ResultCode begin(int node, Effect.RunMethod m, RgmConfig config, Random random, long seed, long nowNanos) {
        Set<String> here = running.get(node);
        return switch (m.method()) {
            case START, PRENET_START -> {
                here.add(m.resource());
                checkAlone(node, m.resource(), config, seed, nowNanos);
                yield random.nextDouble() < faults.startFailure() ? ResultCode.FAILED : ResultCode.SUCCESS;
            }
            case STOP, POSTNET_STOP -> random.nextDouble() < stopFailureFor(m, config) ? ResultCode.FAILED : ResultCode.SUCCESS;
            case PROBE -> ResultCode.SUCCESS;
            default -> ResultCode.SUCCESS;
        };
    }

    private double stopFailureFor(Effect.RunMethod m, RgmConfig config) {
        if (!config.hasResource(m.resource())) {
            return 0;
        }
        var spec = config.resource(config.resourceIndex(m.resource()));
        return spec.failoverMode() == dev.baton.api.type.FailoverMode.HARD ? faults.stopFailure() : 0;
    }

    /** The method ends: a successful stop ends the resource; a probe reads the truth now. */
    ResultCode end(int node, Effect.RunMethod m, ResultCode planned, Random random) {
        Set<String> here = running.get(node);
        switch (m.method()) {
            case STOP -> {
                if (planned == ResultCode.SUCCESS) {
                    here.remove(m.resource());
                }
                return planned;
            }
            case PROBE -> {
                if (here.contains(m.resource()) && random.nextDouble() < faults.resourceDeath()) {
                    here.remove(m.resource());
                }
                return here.contains(m.resource()) ? ResultCode.RUNNING : ResultCode.NOT_RUNNING;
            }
            default -> {
                return planned;
            }
        }
    }

    private void checkAlone(int node, String resource, RgmConfig config, long seed, long nowNanos) {
        if (!config.hasResource(resource)) {
            return;
        }
        int group = config.groupOf(config.resourceIndex(resource));
        if (!config.group(group).isFailover()) {
            return;
        }
        Set<Integer> where = nodesRunning(config, group);
        if (where.size() > 1) {
            throw new InvariantViolation("invariant 1 (a failover group runs on at most one node): group "
                    + config.group(group).name() + " really runs on nodes " + where + " at " + nowNanos / 1_000_000L
                    + " ms (start of " + resource + " on node " + node + "), seed " + seed);
        }
    }

    /** For logs and scenario output: node → running resources. */
    public Map<Integer, Set<String>> snapshot() {
        Map<Integer, Set<String>> out = new TreeMap<>();
        running.forEach((n, s) -> out.put(n, Set.copyOf(new TreeSet<>(s))));
        return out;
    }
}
