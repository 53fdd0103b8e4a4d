/**
 * The quorum server: a quorum device over TCP (like Solaris Cluster's quorum server or
 * corosync-qnetd) and the nodes' client for it. docs/design/quorum-server.md has the protocol and
 * how to run it.
 *
 * <p>Start reading at {@link dev.baton.runtime.quorum.DeviceState} (the device semantics, pure,
 * the same as the simulator's), then {@link dev.baton.runtime.quorum.ClusterLedger} (one cluster:
 * serialized requests, durable state before every race or record is answered, replay floors),
 * {@link dev.baton.runtime.quorum.QuorumServer} (connections) and
 * {@link dev.baton.runtime.quorum.QuorumServerDevice} (the {@code QuorumDevice} SPI over one
 * connection, every call bounded by its timeout). {@link dev.baton.runtime.quorum.QuorumProtocol}
 * holds the envelope and message formats both sides share.
 */
package dev.baton.runtime.quorum;
