package dev.baton.core.cluster;

/** How a heartbeat path reaches peers. Only {@link #IP} paths count as a node's networks for failover. */
public enum PathKind {
    /** An IP network: one adapter per node, UDP heartbeats, TCP messages. */
    IP,
    /** A serial line between exactly two nodes. */
    SERIAL,
    /** A shared disk with a heartbeat area per node. */
    DISK;

    public boolean isIp() {
        return this == IP;
    }
}
