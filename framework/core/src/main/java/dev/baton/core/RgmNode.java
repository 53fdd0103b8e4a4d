package dev.baton.core;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.core.ccr.Table;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.heartbeat.PathCondition;
import dev.baton.core.membership.Epoch;
import dev.baton.core.membership.Membership;
import dev.baton.core.rgm.Action;
import dev.baton.core.rgm.ClusterView;
import dev.baton.core.rgm.InvalidRgmConfigException;
import dev.baton.core.rgm.ResourceAgent;
import dev.baton.core.rgm.ResourceSpec;
import dev.baton.core.rgm.RgmConfig;
import dev.baton.core.rgm.RgmConfigText;
import dev.baton.core.rgm.RgmCoordinator;
import dev.baton.core.rgm.RgmSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One node's part of the resource group manager inside {@link NodeCore}: the {@link
 * ResourceAgent} that runs methods here, and, while this node is the lowest id of a quorate
 * membership and holds its lease, the {@link RgmCoordinator} that plans for the cluster (rule 5).
 * The configuration is the CCR tables named {@value RgmConfigText#TABLE} or starting with
 * {@code rgm.}, read in name order (one table holds at most 64 Ki characters).
 *
 * <p>Every entry point takes the batch being built, so actions, results and replicated status
 * leave in the same ordered batch as the input that caused them.
 */
final class RgmNode {
    private static final long MS = 1_000_000L;
    /** Replicated status goes out at most this often, and only when it changed. */
    static final long STATUS_EVERY_MS = 500;
    /** While a group is blocked, plan again this often: an avoidance or evacuation may have ended. */
    static final long BLOCKED_RECHECK_MS = 1_000;

    /** What NodeCore knows at this instant. */
    record Facts(Membership installed, Epoch promised, boolean leaseValid, long leaseValidUntilNanos,
                 Set<Integer> uncleared, Set<PathCondition> conditions, long nowNanos) {
        boolean reconfiguring() {
            return installed == null || promised.isNewerThan(installed.epoch());
        }

        ResourceAgent.Context agentContext() {
            return new ResourceAgent.Context(promised, leaseValid, leaseValidUntilNanos, nowNanos);
        }
    }

    private final int self;
    private final ClusterConfig cluster;
    private final ResourceAgent agent;
    private RgmConfig config = RgmConfig.empty();
    private Object configKey = List.of();
    private RgmCoordinator coordinator;
    /** The view last given to the coordinator (it may narrow what it keeps, so compare with this). */
    private ClusterView viewGiven;
    private Epoch coordinatorSince = Epoch.NONE;
    private RgmSnapshot lastSnapshot;
    private final Map<Long, Integer> fenceActions = new HashMap<>();
    private long nextActionId = 1;
    private long nextStatusNanos;
    private long nextRecheckNanos = Long.MAX_VALUE;
    private Effects.Builder out;
    private Facts facts;
    /** Why the coordinator told this node to halt, or null: NodeCore fails fast at the end of the step. */
    private String haltReason;
    /** While this node's agent last served another coordinator (or none), it tells the coordinator (again each second). */
    private Epoch helloEpoch = Epoch.NONE;
    private long nextHelloNanos;
    /**
     * Actions for this node's own agent, run after the coordinator call that produced them returns:
     * a refusal answers at once, and must not re-enter the graph runner mid-release.
     */
    private final java.util.ArrayDeque<Runnable> local = new java.util.ArrayDeque<>();

    RgmNode(int self, ClusterConfig cluster) {
        this.self = self;
        this.cluster = cluster;
        this.agent = new ResourceAgent(self, new Sink());
    }

    RgmConfig config() {
        return config;
    }

    Optional<RgmCoordinator> coordinator() {
        return Optional.ofNullable(coordinator);
    }

    /** The last status the coordinator replicated (this node's own when it coordinates). */
    Optional<RgmSnapshot> snapshot() {
        return Optional.ofNullable(lastSnapshot);
    }

    private void begin(Facts now, Effects.Builder batch) {
        this.facts = now;
        this.out = batch;
    }

    /** Runs this node's own queued actions; bounded because each runs a graph step at most once. */
    private void drainLocal() {
        for (int n = 0; !local.isEmpty() && n < 100_000; n++) {
            local.poll().run();
        }
    }

    // ---- configuration -----------------------------------------------------------------------

    /** Parses a proposed rgm table; the refusal names the line, or null when it is usable. */
    static String refusal(ClusterConfig cluster, String table, String content, SortedMap<String, Table> current) {
        if (!isRgmTable(table)) {
            return null;
        }
        SortedMap<String, String> texts = new TreeMap<>();
        current.forEach((name, t) -> texts.put(name, t.content()));
        texts.put(table, content);
        try {
            parse(texts).requireNodes(cluster.nodeIds());
            return null;
        } catch (InvalidRgmConfigException e) {
            return e.getMessage();
        }
    }

    /** The tables whose names start with "rgm": checked every step, so the others are not walked. */
    private static SortedMap<String, Table> rgmTables(SortedMap<String, Table> tables) {
        return tables.subMap(RgmConfigText.TABLE, RgmConfigText.TABLE + Character.MAX_VALUE);
    }

    private static boolean isRgmTable(String name) {
        return name.equals(RgmConfigText.TABLE) || name.startsWith(RgmConfigText.TABLE + ".");
    }

    private static RgmConfig parse(SortedMap<String, String> tables) {
        StringBuilder text = new StringBuilder();
        List<String> names = new ArrayList<>();
        tables.forEach((name, content) -> {
            if (isRgmTable(name)) {
                text.append(content).append('\n');
                names.add(name);
            }
        });
        return RgmConfigText.parse(text.toString(), "CCR tables " + names);
    }

    private void refreshConfig(SortedMap<String, Table> tables) {
        List<Object> key = new ArrayList<>();
        rgmTables(tables).forEach((name, t) -> {
            if (isRgmTable(name)) {
                key.add(t.version());
            }
        });
        if (key.equals(configKey)) {
            return;
        }
        configKey = key;
        SortedMap<String, String> texts = new TreeMap<>();
        rgmTables(tables).forEach((name, t) -> texts.put(name, t.content()));
        try {
            RgmConfig next = parse(texts);
            next.requireNodes(cluster.nodeIds());
            config = next;
            agent.configure(next);
            coordinator = null;
        } catch (InvalidRgmConfigException e) {
            out.notify(new Event.RgmConfigRefused(e.getMessage()));
        }
    }

    // ---- every step --------------------------------------------------------------------------

    void afterInput(Facts now, SortedMap<String, Table> tables, Effects.Builder batch) {
        begin(now, batch);
        refreshConfig(tables);
        agent.tick(now.agentContext());
        updateRole();
        helloIfNeeded();
        if (coordinator == null || !now.leaseValid() || now.reconfiguring()) {
            return;
        }
        long nowMs = now.nowNanos() / MS;
        coordinator.tick(nowMs);
        drainLocal();
        if (now.nowNanos() >= nextRecheckNanos) {
            coordinator.markDirty();
        }
        if (coordinator.planIfNeeded(nowMs)) {
            var graph = coordinator.lastGraph();
            if (!graph.isEmpty() || !graph.blocked().isEmpty()) {
                out.notify(new Event.RgmPlanned(graph.summary()));
            }
            nextRecheckNanos = graph.blocked().isEmpty() ? Long.MAX_VALUE : now.nowNanos() + BLOCKED_RECHECK_MS * MS;
        }
        drainLocal();
        replicateIfDue(nowMs);
    }

    /**
     * Coordinates while this node is the lowest id of a quorate installed membership. A coordinator
     * that stays across epochs keeps what it knows; a new one starts from the last replicated
     * history and probes everything.
     */
    private void updateRole() {
        Membership m = facts.installed();
        boolean authority = m != null && m.quorate() && m.members().first() == self && config.groupCount() > 0;
        if (!authority) {
            coordinator = null;
            return;
        }
        ClusterView view = view(m);
        if (coordinator == null) {
            coordinator = new RgmCoordinator(config, nodeIds(), view, lastSnapshot == null, new Executor(), nextActionId);
            coordinatorSince = m.epoch();
            if (lastSnapshot != null) {
                coordinator.state().restore(lastSnapshot, facts.nowNanos() / MS);
            }
            nextStatusNanos = 0;
            viewGiven = view;
        } else if (!view.equals(viewGiven)) {
            coordinator.viewChanged(view);
            viewGiven = view;
        }
    }

    /**
     * Tells the coordinator this node's agent last served someone else (or no one since the daemon
     * started), so it probes this node again; a new coordinator probes everyone anyway.
     */
    private void helloIfNeeded() {
        Membership m = facts.installed();
        if (config.groupCount() == 0 || m == null || !m.quorate() || facts.reconfiguring() || m.members().first() == self) {
            return;
        }
        Epoch served = agent.served();
        // An epoch's coordinator is its proposer, the lowest id of its members.
        if (!served.equals(Epoch.NONE) && served.coordinator() == m.members().first()) {
            return;
        }
        if (m.epoch().equals(helloEpoch) && facts.nowNanos() < nextHelloNanos) {
            return;
        }
        helloEpoch = m.epoch();
        nextHelloNanos = facts.nowNanos() + BLOCKED_RECHECK_MS * MS;
        out.add(new Effect.Send(m.members().first(), new Message.RgmHello(self, m.epoch())));
    }

    private int[] nodeIds() {
        return cluster.nodeIds().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private ClusterView view(Membership m) {
        Map<Integer, Set<String>> down = new HashMap<>();
        for (PathCondition c : facts.conditions()) {
            switch (c) {
                case PathCondition.LocalAdapterDown l -> add(down, self, l.network());
                case PathCondition.RemoteAdapterDown r -> add(down, r.node(), r.network());
                case PathCondition.NodeIpDown n -> ipNetworks().forEach(net -> add(down, n.node(), net));
                case PathCondition.NetworkDown n -> m.members().forEach(node -> add(down, node, n.network()));
                case PathCondition.NodeUnreachable u -> { }
            }
        }
        Set<Integer> fenceable = new TreeSet<>();
        cluster.fencing().ifPresent(f -> cluster.nodeIds().stream().filter(f::powerFences).forEach(fenceable::add));
        Set<Integer> uncleared = new TreeSet<>(facts.uncleared());
        uncleared.removeAll(m.members());
        return new ClusterView(m.epoch(), m.members(), uncleared, down, fenceable);
    }

    private List<String> ipNetworks() {
        return cluster.networks().values().stream().filter(n -> n.kind() == PathKind.IP).map(NetworkSpec::name).toList();
    }

    private static void add(Map<Integer, Set<String>> down, int node, String network) {
        down.computeIfAbsent(node, n -> new TreeSet<>()).add(network);
    }

    private void replicateIfDue(long nowMs) {
        if (facts.nowNanos() < nextStatusNanos) {
            return;
        }
        RgmSnapshot snap = coordinator.state().snapshot(nowMs);
        nextStatusNanos = facts.nowNanos() + STATUS_EVERY_MS * MS;
        if (lastSnapshot != null && snap.states().equals(lastSnapshot.states())
                && snap.groups().equals(lastSnapshot.groups()) && snap.failures().size() == lastSnapshot.failures().size()) {
            return;
        }
        lastSnapshot = snap;
        for (int member : facts.installed().members()) {
            if (member != self) {
                out.add(new Effect.Send(member, new Message.RgmStatus(self, facts.installed().epoch(), snap)));
            }
        }
    }

    /** Set when the coordinator asked this node to halt: NodeCore fails fast with this reason. */
    String haltReason() {
        return haltReason;
    }

    long nextWakeNanos() {
        long next = agent.nextWakeNanos();
        if (coordinator != null) {
            long backstopMs = coordinator.runner().nextDeadlineMs();
            if (backstopMs != Long.MAX_VALUE) {
                next = Math.min(next, backstopMs * MS);
            }
            next = Math.min(next, nextRecheckNanos);
            long timedMs = coordinator.nextTimedChangeMs();
            if (timedMs != Long.MAX_VALUE) {
                next = Math.min(next, timedMs * MS);
            }
            next = Math.min(next, nextStatusNanos);
        }
        return next;
    }

    // ---- inputs ------------------------------------------------------------------------------

    void receive(Message message, Facts now, Effects.Builder batch) {
        begin(now, batch);
        long nowMs = now.nowNanos() / MS;
        switch (message) {
            case Message.RgmAction a -> agent.submit(a.from(), a.epoch(), a.actionId(), a.resource(), a.method(),
                    now.agentContext());
            case Message.RgmResult r -> {
                if (coordinator != null && !coordinatorSince.isNewerThan(r.epoch()) && r.refused()) {
                    coordinator.refused(r.actionId(), nowMs);
                } else if (coordinator != null && !coordinatorSince.isNewerThan(r.epoch())) {
                    coordinator.methodResult(r.actionId(), r.code(), r.message() == null ? "" : r.message(), nowMs);
                }
            }
            case Message.RgmMonitor m -> {
                if (coordinator != null && config.hasResource(m.resource())) {
                    coordinator.monitorReport(config.resourceIndex(m.resource()), m.from(), m.code(), m.message(), nowMs);
                }
            }
            case Message.RgmStatus s -> {
                if (now.installed() != null && s.from() == now.installed().members().first()) {
                    lastSnapshot = s.snapshot();
                }
            }
            case Message.RgmRequest r -> {
                String refusal = coordinator == null ? "node " + self + " is not the RGM coordinator"
                        : coordinator.request(r.request(), nowMs);
                out.add(new Effect.Send(r.from(), new Message.RgmReply(self, r.requestId(), Optional.ofNullable(refusal))));
            }
            case Message.RgmReply r -> out.notify(new Event.RgmRequestAnswered(r.requestId(), r.refusal()));
            case Message.RgmHello h -> {
                if (coordinator != null && h.epoch().equals(coordinator.view().epoch())) {
                    coordinator.reprobe(h.from());
                }
            }
            case Message.RgmHalt h -> {
                if (h.epoch().equals(now.promised())) {
                    haltReason = "the RGM coordinator (node " + h.from() + ", epoch " + h.epoch() + ") halted it: " + h.reason();
                }
            }
            default -> throw new IllegalArgumentException("not an RGM message: " + message);
        }
        drainLocal();
    }

    void methodDone(Input.MethodDone done, Facts now, Effects.Builder batch) {
        begin(now, batch);
        agent.done(done.runId(), done.code(), done.message() == null ? "" : done.message(), now.agentContext());
        drainLocal();
    }

    void command(Input.RgmCommand command, Facts now, Effects.Builder batch) {
        begin(now, batch);
        if (coordinator != null) {
            String refusal = coordinator.request(command.request(), now.nowNanos() / MS);
            out.notify(new Event.RgmRequestAnswered(command.requestId(), Optional.ofNullable(refusal)));
        } else if (now.installed() != null && now.installed().quorate()) {
            out.add(new Effect.Send(now.installed().members().first(),
                    new Message.RgmRequest(self, command.requestId(), command.request())));
        } else {
            out.notify(new Event.RgmRequestAnswered(command.requestId(),
                    Optional.of("node " + self + " is not in a quorate membership")));
        }
        drainLocal();
    }

    /** A fence result; true when the RGM asked for that fence (NodeCore then leaves it alone). */
    boolean fenceResult(int node, boolean fenced, Facts now, Effects.Builder batch) {
        begin(now, batch);
        Long id = null;
        for (Map.Entry<Long, Integer> e : fenceActions.entrySet()) {
            if (e.getValue() == node) {
                id = e.getKey();
            }
        }
        if (id == null) {
            return false;
        }
        fenceActions.remove(id);
        if (coordinator != null) {
            coordinator.fenceResult(id, fenced, now.nowNanos() / MS);
        }
        drainLocal();
        return true;
    }

    // ---- the coordinator's executor and the agent's sink -------------------------------------

    private final class Executor implements dev.baton.core.rgm.GraphRunner.ActionExecutor {
        @Override
        public void execute(long actionId, Action action) {
            nextActionId = Math.max(nextActionId, actionId + 1);
            Epoch epoch = facts.installed().epoch();
            if (action.kind() == Action.Kind.FENCE) {
                fenceActions.put(actionId, action.node());
                out.add(new Effect.Fence(action.node(), "the RGM fences node " + action.node()
                        + ": a stop failed under Failover_mode HARD"));
                return;
            }
            if (action.kind() == Action.Kind.HALT) {
                String why = "a stop failed under Failover_mode HARD and no power fence reaches it";
                if (action.node() == self) {
                    haltReason = "this node is the RGM coordinator and halts itself: " + why;
                } else {
                    out.add(new Effect.Send(action.node(), new Message.RgmHalt(self, epoch, why)));
                }
                return;
            }
            String resource = config.resource(action.resource()).name();
            if (action.node() == self) {
                local.add(() -> agent.submit(self, epoch, actionId, resource, action.method(), facts.agentContext()));
            } else {
                out.add(new Effect.Send(action.node(), new Message.RgmAction(self, epoch, actionId, resource, action.method())));
            }
        }
    }

    private final class Sink implements ResourceAgent.Sink {
        @Override
        public void result(int coordinatorNode, Epoch epoch, long actionId, ResultCode code, boolean refused, String message) {
            String text = cut(message);
            if (coordinatorNode != self) {
                out.add(new Effect.Send(coordinatorNode, new Message.RgmResult(self, epoch, actionId, code, refused, text)));
            } else if (coordinator != null && refused) {
                coordinator.refused(actionId, facts.nowNanos() / MS);
            } else if (coordinator != null) {
                coordinator.methodResult(actionId, code, text, facts.nowNanos() / MS);
            }
        }

        @Override
        public void monitor(String resource, ResultCode code, String message) {
            Membership m = facts.installed();
            if (m == null) {
                return;
            }
            int to = m.members().first();
            if (to == self && coordinator != null) {
                coordinator.monitorReport(config.resourceIndex(resource), self, code, cut(message), facts.nowNanos() / MS);
            } else if (to != self) {
                out.add(new Effect.Send(to, new Message.RgmMonitor(self, m.epoch(), resource, code, cut(message))));
            }
        }

        @Override
        public void run(long runId, ResourceSpec spec, MethodName method, long leaseDeadlineNanos) {
            out.add(new Effect.RunMethod(runId, spec.name(), spec.type(), method, spec.properties(),
                    spec.timeoutMs(method), leaseDeadlineNanos));
        }
    }

    private static String cut(String text) {
        return text.length() <= Message.MAX_TEXT_CHARS ? text : text.substring(0, Message.MAX_TEXT_CHARS);
    }
}
