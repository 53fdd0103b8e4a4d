package dev.baton.runtime.quorum;

import dev.baton.api.spi.DeviceHealth;
import dev.baton.api.spi.QuorumDevice;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.membership.Epoch;
import dev.baton.runtime.quorum.QuorumProtocol.Op;
import dev.baton.runtime.quorum.QuorumProtocol.Reply;
import dev.baton.runtime.quorum.QuorumProtocol.Request;
import dev.baton.runtime.state.StateFileException;
import dev.baton.runtime.wire.ClusterKey;
import dev.baton.runtime.wire.Opened;
import dev.baton.runtime.wire.Opener;
import dev.baton.runtime.wire.RejectedFrameException;
import dev.baton.runtime.wire.Sealer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's side of the quorum server: the {@link QuorumDevice} SPI over one TCP connection, every
 * frame sealed with the cluster key. One request at a time; a call that cannot be answered within
 * its timeout (server slow, absent, or not answering a frame it could not open) returns UNKNOWN,
 * false or {@link DeviceHealth#UNKNOWN}, and never waits longer. A broken connection is opened
 * again, at most twice per call. A reply is taken only if it echoes this call's request id, node
 * and incarnation, so a late reply to an earlier call is skipped.
 *
 * <p>Nonces: requests are sealed as (this node, {@code incarnation}) on stream {@link #STREAM}; no
 * other Sealer of the daemon may use that stream, and one process creates at most one device per
 * (key, node, incarnation): the constructor refuses a second, which would repeat nonces.
 */
public final class QuorumServerDevice implements QuorumDevice {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumServerDevice.class);
    /** The stream this device seals its requests on ("QS" and 1); reserved for it among the daemon's streams. */
    public static final int STREAM = QuorumProtocol.STREAM;
    private static final int ATTEMPTS = 2;
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

    private final String name;
    private final InetSocketAddress server;
    private final String clusterName;
    private final int nodeId;
    private final SortedSet<Integer> connected;
    private final long incarnation;
    private final Sealer sealer;
    private final Opener opener;
    private final ReentrantLock oneCallAtATime = new ReentrantLock();
    private long lastRequestId;
    private volatile Socket socket;
    private DataInputStream in;
    private DataOutputStream out;
    private volatile boolean closed;

    public QuorumServerDevice(String name, InetSocketAddress server, String clusterName, int nodeId, Set<Integer> connectedNodeIds,
                              ClusterKey key, long incarnation) {
        if (!QuorumProtocol.CLUSTER_NAME.matcher(clusterName).matches()) {
            throw new IllegalArgumentException("cluster name '" + clusterName + "' must match " + QuorumProtocol.CLUSTER_NAME.pattern());
        }
        if (nodeId < 1 || nodeId > ClusterConfig.MAX_NODE_ID) {
            throw new IllegalArgumentException("node id " + nodeId + " is outside 1.." + ClusterConfig.MAX_NODE_ID);
        }
        connectedNodeIds.forEach(id -> {
            if (id < 1 || id > ClusterConfig.MAX_NODE_ID) {
                throw new IllegalArgumentException("connected node id " + id + " is outside 1.." + ClusterConfig.MAX_NODE_ID);
            }
        });
        if (!CREATED.add(key.fingerprint() + "/" + nodeId + "/" + incarnation)) {
            throw new IllegalStateException("a quorum server device for node " + nodeId + " incarnation " + incarnation
                    + " under this key was already created in this process; another would repeat its nonces");
        }
        this.name = name;
        this.server = server;
        this.clusterName = clusterName;
        this.nodeId = nodeId;
        this.connected = new TreeSet<>(connectedNodeIds);
        this.incarnation = incarnation;
        this.sealer = new Sealer(key, nodeId, incarnation);
        this.opener = new Opener(key);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RaceResult race(long epochRound, int epochCoordinator, Set<Integer> memberIds, Duration timeout) throws InterruptedException {
        Outcome outcome = call(Op.RACE, new Epoch(epochRound, epochCoordinator), memberIds, nodeId, timeout);
        if (!(outcome instanceof Outcome.Answered answered) || !answered.reply().error().isEmpty()) {
            return new RaceResult(RaceOutcome.UNKNOWN, Optional.empty(), Set.of());
        }
        Reply reply = answered.reply();
        Optional<CommittedMembership> committed = reply.committed()
                .map(c -> new CommittedMembership(c.epoch().round(), c.epoch().coordinator(), c.members()));
        return new RaceResult(reply.outcome(), committed, reply.preempted());
    }

    @Override
    public boolean holds(int nodeId, long epochRound, int epochCoordinator, Duration timeout) throws InterruptedException {
        return yes(call(Op.HOLDS, new Epoch(epochRound, epochCoordinator), Set.of(), nodeId, timeout));
    }

    @Override
    public boolean recordCommittedMembership(CommittedMembership membership, Duration timeout) throws InterruptedException {
        Epoch epoch = new Epoch(membership.epochRound(), membership.epochCoordinator());
        return yes(call(Op.RECORD, epoch, membership.nodeIds(), nodeId, timeout));
    }

    @Override
    public DeviceHealth check(Duration timeout) throws InterruptedException {
        return switch (call(Op.CHECK, Epoch.NONE, Set.of(), nodeId, timeout)) {
            case Outcome.Answered a -> a.reply().error().isEmpty() && a.reply().yes() ? DeviceHealth.HEALTHY : DeviceHealth.FAILED;
            case Outcome.Failed f -> DeviceHealth.FAILED;
            case Outcome.TimedOut t -> DeviceHealth.UNKNOWN;
        };
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(socket);
    }

    private static boolean yes(Outcome outcome) {
        return outcome instanceof Outcome.Answered a && a.reply().error().isEmpty() && a.reply().yes();
    }

    // ---- one call ----------------------------------------------------------------------------

    /** How a call ended: an answer, no answer in time, or a failure (refused, reset, closed) before the deadline. */
    private sealed interface Outcome {
        record Answered(Reply reply) implements Outcome {
        }

        record TimedOut() implements Outcome {
        }

        record Failed(String why) implements Outcome {
        }
    }

    private Outcome call(Op op, Epoch epoch, Set<Integer> members, int node, Duration timeout) throws InterruptedException {
        long deadlineNanos = System.nanoTime() + Math.max(0, timeout.toNanos());
        if (closed) {
            return new Outcome.Failed("closed");
        }
        if (!oneCallAtATime.tryLock(remainingNanos(deadlineNanos), TimeUnit.NANOSECONDS)) {
            return new Outcome.TimedOut();
        }
        try {
            Request request = new Request(clusterName, ++lastRequestId, op, connected, epoch, new TreeSet<>(members), node);
            Outcome outcome = new Outcome.TimedOut();
            for (int attempt = 0; attempt < ATTEMPTS && remainingNanos(deadlineNanos) > 0 && !closed; attempt++) {
                outcome = attempt(request, deadlineNanos);
                if (!(outcome instanceof Outcome.Failed)) {
                    break;
                }
            }
            if (!(outcome instanceof Outcome.Answered)) {
                LOG.debug("{}: {} request {} got no answer: {}", name, op, request.requestId(), outcome);
            } else if (!((Outcome.Answered) outcome).reply().error().isEmpty()) {
                LOG.warn("{}: the quorum server refused {}: {}", name, op, ((Outcome.Answered) outcome).reply().error());
            }
            return outcome;
        } finally {
            oneCallAtATime.unlock();
            if (Thread.interrupted()) {
                throw new InterruptedException(name + ": interrupted during a quorum server call");
            }
        }
    }

    private Outcome attempt(Request request, long deadlineNanos) {
        try {
            connect(deadlineNanos);
            QuorumProtocol.writeEnvelope(out, clusterName, sealer.seal(STREAM, QuorumProtocol.encode(request)));
            return new Outcome.Answered(awaitReply(request, deadlineNanos));
        } catch (SocketTimeoutException e) {
            disconnect();
            return new Outcome.TimedOut();
        } catch (IOException e) {
            disconnect();
            return remainingNanos(deadlineNanos) > 0 ? new Outcome.Failed(e.toString()) : new Outcome.TimedOut();
        }
    }

    private void connect(long deadlineNanos) throws IOException {
        if (socket != null) {
            return;
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(server, millisUntil(deadlineNanos));
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
    }

    /** Reads until the reply to {@code request}; skips late replies to earlier ones. */
    private Reply awaitReply(Request request, long deadlineNanos) throws IOException {
        while (true) {
            socket.setSoTimeout(millisUntil(deadlineNanos));
            QuorumProtocol.Envelope envelope = QuorumProtocol.readEnvelope(in);
            Reply reply = open(envelope);
            if (reply.requestId() == request.requestId() && reply.node() == nodeId && reply.incarnation() == incarnation
                    && reply.op() == request.op()) {
                return reply;
            }
            LOG.debug("{}: skipped a reply to request {} while waiting for {}", name, reply.requestId(), request.requestId());
        }
    }

    private Reply open(QuorumProtocol.Envelope envelope) throws IOException {
        if (!envelope.cluster().equals(clusterName)) {
            throw new IOException("the server answered for cluster '" + envelope.cluster() + "'");
        }
        try {
            Opened opened = opener.open(envelope.frame(), 0, envelope.frame().length);
            if (opened.senderId() != QuorumProtocol.SERVER_SENDER_ID) {
                throw new IOException("a reply sealed by node " + opened.senderId() + ", not by the server");
            }
            return QuorumProtocol.decodeReply(opened.plaintext());
        } catch (RejectedFrameException | StateFileException e) {
            throw new IOException("a reply that cannot be used: " + e.getMessage());
        }
    }

    private void disconnect() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        closeQuietly(s);
    }

    /** Closing from {@link #close()} makes a call in progress fail at once instead of waiting out its timeout. */
    private void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("{}: close: {}", name, e.toString());
            }
        }
    }

    private static long remainingNanos(long deadlineNanos) {
        return deadlineNanos - System.nanoTime();
    }

    /** At least 1 ms: 0 would mean "no timeout" to a socket. */
    private static int millisUntil(long deadlineNanos) throws SocketTimeoutException {
        long ms = TimeUnit.NANOSECONDS.toMillis(remainingNanos(deadlineNanos));
        if (ms <= 0) {
            throw new SocketTimeoutException("the call's time ran out");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }
}
