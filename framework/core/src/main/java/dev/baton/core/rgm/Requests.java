package dev.baton.core.rgm;

/** Checks and applies operator requests; every refusal names the group, resource or node. */
final class Requests {
    private Requests() {
    }

    static String validate(Request request, RgmState state, ClusterView view) {
        RgmConfig config = state.config();
        return switch (request) {
            case Request.Online r -> group(config, r.group());
            case Request.Offline r -> group(config, r.group());
            case Request.Suspend r -> group(config, r.group());
            case Request.Resume r -> group(config, r.group());
            case Request.Unmanage r -> group(config, r.group());
            case Request.Manage r -> group(config, r.group());
            case Request.Switchover r -> switchover(state, view, r);
            case Request.Evacuate r -> !state.isClusterNode(r.node()) ? "node " + r.node() + " is not a cluster node"
                    : r.forMs() < 0 ? "evacuation time is negative" : null;
            case Request.Clear r -> !config.hasResource(r.resource()) ? "no resource named " + r.resource()
                    : !state.isClusterNode(r.node()) ? "node " + r.node() + " is not a cluster node" : null;
        };
    }

    private static String group(RgmConfig config, String name) {
        return config.hasGroup(name) ? null : "no group named " + name;
    }

    private static String switchover(RgmState state, ClusterView view, Request.Switchover r) {
        RgmConfig config = state.config();
        if (!config.hasGroup(r.group())) {
            return "no group named " + r.group();
        }
        GroupSpec g = config.group(config.groupIndex(r.group()));
        if (!g.isFailover()) {
            return r.group() + " is scalable: change Desired_primaries or evacuate nodes instead";
        }
        if (!g.nodelist().contains(r.node())) {
            return "node " + r.node() + " is not in the Nodelist of " + r.group() + " " + g.nodelist();
        }
        if (!view.isMember(r.node())) {
            return "node " + r.node() + " is not a cluster member";
        }
        if (!state.managed(config.groupIndex(r.group()))) {
            return r.group() + " is unmanaged";
        }
        return null;
    }

    static void apply(Request request, RgmState state, long nowMs) {
        RgmConfig config = state.config();
        switch (request) {
            case Request.Online r -> state.setWantedOnline(config.groupIndex(r.group()), true);
            case Request.Offline r -> state.setWantedOnline(config.groupIndex(r.group()), false);
            case Request.Suspend r -> state.setSuspended(config.groupIndex(r.group()), true);
            case Request.Resume r -> state.setSuspended(config.groupIndex(r.group()), false);
            case Request.Unmanage r -> state.setManaged(config.groupIndex(r.group()), false);
            case Request.Manage r -> manage(state, config.groupIndex(r.group()));
            case Request.Switchover r -> state.pin(config.groupIndex(r.group()), r.node());
            case Request.Evacuate r -> state.evacuate(r.node(), nowMs + r.forMs());
            case Request.Clear r -> state.clear(config.resourceIndex(r.resource()), r.node());
        }
    }

    /**
     * A group managed again may have been touched by hand: probe it wherever it may run (a cleared
     * node runs nothing). Its failure history goes too: it describes a service the operator has
     * since taken in hand, and probe reports that arrived while unmanaged are not failures of the RGM's.
     */
    private static void manage(RgmState state, int g) {
        state.setManaged(g, true);
        for (int r : state.config().resourcesOf(g)) {
            for (int node : state.nodes()) {
                state.clear(r, node);
            }
        }
        state.forget(g);
    }
}
