package dev.baton.runtime.daemon;

import dev.baton.runtime.wire.Sealer;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reliable messages over TCP: one outgoing connection per (peer, IP path), used in one direction,
 * and a listener per IP path for the peers' connections. Frames are a 4-byte length and a sealed
 * frame. Everything is bounded: each outgoing queue holds {@value #QUEUE_FRAMES} frames (more are
 * dropped and counted), a frame older than {@value #MAX_FRAME_AGE_MS} ms when its turn comes is
 * dropped (the core repeats what still matters), inbound frames above {@link #MAX_FRAME_BYTES}
 * close the connection, and at most {@value #MAX_INBOUND_PER_PATH} inbound connections per path
 * are served.
 */
final class TcpLinks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpLinks.class);
    static final int QUEUE_FRAMES = 1024;
    static final long MAX_FRAME_AGE_MS = 2_000;
    static final int MAX_FRAME_BYTES = dev.baton.runtime.wire.MessageCodec.MAX_MESSAGE_BYTES + 256;
    static final int MAX_INBOUND_PER_PATH = 2 * dev.baton.core.cluster.ClusterConfig.MAX_NODE_ID;
    private static final int CONNECT_TIMEOUT_MS = 300;
    private static final long RETRY_PAUSE_MS = 100;

    /** Hands a received frame to the transport: path index, bytes, offset, length; false when it was dropped. */
    interface FrameSink {
        boolean deliver(int pathIndex, byte[] bytes, int offset, int length);
    }

    private record Queued(byte[] plaintext, long queuedNanos) {
    }

    private final int self;
    private final ClusterDescription cluster;
    private final Sealer sealer;
    private final TransportCounters counters;
    private final FrameSink sink;
    private final Map<Long, Link> links = new ConcurrentHashMap<>();
    private final List<ServerSocket> servers = new ArrayList<>();
    private final Map<Integer, AtomicInteger> inbound = new ConcurrentHashMap<>();
    private volatile boolean closed;

    TcpLinks(int self, ClusterDescription cluster, Sealer sealer, TransportCounters counters, FrameSink sink) {
        this.self = self;
        this.cluster = cluster;
        this.sealer = sealer;
        this.counters = counters;
        this.sink = sink;
    }

    void listen(int pathIndex, InetSocketAddress own) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(own, 64);
        servers.add(server);
        inbound.put(pathIndex, new AtomicInteger());
        Thread.ofPlatform().daemon().name("tcp-accept-" + pathIndex).start(() -> accept(pathIndex, server));
    }

    void send(int to, int pathIndex, byte[] plaintext) {
        Link link = links.computeIfAbsent((long) to << 16 | pathIndex, k -> new Link(to, pathIndex));
        if (!link.queue.offer(new Queued(plaintext, System.nanoTime()))) {
            counters.queueOverflow.incrementAndGet();
        }
    }

    private void accept(int pathIndex, ServerSocket server) {
        while (!closed) {
            try {
                Socket s = server.accept();
                AtomicInteger count = inbound.get(pathIndex);
                if (count.incrementAndGet() > MAX_INBOUND_PER_PATH) {
                    count.decrementAndGet();
                    counters.refusedConnections.incrementAndGet();
                    s.close();
                    continue;
                }
                Thread.ofVirtual().name("tcp-in-" + pathIndex).start(() -> read(pathIndex, s, count));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("accept on path {} failed: {}", pathIndex, e.toString());
                    Transport.sleepQuietly(RETRY_PAUSE_MS);
                }
            }
        }
    }

    private void read(int pathIndex, Socket s, AtomicInteger count) {
        try (s; DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream()))) {
            s.setTcpNoDelay(true);
            while (!closed) {
                int length = in.readInt();
                if (length <= 0 || length > MAX_FRAME_BYTES) {
                    counters.badFrameLength.incrementAndGet();
                    return; // a stream out of step cannot be resynchronised: drop the connection
                }
                byte[] frame = in.readNBytes(length);
                if (frame.length < length) {
                    return;
                }
                counters.framesIn.incrementAndGet();
                if (!sink.deliver(pathIndex, frame, 0, length)) {
                    // A peer with the key never sends a frame that fails to open or decode over TCP (no
                    // loss, no duplicates): whoever did is not one, and loses the connection slot at once.
                    counters.refusedConnections.incrementAndGet();
                    return;
                }
            }
        } catch (IOException e) {
            LOG.debug("inbound connection on path {} ended: {}", pathIndex, e.toString());
        } finally {
            count.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ServerSocket s : servers) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        links.values().forEach(Link::close);
    }

    /** One outgoing connection and its writer thread. */
    private final class Link {
        final BlockingQueue<Queued> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
        final int to;
        final int pathIndex;
        final int streamId;
        final Thread writer;
        Socket socket;
        DataOutputStream out;

        Link(int to, int pathIndex) {
            this.to = to;
            this.pathIndex = pathIndex;
            this.streamId = 1000 + 100 * pathIndex + to;
            this.writer = Thread.ofVirtual().name("tcp-out-" + to + "-" + pathIndex).start(this::run);
        }

        private void run() {
            while (!closed) {
                Queued q;
                try {
                    q = queue.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (q == null) {
                    continue;
                }
                if (System.nanoTime() - q.queuedNanos() > MAX_FRAME_AGE_MS * 1_000_000L) {
                    counters.expiredBeforeSend.incrementAndGet();
                    continue;
                }
                write(sealer.seal(streamId, q.plaintext()));
            }
        }

        private void write(byte[] frame) {
            try {
                if (out == null) {
                    connect();
                }
                out.writeInt(frame.length);
                out.write(frame);
                out.flush();
                counters.framesOut.incrementAndGet();
            } catch (IOException e) {
                counters.sendFailures.incrementAndGet();
                LOG.debug("send to node {} on path {} failed: {}", to, pathIndex, e.toString());
                disconnect();
                Transport.sleepQuietly(RETRY_PAUSE_MS);
            }
        }

        private void connect() throws IOException {
            ClusterDescription.Path path = cluster.networks().get(pathIndex);
            Socket s = new Socket();
            try {
                s.bind(new InetSocketAddress(path.socketOf(self).orElseThrow().getAddress(), 0));
                s.setTcpNoDelay(true);
                s.connect(path.socketOf(to).orElseThrow(), CONNECT_TIMEOUT_MS);
                s.setSoTimeout(0);
            } catch (IOException e) {
                s.close();
                throw e;
            }
            socket = s;
            out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 64 * 1024));
        }

        private void disconnect() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // gone anyway
            }
            socket = null;
            out = null;
        }

        void close() {
            writer.interrupt();
            disconnect();
        }
    }
}
