package dev.baton.sim.scenario;

import dev.baton.core.NodeStatus;
import dev.baton.core.ccr.Table;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.membership.Membership;
import dev.baton.sim.SimDisk;
import dev.baton.sim.SimNode;
import dev.baton.sim.SimQuorumDevice;
import dev.baton.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code status} command's text: one line per node saying what it believes, whether it holds
 * a lease and runs services, and which tables it holds; then the quorum device. Assertion failures
 * quote the same lines, so a failed check reads like the status a reader already knows.
 */
final class StatusText {
    private StatusText() {
    }

    static List<String> of(Simulation sim, boolean deviceAvailable) {
        List<String> lines = new ArrayList<>();
        lines.add("at " + sim.nowMs() + " ms");
        sim.nodeIds().forEach(id -> lines.add(node(sim, id)));
        sim.device().ifPresent(d -> lines.add(device(d, deviceAvailable)));
        return lines;
    }

    static String node(Simulation sim, int id) {
        SimNode node = sim.node(id);
        String head = "node " + id + "  ";
        return switch (node.machine()) {
            case CRASHED -> head + "machine off" + onDisk(node.disk());
            case FROZEN -> head + "machine frozen, services " + yesNo(node.running());
            case UP -> switch (node.daemon()) {
                case DEAD -> head + "daemon dead, services " + yesNo(node.running()) + onDisk(node.disk());
                case PAUSED -> head + "daemon paused, " + beliefs(node, sim.status(id).orElseThrow());
                case RUNNING -> head + beliefs(node, sim.status(id).orElseThrow());
            };
        };
    }

    private static String beliefs(SimNode node, NodeStatus s) {
        StringBuilder text = new StringBuilder(s.installed().map(StatusText::membership).orElse("no membership"));
        text.append(", lease ").append(yesNo(s.leaseValid())).append(", services ").append(yesNo(node.running()));
        if (!s.awaitingClearance().isEmpty()) {
            text.append(", awaiting clearance of ").append(s.awaitingClearance());
        }
        if (!s.ccrSynced()) {
            text.append(", fetching tables");
        }
        return text.append(", tables ").append(tables(s.tables())).append(prepared(node.disk())).toString();
    }

    /** What a node that is down would boot with. */
    private static String onDisk(SimDisk disk) {
        return ", disk holds " + tables(disk.tables()) + prepared(disk);
    }

    /** A change prepared on disk but neither applied nor rolled back yet. */
    private static String prepared(SimDisk disk) {
        return disk.boot().prepared().map(p -> ", prepared " + p.table().name() + "@" + version(p.table().version())).orElse("");
    }

    static String membership(Membership m) {
        return "epoch " + m.epoch() + " " + m.members() + (m.quorate() ? " quorate" : " not quorate")
                + (m.holdsDevice() ? " (holds device)" : "");
    }

    private static String tables(Map<String, Table> tables) {
        if (tables.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        tables.forEach((name, t) -> parts.add(name + "@" + version(t.version())));
        return String.join(" ", parts);
    }

    /** Epoch and generation: the checksum only matters when two copies disagree, and assertions print it then. */
    private static String version(TableVersion v) {
        return v.epoch() + "/" + v.generation();
    }

    private static String device(SimQuorumDevice d, boolean available) {
        return "device  " + (available ? "up" : "down") + ", registered " + d.registered()
                + d.committedRecord().map(r -> ", configuration last committed by epoch " + r.epoch() + " " + new TreeSet<>(r.members()))
                        .orElse(", no committed configuration recorded");
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
