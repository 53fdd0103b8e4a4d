package dev.baton.sim;

import dev.baton.core.Effect;
import dev.baton.core.Effects;
import dev.baton.core.Event;
import dev.baton.core.Input;
import dev.baton.core.Message;
import dev.baton.core.NodeCore;
import dev.baton.core.NodeStatus;
import dev.baton.core.ccr.Table;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.FencingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Runs every node's real {@link NodeCore} on one virtual clock, single-threaded and seeded, so a
 * run is a pure function of (configuration, seed, fault script) and replays exactly. It performs
 * the cores' effects the way the daemon will: frames cross {@link SimNetwork}, device requests go
 * to {@link SimQuorumDevice}, fences to a simulated fencing device, persists to each node's
 * {@link SimDisk}, lease deadlines to each node's guard. {@link Invariants} watches every step.
 */
public final class Simulation {
    private static final long MS = 1_000_000L;

    /** Latencies and behaviour of the simulated hardware. */
    public record Options(long rebootDelayMs, long killLatencyMaxMs, long deviceLatencyMaxMs,
                          long fenceLatencyMaxMs, double fenceFailureRate, long maxDriftPpm, long maxClockOffsetMs) {
        public static final Options DEFAULTS = new Options(1_000, 40, 5, 80, 0.0, 2_000, 10_000);
    }

    private record Scheduled(long atNanos, long order, Runnable action) {
    }

    private final ClusterConfig config;
    private final long seed;
    private final Options options;
    private final Random random;
    private final SortedMap<Integer, SimNode> nodes = new TreeMap<>();
    private final SimNetwork network;
    private final Optional<SimQuorumDevice> device;
    private final SimSharedDisk sharedDisk;
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
            (a, b) -> a.atNanos != b.atNanos ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.order, b.order));
    private final SimLog log;
    private final Invariants invariants;
    private final SimResources resources;
    private long nowNanos;
    private long order;
    private long requestIds;
    private long steps;

    public Simulation(ClusterConfig config, long seed, Options options) {
        this.config = config;
        this.seed = seed;
        this.options = options;
        this.random = new Random(seed);
        this.network = new SimNetwork(config);
        this.device = config.quorumDevice().map(d -> new SimQuorumDevice(d.connectedNodeIds()));
        this.sharedDisk = new SimSharedDisk(config.nodeIds());
        this.log = new SimLog(config);
        this.invariants = new Invariants(config, log);
        this.resources = new SimResources(config.nodeIds());
        for (int id : config.nodeIds()) {
            long offset = (long) (random.nextDouble() * options.maxClockOffsetMs()) * MS;
            long drift = options.maxDriftPpm() == 0 ? 0 : random.nextLong(-options.maxDriftPpm(), options.maxDriftPpm() + 1);
            SimNode node = new SimNode(id, offset, drift);
            node.disk.persistTable(Table.create("cluster", dev.baton.core.membership.Epoch.NONE, 1, "name=" + config.clusterName()));
            nodes.put(id, node);
        }
    }

    public Simulation(ClusterConfig config, long seed) {
        this(config, seed, Options.DEFAULTS);
    }

    /**
     * Gives every node's disk the resource group configuration (CCR table {@code rgm}) before
     * {@link #start}, as if it had been committed before the run: the cores' RGM then places and
     * moves the groups, and {@link SimResources} runs them.
     */
    public Simulation withResourceGroups(String rgmText) {
        dev.baton.core.rgm.RgmConfigText.parse(rgmText, "rgm").requireNodes(config.nodeIds());
        nodes.values().forEach(n -> n.disk.persistTable(Table.create("rgm", dev.baton.core.membership.Epoch.NONE, 1, rgmText)));
        return this;
    }

    public SimResources resources() {
        return resources;
    }

    // ---- running -----------------------------------------------------------------------------

    /** Boots every node's daemon (their disks hold the bootstrap table) and starts the services' disk I/O. */
    public Simulation start() {
        nodes.values().forEach(n -> bootDaemon(n));
        at(nowNanos + SERVICE_WRITE_INTERVAL_NANOS, this::servicesWrite);
        return this;
    }

    private static final long SERVICE_WRITE_INTERVAL_NANOS = 50 * MS;

    /** Running services write to the shared disk; a storage-fenced node meets a reservation conflict and fails fast. */
    private void servicesWrite() {
        for (SimNode node : nodes.values()) {
            if (node.running && node.machine == SimNode.Machine.UP && !sharedDisk.write(node.id)) {
                log.add(nowNanos, node.id, "reservation conflict on the shared disk");
                if (node.core != null && node.daemon == SimNode.Daemon.RUNNING) {
                    failfast(node, "reservation conflict on the shared disk");
                } else {
                    killResources(node);
                }
            }
        }
        at(nowNanos + SERVICE_WRITE_INTERVAL_NANOS, this::servicesWrite);
    }

    public void runForMs(long ms) {
        runUntilNanos(nowNanos + ms * MS);
    }

    /** Runs until {@code condition} holds (checked after every event) or {@code maxMs} pass; true if it held. */
    public boolean runUntil(BooleanSupplier condition, long maxMs) {
        long end = nowNanos + maxMs * MS;
        while (!condition.getAsBoolean()) {
            if (queue.isEmpty() || queue.peek().atNanos > end) {
                nowNanos = end;
                return condition.getAsBoolean();
            }
            runOne();
        }
        return true;
    }

    private void runUntilNanos(long endNanos) {
        while (!queue.isEmpty() && queue.peek().atNanos <= endNanos) {
            runOne();
        }
        nowNanos = Math.max(nowNanos, endNanos);
        invariants.checkRunning(this);
    }

    private void runOne() {
        Scheduled next = queue.poll();
        nowNanos = Math.max(nowNanos, next.atNanos);
        next.action.run();
        invariants.checkRunning(this);
    }

    private void at(long atNanos, Runnable action) {
        queue.add(new Scheduled(Math.max(atNanos, nowNanos), order++, action));
    }

    // ---- stepping a node ---------------------------------------------------------------------

    private void deliver(SimNode node, Input input) {
        if (node.machine != SimNode.Machine.UP || node.core == null) {
            return;
        }
        if (node.daemon == SimNode.Daemon.PAUSED) {
            if (node.pausedInputs.size() < SimNode.MAX_QUEUED_WHILE_PAUSED) {
                node.pausedInputs.add(input);
            }
            return;
        }
        if (node.daemon == SimNode.Daemon.RUNNING) {
            step(node, input);
        }
    }

    private void step(SimNode node, Input input) {
        long local = node.localNanos(nowNanos);
        countStep(node);
        Effects effects = node.core.step(input, local);
        steps++;
        perform(node, effects);
        if (node.core != null) {
            afterStep(node, local, effects.wakeAtNanos());
        }
    }

    /** A node stepped far more often than heartbeats and wake-ups explain is spinning: fail at once, naming it. */
    private static final int MAX_STEPS_PER_NODE_SECOND = 5_000;

    private void countStep(SimNode node) {
        long second = nowNanos / 1_000_000_000L;
        if (second != node.stepWindowSecond) {
            node.stepWindowSecond = second;
            node.stepsInWindow = 0;
        }
        if (++node.stepsInWindow > MAX_STEPS_PER_NODE_SECOND) {
            throw new InvariantViolation("bounded work: node " + node.id + " was stepped more than " + MAX_STEPS_PER_NODE_SECOND
                    + " times in simulated second " + second + " of seed " + seed + "; its core keeps asking to be woken\n  last events:\n"
                    + log.tailText(40));
        }
    }

    private void afterStep(SimNode node, long local, long wakeAtLocal) {
        long until = node.core.leaseValidUntilNanos();
        node.leaseMembers = node.core.leaseMembers();
        if (local < until) {
            node.running = true;
            if (until != node.leaseUntilLocalNanos) {
                node.leaseDeadlineRealNanos = Math.max(node.leaseDeadlineRealNanos, node.realNanosAt(until));
            }
        }
        node.leaseUntilLocalNanos = until;
        invariants.afterStep(this, node);
        scheduleWake(node, wakeAtLocal);
    }

    private void scheduleWake(SimNode node, long wakeAtLocal) {
        if (wakeAtLocal == Long.MAX_VALUE) {
            return;
        }
        long token = ++node.wakeToken;
        int incarnation = node.incarnation;
        at(node.realNanosAt(wakeAtLocal), () -> {
            if (node.wakeToken == token && node.incarnation == incarnation) {
                deliver(node, new Input.Tick());
            }
        });
    }

    private void perform(SimNode node, Effects effects) {
        for (Effect effect : effects.ordered()) {
            if (effect instanceof Effect.Failfast failfast) {
                failfast(node, failfast.reason());
                return;
            }
            perform(node, effect);
        }
    }

    private void perform(SimNode node, Effect effect) {
        switch (effect) {
            case Effect.Failfast f -> failfast(node, f.reason());
            case Effect.PersistPromise p -> node.disk.persistPromise(p.promised());
            case Effect.PersistTable p -> node.disk.persistTable(p.table());
            case Effect.PersistPrepared p -> node.disk.persistPrepared(p.prepared());
            case Effect.PersistRolledBack p -> node.disk.persistRolledBack(p.rolledBack());
            case Effect.Send s -> send(node.id, s.to(), s.message());
            case Effect.Broadcast b -> broadcast(node.id, b.network(), b.message());
            case Effect.RaceDevice r -> deviceRequest(node, d -> {
                Input.DeviceRaceResult result = d.race(node.id, r.epoch(), r.members());
                log.add(nowNanos, node.id, "device race for epoch " + r.epoch() + " " + r.members() + ": " + result.outcome()
                        + (result.preempted().isEmpty() ? "" : ", preempted " + result.preempted()));
                return result;
            });
            case Effect.CheckDevice c -> deviceRequest(node, d -> new Input.DeviceCheckResult(c.issuedAtNanos(), c.epoch(), d.holds(node.id, c.epoch())));
            case Effect.RecordCommittedMembership r -> deviceRequest(node, d -> new Input.DeviceRecordResult(r.epoch(), d.record(node.id, r.epoch(), r.members())));
            case Effect.Fence f -> fence(node, f.node(), f.reason());
            case Effect.ArmGuard g -> armGuard(node, g.leaseDeadlineNanos());
            case Effect.RunMethod m -> runMethod(node, m);
            case Effect.Notify n -> notify(node, n.event());
        }
    }

    // ---- resource methods --------------------------------------------------------------------

    /**
     * Runs a method as the daemon would: a start whose lease deadline has passed on the node's own
     * clock is refused; otherwise the method begins now (a start makes its resource run at once)
     * and answers after a few milliseconds, unless the machine crashed meanwhile (a frozen one
     * answers when it thaws; a dead daemon's answers are lost).
     */
    private void runMethod(SimNode node, Effect.RunMethod m) {
        int incarnation = node.incarnation;
        if (m.leaseDeadlineNanos() != Long.MAX_VALUE && node.localNanos(nowNanos) >= m.leaseDeadlineNanos()) {
            log.add(nowNanos, node.id, m.method().jsName() + " " + m.resource() + " refused: lease deadline passed");
            deliver(node, new Input.MethodDone(m.runId(), dev.baton.api.method.ResultCode.FAILED,
                    "the lease deadline passed before the start ran"));
            return;
        }
        var rgm = node.core.rgmConfig();
        var planned = resources.begin(node.id, m, rgm, random, seed, nowNanos);
        at(nowNanos + resources.durationNanos(m.method(), random), () -> whenNotFrozen(node, () -> {
            if (node.machine != SimNode.Machine.UP) {
                return;
            }
            var code = resources.end(node.id, m, planned, random);
            if (m.method() != dev.baton.api.type.MethodName.PROBE || !code.isUp()) {
                log.add(nowNanos, node.id, m.method().jsName() + " " + m.resource() + ": " + code);
            }
            if (node.incarnation == incarnation) {
                deliver(node, new Input.MethodDone(m.runId(), code, code == dev.baton.api.method.ResultCode.FAILED
                        ? "simulated failure" : ""));
            }
        }));
    }

    // ---- network -----------------------------------------------------------------------------

    private void send(int from, int to, Message message) {
        String path = network.routeFor(from, to);
        if (path != null) {
            transmit(from, to, path, message);
        }
    }

    private void broadcast(int from, String networkName, Message message) {
        for (int to : config.networks().get(networkName).nodeIds()) {
            if (to != from && network.isUp(networkName, from, to)) {
                transmit(from, to, networkName, message);
            }
        }
    }

    private void transmit(int from, int to, String path, Message message) {
        SimNode target = nodes.get(to);
        for (long delay : network.deliveryDelays(path, random)) {
            at(nowNanos + delay, () -> {
                if (network.isUp(path, from, to)) {
                    deliver(target, new Input.Received(message, path));
                }
            });
        }
    }

    // ---- devices, fencing, guard -------------------------------------------------------------

    private void deviceRequest(SimNode node, java.util.function.Function<SimQuorumDevice, Input> request) {
        if (device.isEmpty()) {
            return;
        }
        int incarnation = node.incarnation;
        long there = nowNanos + latency(options.deviceLatencyMaxMs());
        at(there, () -> {
            Input answer = request.apply(device.get());
            at(nowNanos + latency(options.deviceLatencyMaxMs()), () -> {
                if (node.incarnation == incarnation) {
                    deliver(node, answer);
                }
            });
        });
    }

    private void fence(SimNode requester, int target, String reason) {
        int incarnation = requester.incarnation;
        FencingSpec spec = config.fencing().orElse(null);
        at(nowNanos + latency(options.fenceLatencyMaxMs()), () -> {
            boolean ok = spec != null && spec.coveredNodeIds().contains(target) && random.nextDouble() >= options.fenceFailureRate();
            if (ok && spec.scope() == FencingSpec.Scope.POWER) {
                powerOff(nodes.get(target), "power-fenced by node " + requester.id);
            } else if (ok) {
                sharedDisk.preempt(target);
            }
            log.add(nowNanos, requester.id, (ok ? "fenced node " : "FAILED to fence node ") + target + " (" + reason + ")");
            at(nowNanos + latency(options.deviceLatencyMaxMs()), () -> {
                if (requester.incarnation == incarnation) {
                    deliver(requester, new Input.FenceResult(target, ok, ok ? "simulated " + (spec == null ? "" : spec.scope()) + " fence" : "simulated fence failure"));
                }
            });
        });
    }

    private void armGuard(SimNode node, long deadlineLocal) {
        if (deadlineLocal <= node.guardDeadlineLocalNanos) {
            return;
        }
        node.guardDeadlineLocalNanos = deadlineLocal;
        scheduleGuard(node);
    }

    private void scheduleGuard(SimNode node) {
        long token = ++node.guardToken;
        at(node.realNanosAt(node.guardDeadlineLocalNanos), () -> guardFires(node, token));
    }

    /** The guard: a separate process that outlives the daemon, but not a frozen or crashed machine. */
    private void guardFires(SimNode node, long token) {
        if (token != node.guardToken || node.machine != SimNode.Machine.UP || !node.running) {
            return;
        }
        if (node.localNanos(nowNanos) < node.guardDeadlineLocalNanos) {
            scheduleGuard(node);
            return;
        }
        log.add(nowNanos, node.id, "guard: lease deadline passed, killing resources");
        killResources(node);
    }

    private void killResources(SimNode node) {
        if (!node.running && resources.runningOn(node.id).isEmpty()) {
            return;
        }
        long latency = latency(options.killLatencyMaxMs());
        at(nowNanos + latency, () -> {
            resources.killAll(node.id);
            if (node.running) {
                node.running = false;
                log.add(nowNanos, node.id, "resources killed");
            }
        });
    }

    private long latency(long maxMs) {
        return maxMs <= 0 ? 0 : (long) (random.nextDouble() * maxMs * MS);
    }

    // ---- node lifecycle ----------------------------------------------------------------------

    private void bootDaemon(SimNode node) {
        if (node.machine != SimNode.Machine.UP) {
            return;
        }
        node.incarnation++;
        node.core = new NodeCore(node.id, config);
        node.daemon = SimNode.Daemon.RUNNING;
        node.pausedInputs.clear();
        node.leaseUntilLocalNanos = Long.MIN_VALUE;
        node.leaseMembers = new java.util.TreeSet<>();
        step(node, node.disk.boot());
    }

    private void failfast(SimNode node, String reason) {
        log.add(nowNanos, node.id, "FAILFAST " + reason);
        invariants.failfast(node.id);
        killResources(node);
        node.core = null;
        node.daemon = SimNode.Daemon.DEAD;
        node.incarnation++;
        int incarnation = node.incarnation;
        at(nowNanos + options.rebootDelayMs() * MS, () -> whenNotFrozen(node, () -> {
            if (node.incarnation == incarnation && node.machine == SimNode.Machine.UP) {
                log.add(nowNanos, node.id, "rebooted after failfast");
                bootDaemon(node);
            }
        }));
    }

    private void powerOff(SimNode node, String why) {
        if (!machineDown(node, "power off: " + why)) {
            return;
        }
        int incarnation = node.incarnation;
        at(nowNanos + options.rebootDelayMs() * MS, () -> {
            if (node.incarnation == incarnation && node.machine == SimNode.Machine.CRASHED) {
                node.machine = SimNode.Machine.UP;
                log.add(nowNanos, node.id, "powered back on");
                bootDaemon(node);
            }
        });
    }

    // ---- faults ------------------------------------------------------------------------------

    /** The machine stops at once: services die with it. It stays down until {@link #restart}. */
    public void crash(int id) {
        machineDown(node(id), "crash");
    }

    /** The machine goes off with everything on it; false if it already was. */
    private boolean machineDown(SimNode node, String why) {
        if (node.machine == SimNode.Machine.CRASHED) {
            return false;
        }
        log.add(nowNanos, node.id, why);
        node.machine = SimNode.Machine.CRASHED;
        node.running = false;
        resources.killAll(node.id);
        node.core = null;
        node.daemon = SimNode.Daemon.DEAD;
        node.incarnation++;
        node.onThaw.clear();
        return true;
    }

    /** Only the daemon dies (kill -9): the guard and the services it started live on. */
    public void crashDaemon(int id) {
        SimNode node = node(id);
        if (node.machine != SimNode.Machine.UP || node.core == null) {
            return;
        }
        log.add(nowNanos, id, "daemon killed");
        node.core = null;
        node.daemon = SimNode.Daemon.DEAD;
        node.incarnation++;
    }

    /** Powers a crashed machine back on or restarts a dead daemon; {@code wipeDisk} models a replaced disk. */
    public void restart(int id, boolean wipeDisk) {
        SimNode node = node(id);
        if (node.machine == SimNode.Machine.FROZEN || node.daemonAlive() || node.daemon == SimNode.Daemon.PAUSED) {
            return;
        }
        if (wipeDisk) {
            node.disk.wipe();
            invariants.diskWiped(id);
        }
        log.add(nowNanos, id, "restart" + (wipeDisk ? " with an empty disk" : ""));
        node.machine = SimNode.Machine.UP;
        bootDaemon(node);
    }

    /** Stop-the-world pause of the daemon alone: inputs queue, the guard keeps watching. */
    public void pause(int id, long ms) {
        SimNode node = node(id);
        if (!node.daemonAlive()) {
            return;
        }
        log.add(nowNanos, id, "daemon paused for " + ms + " ms");
        node.daemon = SimNode.Daemon.PAUSED;
        int incarnation = node.incarnation;
        at(nowNanos + ms * MS, () -> whenNotFrozen(node, () -> resume(node, incarnation)));
    }

    private void whenNotFrozen(SimNode node, Runnable action) {
        if (node.machine == SimNode.Machine.FROZEN) {
            node.onThaw.add(action);
        } else {
            action.run();
        }
    }

    private void resume(SimNode node, int incarnation) {
        if (node.incarnation != incarnation || node.daemon != SimNode.Daemon.PAUSED || node.machine != SimNode.Machine.UP) {
            return;
        }
        log.add(nowNanos, node.id, "daemon resumed with " + node.pausedInputs.size() + " queued inputs");
        node.daemon = SimNode.Daemon.RUNNING;
        deliver(node, new Input.Tick());
        while (!node.pausedInputs.isEmpty() && node.daemonAlive()) {
            deliver(node, node.pausedInputs.poll());
        }
        node.pausedInputs.clear();
    }

    /**
     * The whole machine freezes (a VM pause): daemon, guard and services stop, then carry on.
     * Only real fencing covers this (ARCHITECTURE.md rule 3), so it is refused without power fencing.
     */
    public void freeze(int id, long ms) {
        SimNode node = node(id);
        if (!config.fencing().map(f -> f.powerFences(id)).orElse(false)) {
            throw new IllegalStateException("a machine freeze is only injected where power fencing covers the node; node " + id + " is not covered");
        }
        if (node.machine != SimNode.Machine.UP) {
            return;
        }
        log.add(nowNanos, id, "machine frozen for " + ms + " ms");
        node.machine = SimNode.Machine.FROZEN;
        long freeze = ++node.freezeToken;
        at(nowNanos + ms * MS, () -> {
            if (node.freezeToken == freeze && node.machine == SimNode.Machine.FROZEN) {
                node.machine = SimNode.Machine.UP;
                node.thawedAtRealNanos = nowNanos;
                log.add(nowNanos, id, "machine thawed");
                if (node.running) {
                    scheduleGuard(node);
                }
                if (node.core != null) {
                    deliver(node, new Input.Tick());
                }
                List<Runnable> due = new ArrayList<>(node.onThaw);
                node.onThaw.clear();
                due.forEach(Runnable::run);
            }
        });
    }

    /** The node's monotonic clock jumps forward by {@code ms}. */
    public void jumpClock(int id, long ms) {
        SimNode node = node(id);
        log.add(nowNanos, id, "clock jumps +" + ms + " ms");
        node.clockOffsetNanos += ms * MS;
        if (node.running) {
            scheduleGuard(node);
        }
    }

    /** An operator asks {@code id} for something of the RGM (switchover, offline …); returns the request id. */
    public long rgmRequest(int id, dev.baton.core.rgm.Request request) {
        long requestId = ++requestIds;
        log.add(nowNanos, id, "rgm request " + requestId + ": " + request);
        deliver(node(id), new Input.RgmCommand(requestId, request));
        return requestId;
    }

    /** An operator asks {@code id} to change a configuration table; returns the request id. */
    public long proposeChange(int id, String table, String content) {
        long requestId = ++requestIds;
        log.add(nowNanos, id, "change request " + requestId + ": " + table + " = " + content);
        deliver(node(id), new Input.ProposeChange(requestId, table, content));
        return requestId;
    }

    public void overrideAmnesia(int id) {
        log.add(nowNanos, id, "operator overrides amnesia protection");
        deliver(node(id), new Input.OverrideAmnesia());
    }

    /** Brings every machine and daemon back and every path up, as after a repair. */
    public void healEverything() {
        network.healAll();
        network.resetProfiles();
        device.ifPresent(d -> d.setAvailable(true));
        for (SimNode node : nodes.values()) {
            if (node.machine == SimNode.Machine.CRASHED || node.daemon == SimNode.Daemon.DEAD) {
                whenNotFrozen(node, () -> restart(node.id, false));
            }
        }
    }

    private void notify(SimNode node, Event event) {
        if (event instanceof Event.MembershipChanged changed && changed.membership().quorate() && changed.membership().contains(node.id)) {
            sharedDisk.register(node.id);
        }
        invariants.onEvent(this, node, event);
        log.event(nowNanos, node.id, event);
    }

    // ---- accessors ---------------------------------------------------------------------------

    public SimNode node(int id) {
        SimNode node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node " + id + "; nodes are " + nodes.keySet());
        }
        return node;
    }

    public SortedMap<Integer, SimNode> nodes() {
        return nodes;
    }

    /** The node's status now, or empty when its daemon is not running. */
    public Optional<NodeStatus> status(int id) {
        SimNode node = node(id);
        return node.core == null || node.machine != SimNode.Machine.UP ? Optional.empty() : Optional.of(node.core.status(node.localNanos(nowNanos)));
    }

    public SimNetwork network() {
        return network;
    }

    public Optional<SimQuorumDevice> device() {
        return device;
    }

    public SimSharedDisk sharedDisk() {
        return sharedDisk;
    }

    public ClusterConfig config() {
        return config;
    }

    public long seed() {
        return seed;
    }

    public long nowNanos() {
        return nowNanos;
    }

    public long nowMs() {
        return nowNanos / MS;
    }

    public SimLog log() {
        return log;
    }

    public Invariants invariants() {
        return invariants;
    }

    public long steps() {
        return steps;
    }

    public Random random() {
        return random;
    }

    public List<Integer> nodeIds() {
        return new ArrayList<>(nodes.keySet());
    }
}
