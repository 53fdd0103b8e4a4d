package dev.baton.core.rgm;

/** What an operator asks of the RGM; the coordinator validates it against the configuration and membership. */
public sealed interface Request {
    /** Bring the group online where the policies say (and keep it wanted online). */
    record Online(String group) implements Request {
    }

    /** Take the group offline everywhere; it stays offline until brought online. */
    record Offline(String group) implements Request {
    }

    /** Move a failover group to this node (it stays the preferred node until the next switchover). */
    record Switchover(String group, int node) implements Request {
    }

    /** Move every group off the node and keep them off for {@code forMs}. */
    record Evacuate(int node, long forMs) implements Request {
    }

    /** Stop automatic recovery (restarts, failovers, starts); operator requests still run. */
    record Suspend(String group) implements Request {
    }

    record Resume(String group) implements Request {
    }

    /** Take the group out of the RGM's hands: no method of its resources runs until managed again. */
    record Unmanage(String group) implements Request {
    }

    /** Manage the group again: its resources are probed everywhere first. */
    record Manage(String group) implements Request {
    }

    /** Clear a failure of the resource on the node (the operator vouches a failed stop left nothing running). */
    record Clear(String resource, int node) implements Request {
    }
}
