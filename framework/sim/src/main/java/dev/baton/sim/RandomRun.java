package dev.baton.sim;

import dev.baton.core.NodeStatus;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.FencingSpec;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.QuorumDeviceSpec;
import dev.baton.core.cluster.Timing;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One seeded random run: a cluster of 2–9 nodes with a random shape (networks, serial lines, a
 * quorum device, fencing, zero-vote nodes), random link trouble, and a random sequence of faults
 * and configuration changes; then every fault heals and the run must converge with nothing lost.
 * Everything derives from the seed, so {@code new RandomRun(seed).run()} replays a failure exactly.
 */
public final class RandomRun {
    /** Faults last this long; then everything heals and convergence is checked. */
    static final long FAULT_PHASE_MS = 12_000;
    /** After repair, membership must converge within this bound (reboot + detection + reconfiguration + clearance, with room). */
    public static final long CONVERGENCE_BOUND_MS = 15_000;
    static final int MAX_STEPS_PER_NODE_SECOND = 2_000;

    /** What a run did, for the volume report. */
    public record Outcome(long seed, int nodes, String shape, int faults, int commits, int failfasts,
                          long convergedAfterMs, long steps) {
        @Override
        public String toString() {
            return "seed " + seed + " (" + shape + "): " + faults + " faults, " + commits + " change requests, " + failfasts
                    + " failfasts, converged " + convergedAfterMs + " ms after repair, " + steps + " steps; every invariant held";
        }
    }

    /** After membership converged, every group must be fully online again within this bound (avoidance of a failed node lasts 10 s). */
    public static final long RGM_CONVERGENCE_BOUND_MS = 30_000;

    private final long seed;
    private final Random random;
    private final ClusterConfig config;
    private final Optional<String> resourceGroups;
    private final StringBuilder shape = new StringBuilder();
    private final Set<Integer> wiped = new TreeSet<>();
    private int faults;
    private int commits;
    private Simulation simulation;

    public RandomRun(long seed) {
        this(seed, false);
    }

    /**
     * With {@code withResourceGroups}, the cluster also runs random resource groups whose methods
     * fail during the fault phase; the groups' shape comes from a separate random stream, so the
     * same seed without groups replays exactly as before.
     */
    public RandomRun(long seed, boolean withResourceGroups) {
        this.seed = seed;
        this.random = new Random(seed ^ 0x5DEECE66DL);
        this.config = randomConfig();
        this.resourceGroups = withResourceGroups
                ? Optional.of(RandomGroups.text(config, new Random(seed * 31 + 17))) : Optional.empty();
        resourceGroups.ifPresent(t -> shape.append(", ").append(RandomGroups.describe(t)));
    }

    public Optional<String> resourceGroups() {
        return resourceGroups;
    }

    public ClusterConfig config() {
        return config;
    }

    /** The simulation of the last {@link #run}, to read its whole log. */
    public Simulation simulation() {
        return simulation;
    }

    /** Runs the whole scenario; throws {@link InvariantViolation} naming the seed when an invariant breaks. */
    public Outcome run() {
        Simulation sim = new Simulation(config, seed);
        resourceGroups.ifPresent(sim::withResourceGroups);
        sim.start();
        simulation = sim;
        sim.runForMs(1_000);
        resourceGroups.ifPresent(t -> sim.resources().setFaults(RandomGroups.FAULTS));
        long endOfFaults = sim.nowMs() + FAULT_PHASE_MS;
        while (sim.nowMs() < endOfFaults) {
            sim.runForMs(100 + random.nextInt(900));
            injectSomething(sim);
        }
        sim.healEverything();
        sim.resources().setFaults(SimResources.Faults.NONE);
        overrideIfEveryCommitterLostItsDisk(sim);
        long convergedAfter = sim.invariants().checkConverged(sim, CONVERGENCE_BOUND_MS);
        if (resourceGroups.isPresent()) {
            RandomGroups.checkAllOnline(sim, resourceGroups.get(), seed, RGM_CONVERGENCE_BOUND_MS);
            // A stop that failed before the repair may have had its node halted since: wait for it to rejoin.
            sim.invariants().checkConverged(sim, CONVERGENCE_BOUND_MS);
        }
        changeAndCheck(sim);
        checkStepRate(sim);
        return new Outcome(seed, config.nodeIds().size(), shape.toString(), faults, commits,
                sim.invariants().failfasts(), convergedAfter, sim.steps());
    }

    /**
     * Bounded work: a core that asks to be woken again and again at the same instant would spin a
     * real daemon's CPU. Heartbeats from up to 8 peers on a few paths stay far below this rate.
     */
    private void checkStepRate(Simulation sim) {
        double nodeSeconds = config.nodeIds().size() * (sim.nowMs() / 1000.0);
        double perNodeSecond = sim.steps() / nodeSeconds;
        if (perNodeSecond > MAX_STEPS_PER_NODE_SECOND) {
            throw new InvariantViolation("bounded work: " + Math.round(perNodeSecond) + " steps per node per simulated second (limit "
                    + MAX_STEPS_PER_NODE_SECOND + ") in seed " + seed + "; some core keeps asking to be woken");
        }
    }

    private void changeAndCheck(Simulation sim) {
        int coordinator = sim.status(config.nodeIds().iterator().next()).flatMap(NodeStatus::installed).orElseThrow().coordinator();
        sim.proposeChange(coordinator, "final", "seed=" + seed);
        sim.runForMs(2_000);
        sim.invariants().checkNoCommitLost(sim);
        sim.runForMs(500);
    }

    // ---- cluster shape -----------------------------------------------------------------------

    private ClusterConfig randomConfig() {
        int n = pickNodeCount();
        List<NodeSpec> nodes = new ArrayList<>();
        for (int id = 1; id <= n; id++) {
            int votes = n >= 4 && random.nextInt(8) == 0 ? 0 : 1;
            nodes.add(new NodeSpec(id, "node" + id, votes));
        }
        if (nodes.stream().allMatch(node -> node.votes() == 0)) {
            nodes.set(0, NodeSpec.of(1, "node1"));
        }
        Set<Integer> all = ids(n);
        List<NetworkSpec> networks = randomNetworks(n, all);
        Optional<QuorumDeviceSpec> device = random.nextInt(2) == 0 ? Optional.empty() : Optional.of(randomDevice(all));
        Optional<FencingSpec> fencing = randomFencing(all);
        boolean twoNode = n == 2 && device.isEmpty() && fencing.map(f -> f.powerFences(1) && f.powerFences(2)).orElse(false)
                && random.nextBoolean();
        shape.append(n).append(" nodes, ").append(networks.size()).append(" paths")
                .append(device.map(d -> ", device on " + d.connectedNodeIds()).orElse(""))
                .append(fencing.map(f -> ", " + f.scope() + " fencing").orElse(""))
                .append(twoNode ? ", two-node mode" : "");
        return ClusterConfig.of("seed-" + seed, nodes, networks, device, fencing, twoNode, Timing.DEFAULTS);
    }

    private int pickNodeCount() {
        int roll = random.nextInt(100);
        if (roll < 25) {
            return 2;
        }
        if (roll < 55) {
            return 3;
        }
        if (roll < 75) {
            return 4 + random.nextInt(2);
        }
        return 6 + random.nextInt(4);
    }

    private List<NetworkSpec> randomNetworks(int n, Set<Integer> all) {
        List<NetworkSpec> networks = new ArrayList<>();
        networks.add(NetworkSpec.of("net1", PathKind.IP, all));
        if (random.nextInt(3) == 0) {
            networks.add(NetworkSpec.of("net2", PathKind.IP, all));
        }
        if (random.nextInt(3) == 0) {
            int a = 1 + random.nextInt(n);
            int b = 1 + (a % n);
            networks.add(NetworkSpec.of("serial" + Math.min(a, b) + Math.max(a, b), PathKind.SERIAL, Set.of(a, b)));
        }
        if (random.nextInt(5) == 0) {
            networks.add(NetworkSpec.of("disk", PathKind.DISK, all));
        }
        return networks;
    }

    private QuorumDeviceSpec randomDevice(Set<Integer> all) {
        if (all.size() <= 3 || random.nextBoolean()) {
            return QuorumDeviceSpec.of("qd", all);
        }
        Set<Integer> some = new TreeSet<>();
        all.forEach(id -> {
            if (random.nextBoolean()) {
                some.add(id);
            }
        });
        some.add(1);
        return QuorumDeviceSpec.of("qd", some);
    }

    private Optional<FencingSpec> randomFencing(Set<Integer> all) {
        int roll = random.nextInt(10);
        if (roll < 4) {
            return Optional.of(FencingSpec.of("ipmi", FencingSpec.Scope.POWER, all));
        }
        if (roll < 5) {
            return Optional.of(FencingSpec.of("scsi3", FencingSpec.Scope.STORAGE, all));
        }
        return Optional.empty();
    }

    private static Set<Integer> ids(int n) {
        Set<Integer> ids = new TreeSet<>();
        for (int i = 1; i <= n; i++) {
            ids.add(i);
        }
        return ids;
    }

    // ---- faults ------------------------------------------------------------------------------

    private void injectSomething(Simulation sim) {
        faults++;
        int node = 1 + random.nextInt(config.nodeIds().size());
        int roll = random.nextInt(100);
        if (roll < 10) {
            sim.crash(node);
        } else if (roll < 20) {
            sim.restart(node, mayWipe(node));
        } else if (roll < 26) {
            sim.crashDaemon(node);
        } else if (roll < 34) {
            sim.pause(node, 100 + random.nextInt(2_000));
        } else if (roll < 38) {
            freezeIfFenced(sim, node);
        } else if (roll < 43) {
            sim.jumpClock(node, 50 + random.nextInt(3_000));
        } else if (roll < 55) {
            partition(sim);
        } else if (roll < 62) {
            sim.network().cutOneWay(node, other(node));
        } else if (roll < 68) {
            cutAdapter(sim, node);
        } else if (roll < 76) {
            sim.network().healAll();
        } else if (roll < 82) {
            linkTrouble(sim);
        } else if (roll < 85) {
            sim.device().ifPresent(d -> d.setAvailable(random.nextBoolean()));
        } else {
            proposeChange(sim);
        }
    }

    /**
     * At most one disk per run, and only where the other nodes' votes still make a majority:
     * otherwise no cluster can form without the operator's override, which is a scenario
     * (stale-node-restarts-first), not a liveness failure.
     */
    private boolean mayWipe(int node) {
        Set<Integer> others = new TreeSet<>(config.nodeIds());
        others.remove(node);
        boolean wipe = config.nodeIds().size() >= 3 && wiped.isEmpty() && config.isQuorate(others, false) && random.nextInt(8) == 0;
        if (wipe) {
            wiped.add(node);
        }
        return wipe;
    }

    private void freezeIfFenced(Simulation sim, int node) {
        if (config.fencing().map(f -> f.powerFences(node)).orElse(false)) {
            sim.freeze(node, 200 + random.nextInt(3_000));
        } else {
            sim.pause(node, 200 + random.nextInt(1_500));
        }
    }

    private void partition(Simulation sim) {
        SortedSet<Integer> side = new TreeSet<>();
        for (int id : config.nodeIds()) {
            if (random.nextBoolean()) {
                side.add(id);
            }
        }
        for (int a : side) {
            for (int b : config.nodeIds()) {
                if (!side.contains(b)) {
                    sim.network().cutBothWays(a, b);
                }
            }
        }
    }

    private int other(int node) {
        int n = config.nodeIds().size();
        return 1 + ((node - 1 + 1 + random.nextInt(n - 1)) % n);
    }

    private void cutAdapter(Simulation sim, int node) {
        List<NetworkSpec> mine = config.networks().values().stream().filter(net -> net.joins(node)).toList();
        if (random.nextInt(3) == 0) {
            sim.network().cutIpAdapters(node);
        } else {
            sim.network().cutAdapter(mine.get(random.nextInt(mine.size())).name(), node);
        }
    }

    private void linkTrouble(Simulation sim) {
        List<String> names = new ArrayList<>(config.networks().keySet());
        String net = names.get(random.nextInt(names.size()));
        double loss = random.nextInt(3) == 0 ? 0.3 * random.nextDouble() : 0.05 * random.nextDouble();
        sim.network().setProfile(net, new SimNetwork.LinkProfile(loss, 0.05 * random.nextDouble(), 50, 200 + random.nextInt(8_000)));
    }

    private void proposeChange(Simulation sim) {
        int coordinator = -1;
        for (int id : config.nodeIds()) {
            var status = sim.status(id);
            if (status.isPresent() && status.get().installed().map(m -> m.quorate() && m.coordinator() == id).orElse(false)) {
                coordinator = id;
            }
        }
        int target = coordinator > 0 && random.nextInt(4) != 0 ? coordinator : 1 + random.nextInt(config.nodeIds().size());
        sim.proposeChange(target, random.nextBoolean() ? "resources" : "cluster", "v" + (++commits) + " from seed " + seed);
    }

    private void overrideIfEveryCommitterLostItsDisk(Simulation sim) {
        sim.device().flatMap(SimQuorumDevice::committedRecord).ifPresent(record -> {
            if (!wiped.isEmpty() && wiped.containsAll(record.members())) {
                config.nodeIds().forEach(sim::overrideAmnesia);
            }
        });
    }
}
