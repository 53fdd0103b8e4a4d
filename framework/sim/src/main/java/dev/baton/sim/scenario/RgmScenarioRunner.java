package dev.baton.sim.scenario;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.core.membership.Epoch;
import dev.baton.core.rgm.Action;
import dev.baton.core.rgm.ClusterView;
import dev.baton.core.rgm.GroupState;
import dev.baton.core.rgm.InvalidRgmConfigException;
import dev.baton.core.rgm.Request;
import dev.baton.core.rgm.ResourceState;
import dev.baton.core.rgm.RgmConfig;
import dev.baton.core.rgm.RgmConfigText;
import dev.baton.core.rgm.RgmCoordinator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one RGM scenario file (src/test/resources/rgm-scenarios, format in its README): a
 * configuration, a situation and events go in; the scheduler's transition summaries, the results
 * of the actions a scripted executor performs, and group status come out. The coordinator,
 * scheduler and graph runner are the production ones; only the executor is scripted: a "world"
 * of which resources really run where, whose methods succeed unless the file says otherwise.
 *
 * <p>After every start the runner checks that the started failover group does not really run on
 * two nodes; a breach fails the file with its line, in update mode too. A world set up with a
 * group running twice (a healed partition, a start by hand) is allowed: repairing it is the RGM's
 * job, and only an action of its own that makes it worse is a breach.
 */
public final class RgmScenarioRunner {
    /** A {@code run} performs at most this many actions; more means the scheduler does not settle. */
    public static final int MAX_ACTIONS_PER_RUN = 2_000;
    private static final long MAX_ADVANCE_MS = 86_400_000;
    private static final Pattern MINUTES_OR_HOURS = Pattern.compile("(\\d{1,5})(m|h)");

    private final String file;
    private int[] nodes;
    private final Set<Integer> members = new TreeSet<>();
    private final Set<Integer> uncleared = new TreeSet<>();
    private final Set<Integer> fenceable = new TreeSet<>();
    private final Map<Integer, Set<String>> networksDown = new HashMap<>();
    private RgmConfig config;
    private RgmCoordinator coordinator;
    private long nowMs = 1_000_000;
    private long epochRound = 1;
    private final ArrayDeque<Dispatched> queue = new ArrayDeque<>();
    /** (resource, node) that really run something. */
    private final Set<Long> running = new HashSet<>();
    /** Scripted failures: "start web 2" → result code, and whether it repeats. */
    private final Map<String, Script> scripts = new HashMap<>();
    private final List<String> pendingOutput = new ArrayList<>();

    private record Dispatched(long id, Action action) {
    }

    private record Script(ResultCode code, boolean always) {
    }

    private RgmScenarioRunner(String file) {
        this.file = file;
    }

    public static String regenerate(String file, String text) {
        RgmScenarioRunner runner = new RgmScenarioRunner(file);
        return Scenario.regenerate(file, text, command -> runner.execute(command));
    }

    private List<String> execute(Scenario.Command command) {
        return dispatch(new Words(command.text()), command.input());
    }

    private List<String> dispatch(Words w, List<String> input) {
        String name = w.word("command");
        if (nodes == null && !name.equals("cluster")) {
            throw new BadCommand("the first command must be 'cluster nodes=1,2,3 ...'");
        }
        if (config == null && !name.equals("cluster") && !name.equals("config")) {
            throw new BadCommand("'config' must come before '" + name + "'");
        }
        return switch (name) {
            case "cluster" -> cluster(w);
            case "config" -> config(w, input);
            case "state" -> state(w, input);
            case "world" -> world(w, input);
            case "plan" -> plan(w);
            case "run" -> run(w);
            case "settle" -> settle(w);
            case "fail" -> fail(w);
            case "monitor" -> monitor(w);
            case "node" -> node(w);
            case "network" -> network(w);
            case "request" -> request(w);
            case "advance" -> advance(w);
            case "status" -> status(w);
            case "check" -> check(w);
            default -> throw new BadCommand("unknown command '" + name + "'");
        };
    }

    // ---- setup -------------------------------------------------------------------------------

    private List<String> cluster(Words w) {
        SortedSet<Integer> all = null;
        SortedSet<Integer> present = null;
        for (String[] kv : Words.options(w)) {
            switch (kv[0]) {
                case "nodes" -> all = Words.nodeList(kv[1], "nodes");
                case "members" -> present = Words.nodeList(kv[1], "members");
                case "fencing" -> {
                    if (!kv[1].equals("power")) {
                        throw new BadCommand("fencing=power is the only fencing the RGM acts on");
                    }
                    fenceable.add(-1);
                }
                default -> throw new BadCommand("unknown cluster option '" + kv[0] + "' (known: nodes, members, fencing)");
            }
        }
        if (all == null) {
            throw new BadCommand("cluster needs nodes=1,2,3");
        }
        nodes = all.stream().mapToInt(Integer::intValue).toArray();
        members.addAll(present == null ? all : present);
        if (fenceable.remove(-1)) {
            fenceable.addAll(all);
        }
        return List.of("nodes " + all + ", members " + members + (fenceable.isEmpty() ? "" : ", power fencing"));
    }

    private List<String> config(Words w, List<String> input) {
        w.end();
        try {
            config = RgmConfigText.parse(String.join("\n", input), "config", toList(nodes));
        } catch (InvalidRgmConfigException e) {
            config = null;
            return List.of("refused: " + e.getMessage());
        }
        coordinator = new RgmCoordinator(config, nodes, view(), true, (id, a) -> queue.add(new Dispatched(id, a)), 1);
        return List.of(config.groupCount() + " group(s), " + config.resourceCount() + " resource(s)");
    }

    /** {@code web ONLINE on 1}: the coordinator knows it and the world agrees. */
    private List<String> state(Words w, List<String> input) {
        w.end();
        for (String line : input) {
            Words l = new Words(line.strip());
            int r = resource(l.word("resource"));
            ResourceState s = enumValue(ResourceState.class, l.word("state"));
            expect(l, "on");
            int node = node(l.nodeId("node"));
            l.end();
            coordinator.state().force(r, node, s);
            setRunning(r, node, s.mayRun());
        }
        return List.of();
    }

    /** {@code web running on 3}: true of the world only; the coordinator finds out by probing. */
    private List<String> world(Words w, List<String> input) {
        w.end();
        for (String line : input) {
            Words l = new Words(line.strip());
            int r = resource(l.word("resource"));
            String what = l.word("running|stopped");
            expect(l, "on");
            int node = node(l.nodeId("node"));
            l.end();
            setRunning(r, node, what.equals("running"));
        }
        return List.of();
    }

    // ---- planning and running ----------------------------------------------------------------

    private List<String> plan(Words w) {
        w.end();
        coordinator.markDirty();
        coordinator.planIfNeeded(nowMs);
        return lines(coordinator.lastGraph().summary());
    }

    /**
     * Performs queued actions one at a time, in the order they were handed out, re-planning as
     * the coordinator decides; prints each action's result and each new plan.
     */
    private List<String> run(Words w) {
        w.end();
        List<String> out = new ArrayList<>(pendingOutput);
        pendingOutput.clear();
        if (coordinator.planIfNeeded(nowMs)) {
            out.add("plan:");
            lines(coordinator.lastGraph().summary()).forEach(l -> out.add("  " + l));
        }
        int performed = 0;
        while (!queue.isEmpty()) {
            if (++performed > MAX_ACTIONS_PER_RUN) {
                throw new CheckFailed("did not settle after " + MAX_ACTIONS_PER_RUN + " actions");
            }
            Dispatched d = queue.poll();
            out.add(perform(d));
            checkNeverTwice(d.action());
            long before = coordinator.plans();
            coordinator.planIfNeeded(nowMs);
            if (coordinator.plans() != before) {
                out.add("replan:");
                lines(coordinator.lastGraph().summary()).forEach(l -> out.add("  " + l));
            }
        }
        return out;
    }

    /** As {@code run}, printing only how many actions it took: for reaching the situation a file is about. */
    private List<String> settle(Words w) {
        List<String> out = run(w);
        long actions = out.stream().filter(l -> !l.startsWith(" ") && l.contains(" on node ") && l.contains(": ")).count();
        return List.of("settled after " + actions + " action(s)");
    }

    private String perform(Dispatched d) {
        Action a = d.action();
        if (a.kind() == Action.Kind.HALT) {
            stopEverything(a.node());
            depart(a.node());
            return a.text() + ": it fails fast and leaves the cluster (runs nothing once 'node " + a.node() + " cleared')";
        }
        if (a.kind() == Action.Kind.FENCE) {
            stopEverything(a.node());
            members.remove(a.node());
            coordinator.fenceResult(d.id(), true, nowMs);
            // The membership layer sees the powered-off node go (fenced, so nothing waits for it).
            epochRound++;
            coordinator.viewChanged(view());
            return a.text() + ": fenced";
        }
        ResultCode code = outcome(a);
        applyToWorld(a, code);
        coordinator.methodResult(d.id(), code, code == ResultCode.SUCCESS || code.isUp()
                || code == ResultCode.NOT_RUNNING ? "" : "scripted " + code, nowMs);
        return a.text() + ": " + code;
    }

    private ResultCode outcome(Action a) {
        String key = a.method().jsName() + " " + config.resource(a.resource()).name() + " " + a.node();
        Script s = scripts.get(key);
        if (s != null) {
            if (!s.always()) {
                scripts.remove(key);
            }
            return s.code();
        }
        if (a.method() == MethodName.PROBE) {
            return isRunning(a.resource(), a.node()) ? ResultCode.RUNNING : ResultCode.NOT_RUNNING;
        }
        return ResultCode.SUCCESS;
    }

    /** A failed start leaves the resource partly running; a failed stop leaves it running. */
    private void applyToWorld(Action a, ResultCode code) {
        switch (a.method()) {
            case START, PRENET_START -> setRunning(a.resource(), a.node(), true);
            case STOP, POSTNET_STOP -> setRunning(a.resource(), a.node(), code != ResultCode.SUCCESS
                    && isRunning(a.resource(), a.node()));
            default -> { }
        }
    }

    private void checkNeverTwice(Action a) {
        boolean start = a.kind() == Action.Kind.METHOD
                && (a.method() == MethodName.START || a.method() == MethodName.PRENET_START);
        if (!start || !config.group(config.groupOf(a.resource())).isFailover()) {
            return;
        }
        int g = config.groupOf(a.resource());
        Set<Integer> where = new TreeSet<>();
        for (int r : config.resourcesOf(g)) {
            for (int node : nodes) {
                if (isRunning(r, node)) {
                    where.add(node);
                }
            }
        }
        if (where.size() > 1) {
            throw new CheckFailed("failover group " + config.group(g).name() + " really runs on nodes " + where);
        }
    }

    // ---- events ------------------------------------------------------------------------------

    /** {@code fail start web on 2 [CODE] [always]}: the next (or every) such call returns CODE (FAILED by default). */
    private List<String> fail(Words w) {
        MethodName method = MethodName.fromJsName(w.word("method")).orElseThrow(() -> new BadCommand("unknown method"));
        int r = resource(w.word("resource"));
        expect(w, "on");
        int node = node(w.nodeId("node"));
        ResultCode code = ResultCode.FAILED;
        boolean always = false;
        while (w.hasMore()) {
            String word = w.word("CODE or always");
            if (word.equals("always")) {
                always = true;
            } else {
                code = enumValue(ResultCode.class, word);
            }
        }
        scripts.put(method.jsName() + " " + config.resource(r).name() + " " + node, new Script(code, always));
        return List.of();
    }

    /**
     * {@code monitor web on 1 FAILED}: the node's own probe reports. NOT_RUNNING also stops it in the
     * world; FAILED leaves it running there (a failed service may still hold its address or disks).
     */
    private List<String> monitor(Words w) {
        int r = resource(w.word("resource"));
        expect(w, "on");
        int node = node(w.nodeId("node"));
        ResultCode code = enumValue(ResultCode.class, w.word("CODE"));
        w.end();
        if (code == ResultCode.NOT_RUNNING) {
            setRunning(r, node, false);
        }
        coordinator.monitorReport(r, node, code, "probe: " + code, nowMs);
        return List.of();
    }

    /** {@code node 1 crashes|leaves|cleared|joins}. */
    private List<String> node(Words w) {
        int node = node(w.nodeId("node"));
        String what = w.word("crashes|leaves|cleared|joins");
        w.end();
        switch (what) {
            case "crashes" -> {
                stopEverything(node);
                depart(node);
            }
            case "leaves" -> depart(node);
            case "cleared" -> {
                stopEverything(node);
                uncleared.remove(node);
                coordinator.nodeCleared(node);
            }
            case "joins" -> {
                members.add(node);
                uncleared.remove(node);
                epochRound++;
                coordinator.viewChanged(view());
            }
            default -> throw new BadCommand("node N crashes|leaves|cleared|joins");
        }
        return List.of();
    }

    private void depart(int node) {
        members.remove(node);
        uncleared.add(node);
        epochRound++;
        coordinator.viewChanged(view());
    }

    /** {@code network public down on 1} / {@code up}. */
    private List<String> network(Words w) {
        String net = w.word("network");
        String updown = w.word("up|down");
        expect(w, "on");
        int node = node(w.nodeId("node"));
        w.end();
        Set<String> down = networksDown.computeIfAbsent(node, n -> new TreeSet<>());
        if (updown.equals("down")) {
            down.add(net);
        } else {
            down.remove(net);
        }
        coordinator.viewChanged(view());
        return List.of();
    }

    private List<String> request(Words w) {
        String what = w.word("request");
        Request r = switch (what) {
            case "online" -> new Request.Online(w.word("group"));
            case "offline" -> new Request.Offline(w.word("group"));
            case "switchover" -> new Request.Switchover(w.word("group"), w.nodeId("node"));
            case "evacuate" -> new Request.Evacuate(w.nodeId("node"), w.hasMore() ? durationMs(w, "for") : 60_000);
            case "suspend" -> new Request.Suspend(w.word("group"));
            case "resume" -> new Request.Resume(w.word("group"));
            case "unmanage" -> new Request.Unmanage(w.word("group"));
            case "manage" -> new Request.Manage(w.word("group"));
            case "clear" -> {
                String res = w.word("resource");
                expect(w, "on");
                yield new Request.Clear(res, w.nodeId("node"));
            }
            default -> throw new BadCommand("unknown request '" + what + "'");
        };
        w.end();
        String refusal = coordinator.request(r, nowMs);
        return List.of(refusal == null ? "ok" : "refused: " + refusal);
    }

    private List<String> advance(Words w) {
        long ms = durationMs(w, "duration");
        w.end();
        nowMs += ms;
        coordinator.tick(nowMs);
        coordinator.markDirty();
        return List.of();
    }

    // ---- looking -----------------------------------------------------------------------------

    /** One line per group: its state on each node; {@code status resources} adds every resource. */
    private List<String> status(Words w) {
        boolean resources = w.hasMore() && w.word("resources").equals("resources");
        w.end();
        List<String> out = new ArrayList<>();
        for (int g = 0; g < config.groupCount(); g++) {
            StringBuilder s = new StringBuilder(config.group(g).name() + ":");
            for (int node : nodes) {
                GroupState gs = coordinator.state().groupState(g, node);
                if (gs != GroupState.OFFLINE) {
                    s.append(' ').append(node).append('=').append(gs);
                }
            }
            String blocked = coordinator.state().blockedReason(g);
            out.add(s + (blocked == null ? "" : "  [blocked: " + blocked + "]"));
            if (resources) {
                for (int r : config.resourcesOf(g)) {
                    StringBuilder rs = new StringBuilder("  " + config.resource(r).name() + ":");
                    for (int node : nodes) {
                        ResourceState st = coordinator.state().state(r, node);
                        if (st != ResourceState.OFFLINE) {
                            rs.append(' ').append(node).append('=').append(st);
                        }
                    }
                    out.add(rs.toString());
                }
            }
        }
        return out;
    }

    /** {@code check GROUP on 1,2 | offline}: where the world runs a group; fails the file if not so. */
    private List<String> check(Words w) {
        String group = w.word("group");
        if (!config.hasGroup(group)) {
            throw new BadCommand("no group named " + group);
        }
        String how = w.word("on|offline");
        SortedSet<Integer> want = how.equals("offline") ? new TreeSet<>() : Words.nodeList(w.word("nodes"), "nodes");
        w.end();
        SortedSet<Integer> actual = new TreeSet<>();
        int g = config.groupIndex(group);
        for (int node : nodes) {
            boolean all = true;
            for (int r : config.resourcesOf(g)) {
                all &= isRunning(r, node) || !config.resource(r).enabled();
            }
            if (all && config.resourcesOf(g).length > 0) {
                actual.add(node);
            }
        }
        if (!actual.equals(want)) {
            throw new CheckFailed(group + " runs fully on " + actual + ", expected " + want);
        }
        return List.of("ok");
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** As {@link Words#durationMs}, and also {@code 5m} or {@code 2h} (up to a day), the units RGM properties use. */
    private static long durationMs(Words w, String what) {
        String text = w.word(what);
        Matcher m = MINUTES_OR_HOURS.matcher(text);
        if (!m.matches()) {
            return Words.toMs(Words.parseDurationNanos(text, what), what);
        }
        long ms = Long.parseLong(m.group(1)) * (m.group(2).equals("m") ? 60_000 : 3_600_000);
        if (ms > MAX_ADVANCE_MS) {
            throw new BadCommand(what + " " + text + " is longer than the limit of one day");
        }
        return ms;
    }

    private ClusterView view() {
        return new ClusterView(new Epoch(epochRound, members.isEmpty() ? 0 : members.iterator().next()),
                new TreeSet<>(members), uncleared, copy(networksDown), fenceable);
    }

    private static Map<Integer, Set<String>> copy(Map<Integer, Set<String>> m) {
        Map<Integer, Set<String>> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, Set.copyOf(v)));
        return out;
    }

    private void stopEverything(int node) {
        for (int r = 0; r < config.resourceCount(); r++) {
            setRunning(r, node, false);
        }
    }

    private boolean isRunning(int r, int node) {
        return running.contains((long) r << 32 | node);
    }

    private void setRunning(int r, int node, boolean value) {
        if (value) {
            running.add((long) r << 32 | node);
        } else {
            running.remove((long) r << 32 | node);
        }
    }

    private int resource(String name) {
        if (!config.hasResource(name)) {
            throw new BadCommand("no resource named " + name);
        }
        return config.resourceIndex(name);
    }

    private int node(int id) {
        for (int n : nodes) {
            if (n == id) {
                return id;
            }
        }
        throw new BadCommand("no node " + id + "; nodes are " + toList(nodes));
    }

    private static void expect(Words w, String word) {
        String got = w.word("'" + word + "'");
        if (!got.equals(word)) {
            throw new BadCommand("expected '" + word + "', found '" + got + "'");
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadCommand("'" + text + "' is not a " + type.getSimpleName());
        }
    }

    private static List<Integer> toList(int[] a) {
        List<Integer> out = new ArrayList<>();
        for (int x : a) {
            out.add(x);
        }
        return out;
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }
}
