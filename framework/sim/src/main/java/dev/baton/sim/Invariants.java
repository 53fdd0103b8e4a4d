package dev.baton.sim;

import dev.baton.core.Event;
import dev.baton.core.NodeStatus;
import dev.baton.core.ccr.Table;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.membership.Membership;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The invariants of issue 3, checked while a run goes (docs/design/membership.md argues why they hold):
 * <ol type="a">
 * <li>No two nodes hold valid quorum leases at the same instant unless each is in the membership
 *     under which the other's lease counts ({@link NodeStatus#leaseMembers()}).</li>
 * <li>A node runs nothing once its lease deadline plus the failfast bound has passed, whether its
 *     daemon lives, died or stalled; and nobody declares a node cleared while it still runs.</li>
 * <li>No committed configuration version is lost or forked: commits of a table only move forward,
 *     and after repair every member holds at least the newest committed version (unless every node
 *     of the committing membership lost its disk, which is counted, not hidden).</li>
 * <li>After faults heal, membership converges to all live nodes within a bound ({@link #checkConverged}).</li>
 * </ol>
 */
public final class Invariants {
    private static final long MS = 1_000_000L;

    private record Commit(String table, TableVersion version, Set<Integer> protectors, long atMs) {
    }

    private final ClusterConfig config;
    private final SimLog log;
    private final Map<String, List<Commit>> commits = new HashMap<>();
    private int failfasts;
    private int leaseChecks;

    Invariants(ClusterConfig config, SimLog log) {
        this.config = config;
        this.log = log;
    }

    // ---- (a) leases --------------------------------------------------------------------------

    void afterStep(Simulation sim, SimNode node) {
        if (!leaseValidNow(sim, node)) {
            return;
        }
        for (SimNode other : sim.nodes().values()) {
            if (other == node || !leaseValidNow(sim, other)) {
                continue;
            }
            leaseChecks++;
            if (!node.leaseMembers.contains(other.id) || !other.leaseMembers.contains(node.id)) {
                fail(sim, "(a) nodes " + node.id + " and " + other.id + " both hold quorum leases but are not in each other's lease membership: node "
                        + node.id + " under " + node.leaseMembers + " " + describe(sim, node) + ", node " + other.id + " under "
                        + other.leaseMembers + " " + describe(sim, other));
            }
        }
    }

    private static String describe(Simulation sim, SimNode node) {
        return sim.status(node.id).map(Invariants::describe).orElse("(daemon down)");
    }

    private static String describe(NodeStatus status) {
        return status.installed().map(Membership::toString).orElse("(no membership)") + ", promised " + status.promised();
    }

    /** Whether the node's core, as last stepped, believes it holds a lease at this instant. */
    static boolean leaseValidNow(Simulation sim, SimNode node) {
        if (node.core == null || node.machine == SimNode.Machine.CRASHED) {
            return false;
        }
        return node.localNanos(sim.nowNanos()) < node.leaseUntilLocalNanos;
    }

    // ---- (b) running only under a lease ------------------------------------------------------

    void checkRunning(Simulation sim) {
        long boundNanos = config.timing().failfastBoundMs() * MS;
        for (SimNode node : sim.nodes().values()) {
            long deadline = Math.max(node.leaseDeadlineRealNanos, node.thawedAtRealNanos);
            if (node.running && node.machine == SimNode.Machine.UP && sim.nowNanos() > deadline + boundNanos) {
                fail(sim, "(b) node " + node.id + " still runs services " + (sim.nowNanos() - deadline) / MS
                        + " ms after its lease deadline; the failfast bound is " + config.timing().failfastBoundMs() + " ms (daemon "
                        + node.daemon + ")");
            }
        }
    }

    void onEvent(Simulation sim, SimNode node, Event event) {
        switch (event) {
            case Event.NodeCleared cleared -> checkClearance(sim, node, cleared.node());
            case Event.ChangeCommitted committed -> recordCommit(sim, node, committed);
            default -> { }
        }
    }

    private void checkClearance(Simulation sim, SimNode node, int clearedId) {
        SimNode cleared = sim.node(clearedId);
        if (!cleared.running) {
            return;
        }
        boolean sameSide = leaseValidNow(sim, cleared) && cleared.leaseMembers.contains(node.id);
        if (!sameSide) {
            fail(sim, "(b) node " + node.id + " declared node " + clearedId + " cleared while node " + clearedId
                    + " still runs services (machine " + cleared.machine + ", daemon " + cleared.daemon + ")");
        }
    }

    void failfast(int node) {
        failfasts++;
    }

    // ---- (c) configuration -------------------------------------------------------------------

    private void recordCommit(Simulation sim, SimNode node, Event.ChangeCommitted committed) {
        List<Commit> history = commits.computeIfAbsent(committed.table(), t -> new ArrayList<>());
        for (Commit earlier : history) {
            if (earlier.version.generation() == committed.version().generation()) {
                fail(sim, "(c) table " + committed.table() + " forked: generation " + earlier.version.generation() + " committed as "
                        + earlier.version + " at " + earlier.atMs + " ms and as " + committed.version());
            }
            if (!committed.version().isNewerThan(earlier.version)) {
                fail(sim, "(c) table " + committed.table() + " went back: " + committed.version() + " committed after " + earlier.version);
            }
        }
        Set<Integer> protectors = new TreeSet<>(sim.status(node.id).flatMap(NodeStatus::installed)
                .map(Membership::members).orElse(new TreeSet<>(Set.of(node.id))));
        history.add(new Commit(committed.table(), committed.version(), protectors, sim.nowMs()));
    }

    void diskWiped(int node) {
        commits.values().forEach(list -> list.forEach(c -> c.protectors.remove(node)));
    }

    /** Every live node holds at least the newest committed version of each table, identical where equal. */
    public void checkNoCommitLost(Simulation sim) {
        commits.forEach((table, history) -> {
            Commit newest = history.get(history.size() - 1);
            if (newest.protectors.isEmpty()) {
                log.add(sim.nowNanos(), 0, "commit " + table + " at " + newest.version + " is unprotected: every node of its membership lost its disk");
                return;
            }
            for (SimNode node : sim.nodes().values()) {
                sim.status(node.id).ifPresent(status -> checkHolds(sim, node.id, status, table, newest));
            }
        });
    }

    private void checkHolds(Simulation sim, int id, NodeStatus status, String table, Commit newest) {
        Table held = status.tables().get(table);
        TableVersion version = held == null ? TableVersion.NONE : held.version();
        if (newest.version.isNewerThan(version)) {
            fail(sim, "(c) committed " + table + " " + newest.version + " (committed at " + newest.atMs + " ms by " + newest.protectors
                    + ") is lost on node " + id + ", which holds " + version);
        }
        if (version.sameVersionAs(newest.version) && version.checksum() != newest.version.checksum()) {
            fail(sim, "(c) node " + id + " holds " + table + " " + version + " but " + newest.version + " was committed");
        }
    }

    // ---- (d) convergence ---------------------------------------------------------------------

    /** True when every node runs one quorate membership of all nodes and has caught up. */
    public static boolean converged(Simulation sim) {
        Optional<Membership> first = Optional.empty();
        for (SimNode node : sim.nodes().values()) {
            Optional<NodeStatus> status = sim.status(node.id);
            if (status.isEmpty() || status.get().installed().isEmpty() || !status.get().ccrSynced() || !status.get().leaseValid()) {
                return false;
            }
            Membership m = status.get().installed().get();
            if (!m.quorate() || !m.members().equals(sim.config().nodeIds()) || (first.isPresent() && !first.get().epoch().equals(m.epoch()))) {
                return false;
            }
            first = Optional.of(m);
        }
        return true;
    }

    /** Runs until converged; fails the run if it takes longer than {@code boundMs}. Returns the time it took. */
    public long checkConverged(Simulation sim, long boundMs) {
        long start = sim.nowMs();
        if (!sim.runUntil(() -> converged(sim), boundMs)) {
            fail(sim, "(d) membership did not converge to all " + sim.config().nodeIds().size() + " nodes within " + boundMs
                    + " ms after the faults healed; statuses: " + statuses(sim));
        }
        return sim.nowMs() - start;
    }

    private static String statuses(Simulation sim) {
        StringBuilder text = new StringBuilder();
        for (int id : sim.nodeIds()) {
            text.append("\n  node ").append(id).append(": ").append(sim.status(id).map(s -> describe(s)
                    + (s.leaseValid() ? ", lease" : ", no lease") + (s.ccrSynced() ? "" : ", fetching tables")).orElse("down"));
        }
        return text.toString();
    }

    private void fail(Simulation sim, String what) {
        throw new InvariantViolation("invariant " + what + "\n  at " + sim.nowMs() + " ms of seed " + sim.seed()
                + "\n  last events:\n" + log.tailText(60));
    }

    public int failfasts() {
        return failfasts;
    }

    public int leaseChecks() {
        return leaseChecks;
    }
}
