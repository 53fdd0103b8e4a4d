package dev.baton.runtime.daemon;

import dev.baton.core.Effect;
import dev.baton.core.Message;
import dev.baton.core.ccr.Table;
import dev.baton.core.membership.Epoch;
import dev.baton.runtime.state.StateDir;
import dev.baton.runtime.wire.ClusterKey;
import dev.baton.runtime.wire.MessageCodec;
import dev.baton.runtime.wire.Opened;
import dev.baton.runtime.wire.Opener;
import dev.baton.runtime.wire.Sealer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Bootstrap (issue 5 item 7): {@link #create} makes the first node's state directory from a cluster
 * description and a new (or given) cluster key; {@link #join} makes another node's state directory
 * by fetching the description from a running member, over the same sealed TCP frames the daemons
 * use, so a node without the key learns nothing. Networks, adapters, serial paths and the quorum
 * device live in the CCR table {@value ClusterDescriptionText#TABLE}; resource groups come later,
 * through {@code baton ctl propose rgm FILE} on any member.
 */
public final class ClusterSetup {
    private ClusterSetup() {
    }

    /** Creates the first node's state; returns the key's fingerprint. */
    public static String create(Path stateDir, int nodeId, String descriptionText, Path keyFileOrNull) throws IOException {
        ClusterDescription d = ClusterDescriptionText.parse(descriptionText, "cluster description");
        if (!d.config().nodeIds().contains(nodeId)) {
            throw new IllegalArgumentException("node " + nodeId + " is not in the cluster description (nodes "
                    + d.config().nodeIds() + ")");
        }
        StateDir state = StateDir.open(stateDir);
        if (state.load().boot().tables().stream().anyMatch(t -> t.name().equals(ClusterDescriptionText.TABLE))) {
            throw new IllegalArgumentException(stateDir + " already belongs to a cluster; use a new state directory");
        }
        ClusterKey key = keyFileOrNull != null ? ClusterKey.load(keyFileOrNull) : ClusterKey.generate();
        if (!Files.exists(state.keyFile())) {
            key.save(state.keyFile());
        }
        NodeIdentity.write(stateDir, nodeId);
        state.persist(new Effect.PersistTable(Table.create(ClusterDescriptionText.TABLE, Epoch.NONE, 1, descriptionText)));
        return key.fingerprint();
    }

    /**
     * Joins node {@code nodeId} to the cluster a member at {@code peer} belongs to: listens where the
     * member will answer (this node's address on that network, port {@code peer}'s), asks for the
     * cluster table, checks it, and stores it with the key and the node id.
     */
    public static ClusterDescription join(Path stateDir, int nodeId, Path keyFile, InetSocketAddress peer,
                                          String listenAddress, Duration timeout) throws IOException {
        ClusterKey key = ClusterKey.load(keyFile);
        StateDir state = StateDir.open(stateDir);
        long incarnation = state.nextIncarnation();
        Sealer sealer = new Sealer(key, nodeId, incarnation);
        Opener opener = new Opener(key);
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(listenAddress, peer.getPort()));
            listener.setSoTimeout((int) timeout.toMillis());
            request(peer, sealer, new Message.TableRequest(nodeId, ClusterDescriptionText.TABLE));
            Table table = awaitReply(listener, opener, timeout);
            ClusterDescription d = ClusterDescriptionText.parse(table.content(), "table from " + peer);
            if (!d.config().nodeIds().contains(nodeId)) {
                throw new IOException("node " + nodeId + " is not in cluster " + d.clusterName() + " (nodes "
                        + d.config().nodeIds() + "); add it to the description first");
            }
            if (!Files.exists(state.keyFile())) {
                key.save(state.keyFile());
            }
            NodeIdentity.write(stateDir, nodeId);
            state.persist(new Effect.PersistTable(table));
            return d;
        }
    }

    private static void request(InetSocketAddress peer, Sealer sealer, Message message) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(peer, 2_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            byte[] frame = sealer.seal(1, MessageCodec.encode(message));
            out.writeInt(frame.length);
            out.write(frame);
            out.flush();
        }
    }

    private static Table awaitReply(ServerSocket listener, Opener opener, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = listener.accept()) {
                s.setSoTimeout((int) timeout.toMillis());
                DataInputStream in = new DataInputStream(s.getInputStream());
                int length = in.readInt();
                if (length <= 0 || length > TcpLinks.MAX_FRAME_BYTES) {
                    continue;
                }
                Opened opened = opener.open(in.readNBytes(length), 0, length);
                if (MessageCodec.decode(opened.plaintext()) instanceof Message.TableReply reply && reply.table().verify()
                        && reply.table().name().equals(ClusterDescriptionText.TABLE)) {
                    return reply.table();
                }
            } catch (SocketTimeoutException e) {
                break;
            } catch (Exception e) {
                // not the answer (garbage, another frame): keep waiting until the deadline
            }
        }
        throw new IOException("no member answered with the cluster table within " + timeout.toMillis()
                + " ms (is a daemon running at the peer address, with the same key?)");
    }
}
