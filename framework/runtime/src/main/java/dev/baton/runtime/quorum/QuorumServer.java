package dev.baton.runtime.quorum;

import dev.baton.runtime.quorum.QuorumProtocol.Envelope;
import dev.baton.runtime.quorum.QuorumProtocol.MalformedEnvelopeException;
import dev.baton.runtime.quorum.QuorumProtocol.Reply;
import dev.baton.runtime.quorum.QuorumProtocol.Request;
import dev.baton.runtime.state.IncarnationFile;
import dev.baton.runtime.state.PrivateDirectories;
import dev.baton.runtime.state.StateFileException;
import dev.baton.runtime.wire.Opened;
import dev.baton.runtime.wire.RejectedFrameException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A quorum device served over TCP, like Solaris Cluster's quorum server or corosync-qnetd: one
 * server can serve several clusters, each authenticated by its own key. Every request and reply
 * is sealed with the cluster key; a frame that does not open is never answered. Each cluster's
 * state is stored durably before a race or record is answered (docs/design/quorum-server.md).
 *
 * <p>One virtual thread per connection, at most {@link QuorumServerConfig#maxConnections()} at
 * once; one request at a time per connection; anything that is not a well-formed envelope closes
 * the connection, and nothing a client sends can stop the server.
 */
public final class QuorumServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumServer.class);

    /**
     * What the server counted since it started: requests answered; connections closed for bytes
     * that are not an envelope or a request ({@code malformed}); frames the cluster key did not
     * open, forged, altered, replayed within this run or not frames at all ({@code rejected});
     * frames that opened but were not newer than one already accepted from their sender, a replay
     * across a restart ({@code replayed}); envelopes naming a cluster not served here; and
     * connections refused because {@link QuorumServerConfig#maxConnections()} were open.
     */
    public record Stats(long answered, long malformed, long rejected, long replayed, long unknownCluster, long refusedConnections) {
    }

    private final QuorumServerConfig config;
    private final Map<String, ClusterLedger> ledgers;
    private final ServerSocket listener;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore slots;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong unknownCluster = new AtomicLong();
    private final AtomicLong refusedConnections = new AtomicLong();
    private volatile boolean closed;

    private QuorumServer(QuorumServerConfig config, Map<String, ClusterLedger> ledgers, ServerSocket listener) {
        this.config = config;
        this.ledgers = ledgers;
        this.listener = listener;
        this.slots = new Semaphore(config.maxConnections());
        this.acceptor = Thread.ofPlatform().name("quorum-server-accept").daemon(true).unstarted(this::acceptLoop);
    }

    /** Loads every cluster's state, binds, and starts serving; fails on a state file it cannot read. */
    public static QuorumServer start(QuorumServerConfig config) throws IOException {
        Path dir = config.stateDir().toAbsolutePath().normalize();
        PrivateDirectories.ensure(dir);
        long incarnation = new IncarnationFile(dir.resolve("incarnation"), System::currentTimeMillis).next();
        Map<String, ClusterLedger> ledgers = new TreeMap<>();
        for (var cluster : config.clusters().entrySet()) {
            ledgers.put(cluster.getKey(), ClusterLedger.open(cluster.getKey(), cluster.getValue(), dir, incarnation));
        }
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(config.listen(), 64);
        QuorumServer server = new QuorumServer(config, ledgers, listener);
        server.acceptor.start();
        LOG.info("quorum server listening on {}, state in {}, incarnation {}, clusters {}", server.address(), dir, incarnation,
                config.clusters().entrySet().stream().map(e -> e.getKey() + " (key " + e.getValue().fingerprint() + ")").toList());
        return server;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    public Stats stats() {
        return new Stats(answered.get(), malformed.get(), rejected.get(), replayed.get(), unknownCluster.get(), refusedConnections.get());
    }

    /** The stored state of one cluster's device; empty before its first request. */
    Optional<DeviceState> deviceState(String cluster) {
        return Optional.ofNullable(ledgers.get(cluster)).flatMap(ClusterLedger::state);
    }

    // ---- connections -------------------------------------------------------------------------

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("accept failed: {}", e.toString());
                    pauseAfterAcceptFailure();
                }
                continue;
            }
            if (!slots.tryAcquire()) {
                note(refusedConnections, "connection from {} refused: {} connections already served", socket.getRemoteSocketAddress(), config.maxConnections());
                closeQuietly(socket);
                continue;
            }
            open.add(socket);
            connections.execute(() -> serve(socket));
        }
    }

    /** Out of file descriptors, accept fails at once: pause rather than spin. */
    private static void pauseAfterAcceptFailure() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout((int) config.idleTimeout().toMillis());
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            while (!closed && answerOne(socket, in, out)) {
                answered.incrementAndGet();
            }
        } catch (SocketTimeoutException | EOFException e) {
            LOG.debug("connection from {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.debug("connection from {} failed: {}", socket.getRemoteSocketAddress(), e.toString());
            }
        } finally {
            open.remove(socket);
            slots.release();
        }
    }

    /** Reads one request and answers it; false when the connection must close instead. */
    private boolean answerOne(Socket socket, DataInputStream in, DataOutputStream out) throws IOException {
        Object peer = socket.getRemoteSocketAddress();
        Envelope envelope;
        try {
            envelope = QuorumProtocol.readEnvelope(in);
        } catch (MalformedEnvelopeException e) {
            note(malformed, "connection from {} closed: {}", peer, e.getMessage());
            return false;
        }
        ClusterLedger ledger = ledgers.get(envelope.cluster());
        if (ledger == null) {
            note(unknownCluster, "connection from {} closed: cluster '{}' is not served here", peer, envelope.cluster());
            return false;
        }
        Opened opened;
        try {
            opened = ledger.opener().open(envelope.frame(), 0, envelope.frame().length);
        } catch (RejectedFrameException e) {
            note(rejected, "connection from {} closed unanswered: {}", peer, e.getMessage());
            return false;
        }
        return answer(ledger, envelope.cluster(), opened, peer, out);
    }

    private boolean answer(ClusterLedger ledger, String cluster, Opened opened, Object peer, DataOutputStream out) throws IOException {
        Request request;
        try {
            request = QuorumProtocol.decodeRequest(opened.plaintext());
        } catch (StateFileException e) {
            note(malformed, "connection from {} (node {}) closed: a malformed request: {}", peer, opened.senderId(), e.getMessage());
            return false;
        }
        Optional<Reply> reply = ledger.handle(request, opened);
        if (reply.isEmpty()) {
            note(replayed, "connection from {} closed unanswered: node {} frame {}/{} is not newer than one already accepted",
                    peer, opened.senderId(), opened.incarnation(), opened.seq());
            return false;
        }
        if (!reply.get().error().isEmpty()) {
            LOG.warn("cluster {}: node {} {} refused: {}", cluster, opened.senderId(), request.op(), reply.get().error());
        }
        QuorumProtocol.writeEnvelope(out, cluster, ledger.seal(reply.get()));
        return true;
    }

    /**
     * Counts an event and logs its 1st, 2nd, 4th, 8th… occurrence: a client flooding garbage
     * cannot flood the log.
     */
    private static void note(AtomicLong counter, String message, Object... args) {
        long n = counter.incrementAndGet();
        if ((n & (n - 1)) == 0) {
            LOG.warn(message + " (" + n + " so far)", args);
        }
    }

    @Override
    public void close() {
        InetSocketAddress address = address();
        closed = true;
        closeQuietly(listener);
        open.forEach(QuorumServer::closeQuietly);
        connections.shutdownNow();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
            connections.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("quorum server on {} closed; {}", address, stats());
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("close: {}", e.toString());
        }
    }

    /** {@code quorum-server --listen IP:PORT --state DIR --cluster NAME=KEYFILE ...}; see {@link QuorumServerCommand}. */
    public static void main(String[] args) {
        int exit = QuorumServerCommand.run(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }
}
