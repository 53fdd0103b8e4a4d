package dev.baton.sim.scenario;

import dev.baton.core.NodeStatus;
import dev.baton.core.ccr.Table;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.membership.Membership;
import dev.baton.sim.Invariants;
import dev.baton.sim.SimLog;
import dev.baton.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Every {@code assert}: what a node believes, runs and holds, and what the log says happened since
 * the last run started. A failed check throws {@link CheckFailed} with what it found instead.
 */
final class Checks {
    private final Simulation sim;
    private final Supplier<List<SimLog.Line>> sinceLastRun;
    private final BooleanSupplier deviceAvailable;

    Checks(Simulation sim, Supplier<List<SimLog.Line>> sinceLastRun, BooleanSupplier deviceAvailable) {
        this.sim = sim;
        this.sinceLastRun = sinceLastRun;
        this.deviceAvailable = deviceAvailable;
    }

    // ---- assertions --------------------------------------------------------------------------

    /** Checks one {@code assert}; throws {@link CheckFailed} saying what was found instead. */
    void check(Words w) {
        String what = w.word("what to assert");
        switch (what) {
            case "members" -> members(node(w), w.word("members, like 1,2,3 or none"));
            case "quorate" -> quorate(node(w), w.yesNo("quorate"));
            case "lease" -> lease(node(w), w.yesNo("lease"));
            case "down" -> down(node(w), true);
            case "up" -> down(node(w), false);
            case "running" -> running(node(w), w.yesNo("running"));
            case "table" -> table(node(w), w.word("table name"), w.rest("table content"));
            case "no-table" -> noTable(node(w), w.word("table name"));
            case "same-tables" -> sameTables();
            case "converged" -> converged();
            case "saw" -> saw(w.rest("N TEXT or any TEXT"), true);
            case "not-saw" -> saw(w.rest("N TEXT or any TEXT"), false);
            case "order" -> order(w.rest("N TEXT then M TEXT"));
            case "sim-invariants" -> { }
            case "no-commit-lost" -> sim.invariants().checkNoCommitLost(sim);
            default -> throw new BadCommand("unknown assertion '" + what + "'; known: members quorate lease down up running table no-table"
                    + " same-tables converged saw not-saw order sim-invariants no-commit-lost");
        }
        w.end();
    }

    private void members(int id, String expectedText) {
        Optional<SortedSet<Integer>> expected = expectedText.equals("none")
                ? Optional.empty() : Optional.of(Words.nodeList(expectedText, "members"));
        Optional<Membership> installed = live(id).installed();
        Optional<SortedSet<Integer>> actual = installed.map(Membership::members);
        if (!actual.equals(expected)) {
            throw new CheckFailed("node " + id + " has " + installed.map(StatusText::membership).orElse("no membership")
                    + ", expected members " + expected.map(Object::toString).orElse("none"));
        }
    }

    private void quorate(int id, boolean expected) {
        Optional<Membership> installed = sim.status(id).flatMap(NodeStatus::installed);
        boolean actual = installed.map(Membership::quorate).orElse(false);
        if (actual != expected) {
            throw new CheckFailed("node " + id + " is " + (actual ? "" : "not ") + "quorate: " + installed.map(Membership::toString)
                    .orElse(sim.status(id).isPresent() ? "it has no membership" : "its daemon is down"));
        }
    }

    private void lease(int id, boolean expected) {
        Optional<NodeStatus> status = sim.status(id);
        boolean actual = status.map(NodeStatus::leaseValid).orElse(false);
        if (actual != expected) {
            throw new CheckFailed("node " + id + (actual ? " holds" : " holds no") + " lease: " + StatusText.node(sim, id));
        }
    }

    private void down(int id, boolean expected) {
        boolean actual = sim.status(id).isEmpty();
        if (actual != expected) {
            throw new CheckFailed("node " + id + " is " + (actual ? "down" : "up") + ": " + StatusText.node(sim, id));
        }
    }

    private void running(int id, boolean expected) {
        boolean actual = sim.node(id).running();
        if (actual != expected) {
            throw new CheckFailed("node " + id + (actual ? " runs services" : " runs no services") + ": " + StatusText.node(sim, id));
        }
    }

    private void table(int id, String name, String content) {
        Table table = live(id).tables().get(name);
        if (table == null || !table.content().equals(content)) {
            String held = table == null ? "no table " + name : name + " at " + table.version() + " with content '" + table.content() + "'";
            throw new CheckFailed("node " + id + " holds " + held + ", expected content '" + content + "'");
        }
    }

    private void noTable(int id, String name) {
        Table table = live(id).tables().get(name);
        if (table != null) {
            throw new CheckFailed("node " + id + " holds " + name + " at " + table.version() + " with content '" + table.content() + "'");
        }
    }

    private void sameTables() {
        Map<Integer, Map<String, TableVersion>> byNode = new TreeMap<>();
        for (int id : sim.nodeIds()) {
            sim.status(id).ifPresent(s -> {
                Map<String, TableVersion> versions = new TreeMap<>();
                s.tables().forEach((name, t) -> versions.put(name, t.version()));
                byNode.put(id, versions);
            });
        }
        if (byNode.values().stream().distinct().count() > 1) {
            StringBuilder text = new StringBuilder("live nodes hold different tables:");
            byNode.forEach((id, v) -> text.append("\n  node ").append(id).append(": ").append(v));
            throw new CheckFailed(text.toString());
        }
        if (byNode.isEmpty()) {
            throw new CheckFailed("no node is up to compare tables");
        }
    }

    private void converged() {
        if (!Invariants.converged(sim)) {
            throw new CheckFailed("not converged to one quorate membership of all nodes with leases and tables in sync:\n  "
                    + String.join("\n  ", StatusText.of(sim, deviceAvailable.getAsBoolean())));
        }
    }

    /** "N TEXT" or "any TEXT": a log line of node N (or any node) containing TEXT. */
    private record Wanted(Integer node, String text) {
        boolean matches(SimLog.Line line) {
            return (node == null || line.node() == node) && line.text().contains(text);
        }

        @Override
        public String toString() {
            return "line of " + (node == null ? "any node" : "node " + node) + " containing '" + text + "'";
        }
    }

    private Wanted wanted(String nodeAndText) {
        Words w = new Words(nodeAndText);
        String who = w.word("node id or any");
        return new Wanted(who.equals("any") ? null : node(who), w.rest("text to look for"));
    }

    private void saw(String nodeAndText, boolean expected) {
        Wanted wanted = wanted(nodeAndText);
        List<SimLog.Line> found = sinceLastRun.get().stream().filter(wanted::matches).toList();
        if (found.isEmpty() == expected) {
            throw new CheckFailed(expected ? "no " + wanted + " since the last run started"
                    : "found a " + wanted + " since the last run started: " + found.get(0));
        }
    }

    /** {@code N TEXT then M TEXT}: the first line wanted first comes before the first line wanted second. */
    private void order(String text) {
        int then = text.indexOf(" then ");
        if (then < 0) {
            throw new BadCommand("order is written 'N TEXT then M TEXT', like 'order 3 power off then 1 node 3 cleared'");
        }
        List<SimLog.Line> lines = sinceLastRun.get();
        int first = firstIndex(lines, wanted(text.substring(0, then)));
        int second = firstIndex(lines, wanted(text.substring(then + " then ".length())));
        if (first > second) {
            throw new CheckFailed("the wrong way round since the last run started: " + lines.get(second)
                    + " came before " + lines.get(first));
        }
    }

    private static int firstIndex(List<SimLog.Line> lines, Wanted wanted) {
        for (int i = 0; i < lines.size(); i++) {
            if (wanted.matches(lines.get(i))) {
                return i;
            }
        }
        throw new CheckFailed("no " + wanted + " since the last run started");
    }

    // ---- arguments ---------------------------------------------------------------------------

    private int node(Words w) {
        return node(w.word("node id"));
    }

    private int node(String word) {
        int id = Words.integer(word, "node id");
        if (!sim.config().nodeIds().contains(id)) {
            throw new BadCommand("no node " + id + "; nodes are " + sim.config().nodeIds());
        }
        return id;
    }

    private NodeStatus live(int id) {
        return sim.status(id).orElseThrow(() -> new CheckFailed("node " + id + " is down: " + StatusText.node(sim, id)));
    }
}
