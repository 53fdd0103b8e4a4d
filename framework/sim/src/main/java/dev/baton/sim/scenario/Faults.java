package dev.baton.sim.scenario;

import dev.baton.core.cluster.NetworkSpec;
import dev.baton.sim.SimNetwork;
import dev.baton.sim.SimNode;
import dev.baton.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The fault and operator commands: network cuts and link trouble, crashes, pauses, freezes, clock
 * jumps, disk damage, the quorum device, configuration changes. Each one refuses, with the reason,
 * to do what would silently do nothing (restarting a node that runs, corrupting a missing table),
 * because a scenario that relies on a no-op says something it does not test.
 */
final class Faults {
    static final Set<String> NAMES = Set.of("partition", "cut", "cut-ip", "cut-adapter", "cut-network", "heal", "loss",
            "duplicate", "delay", "crash", "kill-daemon", "restart", "pause", "freeze", "jump", "corrupt", "device", "change",
            "override", "heal-all");

    private final Simulation sim;
    private boolean deviceAvailable = true;

    Faults(Simulation sim) {
        this.sim = sim;
    }

    boolean deviceAvailable() {
        return deviceAvailable;
    }

    void apply(String name, Words w) {
        switch (name) {
            case "partition" -> partition(w.rest("groups, like 1,2 | 3"));
            case "cut" -> cutOneWay(w.rest("a direction, like 1->2,3"));
            case "cut-ip" -> sim.network().cutIpAdapters(node(w));
            case "cut-adapter" -> cutAdapter(w);
            case "cut-network" -> sim.network().cutNetwork(network(w));
            case "heal" -> sim.network().healAll();
            case "loss", "duplicate", "delay" -> profile(name, w);
            case "crash", "kill-daemon", "restart", "pause", "freeze", "jump" -> machine(name, w);
            case "corrupt" -> corrupt(w);
            case "device" -> device(w);
            case "change" -> sim.proposeChange(node(w), w.word("table name"), w.rest("table content"));
            case "override" -> sim.overrideAmnesia(node(w));
            case "heal-all" -> healAll();
            default -> throw new IllegalStateException("not a fault: " + name);
        }
        w.end();
    }

    // ---- the network -------------------------------------------------------------------------

    private void partition(String text) {
        String[] parts = text.split("\\|");
        if (parts.length < 2) {
            throw new BadCommand("partition needs at least two groups separated by |, like 1,2 | 3");
        }
        List<SortedSet<Integer>> groups = new ArrayList<>();
        SortedSet<Integer> seen = new TreeSet<>();
        for (String part : parts) {
            SortedSet<Integer> group = nodes(part.replace(" ", ""), "partition group");
            if (group.stream().anyMatch(seen::contains)) {
                throw new BadCommand("a node appears in two partition groups: " + text);
            }
            seen.addAll(group);
            groups.add(group);
        }
        for (int i = 0; i < groups.size(); i++) {
            for (int j = i + 1; j < groups.size(); j++) {
                cutBetween(groups.get(i), groups.get(j));
            }
        }
    }

    private void cutBetween(Set<Integer> a, Set<Integer> b) {
        a.forEach(x -> b.forEach(y -> sim.network().cutBothWays(x, y)));
    }

    private void cutOneWay(String text) {
        String[] ends = text.replace(" ", "").split("->");
        if (ends.length != 2) {
            throw new BadCommand("cut is written FROM->TO, like 1->2,3 (frames of 1 stop reaching 2 and 3)");
        }
        SortedSet<Integer> from = nodes(ends[0], "cut source");
        SortedSet<Integer> to = nodes(ends[1], "cut target");
        from.forEach(x -> to.forEach(y -> sim.network().cutOneWay(x, y)));
    }

    private void cutAdapter(Words w) {
        String network = network(w);
        sim.network().cutAdapter(network, node(w));
    }

    private void profile(String name, Words w) {
        String network = network(w);
        SimNetwork.LinkProfile p = sim.network().profile(network);
        SimNetwork.LinkProfile changed = switch (name) {
            case "loss" -> {
                double rate = Words.rate(w.word("loss rate"), "loss rate");
                yield new SimNetwork.LinkProfile(rate, p.duplicateRate(), p.minDelayMicros(), p.maxDelayMicros());
            }
            case "duplicate" -> {
                double rate = Words.rate(w.word("duplicate rate"), "duplicate rate");
                yield new SimNetwork.LinkProfile(p.lossRate(), rate, p.minDelayMicros(), p.maxDelayMicros());
            }
            default -> delay(p, w.word("delay range, like 100us-5ms"));
        };
        sim.network().setProfile(network, changed);
    }

    private static SimNetwork.LinkProfile delay(SimNetwork.LinkProfile p, String range) {
        String[] ends = range.split("-");
        if (ends.length != 2) {
            throw new BadCommand("a delay is written MIN-MAX, like 100us-5ms; got '" + range + "'");
        }
        long minMicros = Words.parseDurationNanos(ends[0], "minimum delay") / 1_000;
        long maxMicros = Words.parseDurationNanos(ends[1], "maximum delay") / 1_000;
        if (maxMicros < minMicros) {
            throw new BadCommand("the maximum delay " + ends[1] + " is below the minimum " + ends[0]);
        }
        return new SimNetwork.LinkProfile(p.lossRate(), p.duplicateRate(), minMicros, maxMicros);
    }

    // ---- machines and daemons ----------------------------------------------------------------

    private void machine(String name, Words w) {
        int id = node(w);
        SimNode node = sim.node(id);
        switch (name) {
            case "crash" -> crash(id, node);
            case "kill-daemon" -> killDaemon(id, node);
            case "restart" -> restart(id, node, wipe(w));
            case "pause" -> pause(id, node, w.durationMs("pause length"));
            case "freeze" -> freeze(id, node, w.durationMs("freeze length"));
            default -> sim.jumpClock(id, w.durationMs("clock jump"));
        }
    }

    private void crash(int id, SimNode node) {
        if (node.machine() == SimNode.Machine.CRASHED) {
            throw new BadCommand("node " + id + " is already down");
        }
        sim.crash(id);
    }

    private void killDaemon(int id, SimNode node) {
        if (node.machine() != SimNode.Machine.UP || node.daemon() == SimNode.Daemon.DEAD) {
            throw new BadCommand("node " + id + " has no daemon to kill (" + state(node) + ")");
        }
        sim.crashDaemon(id);
    }

    private static String state(SimNode node) {
        return "machine " + node.machine() + ", daemon " + node.daemon();
    }

    private static boolean wipe(Words w) {
        if (!w.hasMore()) {
            return false;
        }
        String word = w.word("wipe");
        if (!word.equals("wipe")) {
            throw new BadCommand("restart takes only 'wipe' after the node, got '" + word + "'");
        }
        return true;
    }

    private void restart(int id, SimNode node, boolean wipe) {
        boolean down = node.machine() == SimNode.Machine.CRASHED
                || (node.machine() == SimNode.Machine.UP && node.daemon() == SimNode.Daemon.DEAD);
        if (!down) {
            throw new BadCommand("node " + id + " is not down (" + state(node) + "); restart would do nothing");
        }
        sim.restart(id, wipe);
    }

    private void pause(int id, SimNode node, long ms) {
        if (!node.daemonAlive()) {
            throw new BadCommand("node " + id + " has no running daemon to pause (" + state(node) + ")");
        }
        sim.pause(id, ms);
    }

    private void freeze(int id, SimNode node, long ms) {
        if (node.machine() != SimNode.Machine.UP) {
            throw new BadCommand("node " + id + " cannot freeze: its machine is " + node.machine());
        }
        try {
            sim.freeze(id, ms);
        } catch (IllegalStateException e) {
            throw new BadCommand(e.getMessage());
        }
    }

    // ---- disks, the device, repair -----------------------------------------------------------

    private void corrupt(Words w) {
        int id = node(w);
        String table = w.word("table name");
        if (!sim.node(id).disk().corrupt(table)) {
            throw new BadCommand("node " + id + "'s disk holds no table " + table + "; it holds " + sim.node(id).disk().tables().keySet());
        }
    }

    private void device(Words w) {
        if (sim.device().isEmpty()) {
            throw new BadCommand("this cluster has no quorum device (cluster ... device=all)");
        }
        boolean up = switch (w.word("up or down")) {
            case "up" -> true;
            case "down" -> false;
            default -> throw new BadCommand("device takes up or down");
        };
        sim.device().get().setAvailable(up);
        deviceAvailable = up;
    }

    private void healAll() {
        sim.healEverything();
        deviceAvailable = true;
    }

    // ---- arguments ---------------------------------------------------------------------------

    private int node(Words w) {
        int id = w.nodeId("node id");
        checkNode(id);
        return id;
    }

    private void checkNode(int id) {
        if (!sim.config().nodeIds().contains(id)) {
            throw new BadCommand("no node " + id + "; nodes are " + sim.config().nodeIds());
        }
    }

    private SortedSet<Integer> nodes(String text, String what) {
        SortedSet<Integer> ids = Words.nodeList(text, what);
        ids.forEach(this::checkNode);
        return ids;
    }

    private String network(Words w) {
        String name = w.word("network name");
        NetworkSpec spec = sim.config().networks().get(name);
        if (spec == null) {
            throw new BadCommand("no network named " + name + "; configured: " + sim.config().networks().keySet());
        }
        return name;
    }
}
