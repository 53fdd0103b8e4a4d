package dev.baton.runtime.daemon;

import dev.baton.core.NodeCore;
import dev.baton.core.NodeStatus;
import dev.baton.core.rgm.RgmSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code status} on the control socket answers; built on the event-loop thread, which owns the core. */
final class DaemonStatus {
    private DaemonStatus() {
    }

    static Map<String, Object> of(Batond daemon) {
        NodeCore core = daemon.loop().core();
        long now = System.nanoTime();
        NodeStatus s = core.status(now);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("cluster", daemon.cluster().clusterName());
        m.put("node", daemon.self());
        m.put("failed", s.failed());
        s.installed().ifPresent(mem -> {
            m.put("epoch", mem.epoch().toString());
            m.put("members", List.copyOf(mem.members()));
            m.put("quorate", mem.quorate());
            m.put("holdsDevice", mem.holdsDevice());
        });
        m.put("promised", s.promised().toString());
        m.put("leaseValid", s.leaseValid());
        m.put("leaseRemainingMs", s.leaseValid() ? (s.leaseValidUntilNanos() - now) / 1_000_000 : 0);
        m.put("awaitingClearance", List.copyOf(s.awaitingClearance()));
        m.put("ccrSynced", s.ccrSynced());
        m.put("tables", List.copyOf(s.tables().keySet()));
        m.put("coordinator", core.rgmCoordinator().isPresent());
        m.put("conditions", core.pathConditions().stream().map(Object::toString).sorted().toList());
        m.put("resources", resources(core));
        Map<String, Long> counters = new LinkedHashMap<>(daemon.transport().counters().snapshot());
        counters.put("inboxDropped", daemon.loop().droppedInputs());
        m.put("transport", counters);
        m.put("frames", daemon.transport().opener().counters());
        return m;
    }

    private static List<Map<String, Object>> resources(NodeCore core) {
        List<Map<String, Object>> out = new ArrayList<>();
        RgmSnapshot snap = core.rgmSnapshot().orElse(null);
        if (snap == null) {
            return out;
        }
        for (RgmSnapshot.StateEntry e : snap.states()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("resource", e.resource());
            r.put("node", e.node());
            r.put("state", e.state().name());
            out.add(r);
        }
        return out;
    }
}
