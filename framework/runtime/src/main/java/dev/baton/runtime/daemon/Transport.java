package dev.baton.runtime.daemon;

import dev.baton.api.spi.HeartbeatPath;
import dev.baton.core.Input;
import dev.baton.core.Message;
import dev.baton.core.cluster.PathKind;
import dev.baton.runtime.wire.MessageCodec;
import dev.baton.runtime.wire.Opened;
import dev.baton.runtime.wire.Opener;
import dev.baton.runtime.wire.RejectedFrameException;
import dev.baton.runtime.wire.Sealer;
import dev.baton.runtime.wire.WireFormatException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the core's messages between nodes: heartbeats as UDP datagrams on every IP network (and
 * as frames on serial lines), everything else over TCP on the first network the peer was recently
 * heard on, falling back to a serial line when no IP network reaches it.
 *
 * <p>Every datagram and frame is sealed with the cluster key ({@link Sealer}); what does not open,
 * does not decode, or claims another sender than the one that sealed it is dropped and counted
 * ({@link TransportCounters}), never thrown to the event loop. Receiving threads only hand
 * {@link Input.Received} to the event loop's inbox.
 *
 * <p>Streams (each with its own sequence numbers at the receiver): UDP on path {@code i} is
 * stream {@code i}; a serial path is {@code 500 + i}; TCP to peer {@code p} on path {@code i} is
 * {@code 1000 + 100 i + p}, so one slow connection never pushes another's frames out of the
 * receiver's replay window.
 */
final class Transport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    static final int MAX_DATAGRAM_BYTES = 65_507;

    private final int self;
    private final ClusterDescription cluster;
    private final Sealer sealer;
    private final Opener opener;
    private final Consumer<Input> inbox;
    private final long freshNanos;
    private final TransportCounters counters = new TransportCounters();
    private final List<ClusterDescription.Path> paths;
    private final Map<String, Integer> pathIndex = new HashMap<>();
    private final Map<Integer, DatagramChannel> udp = new HashMap<>();
    private final Map<Integer, HeartbeatPath> serial = new HashMap<>();
    private final Map<Integer, SerialWriter> serialWriters = new HashMap<>();
    private final TcpLinks tcp;
    /** Last time anything authentic arrived from node {@code n} over path {@code i}: index {@code n * paths + i}. */
    private final AtomicLongArray lastHeardNanos;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    private final boolean realtime;

    Transport(int self, ClusterDescription cluster, Sealer sealer, Opener opener, Consumer<Input> inbox,
              Map<String, HeartbeatPath> serialPaths, boolean realtime) {
        this.realtime = realtime;
        this.self = self;
        this.cluster = cluster;
        this.sealer = sealer;
        this.opener = opener;
        this.inbox = inbox;
        this.paths = cluster.networks();
        this.freshNanos = cluster.config().timing().detectionMs() * 1_000_000L;
        this.lastHeardNanos = new AtomicLongArray((dev.baton.core.cluster.ClusterConfig.MAX_NODE_ID + 1) * paths.size());
        for (int i = 0; i < paths.size(); i++) {
            pathIndex.put(paths.get(i).name(), i);
            HeartbeatPath s = serialPaths.get(paths.get(i).name());
            if (s != null) {
                serial.put(i, s);
            }
        }
        this.tcp = new TcpLinks(self, cluster, sealer, counters, this::deliver);
    }

    /** Binds every IP path of this node and starts the receiving threads. */
    void start() throws IOException {
        for (int i = 0; i < paths.size(); i++) {
            ClusterDescription.Path p = paths.get(i);
            Optional<InetSocketAddress> own = p.socketOf(self);
            if (own.isPresent()) {
                DatagramChannel ch = DatagramChannel.open();
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(own.get());
                udp.put(i, ch);
                int index = i;
                threads.add(Thread.ofPlatform().daemon().name("udp-" + p.name()).priority(Thread.MAX_PRIORITY)
                        .start(() -> receiveUdp(index, ch)));
                tcp.listen(i, own.get());
            } else if (serial.containsKey(i)) {
                int index = i;
                HeartbeatPath path = serial.get(i);
                serialWriters.put(i, new SerialWriter(path, counters));
                threads.add(Thread.ofPlatform().daemon().name("serial-" + p.name()).priority(Thread.MAX_PRIORITY)
                        .start(() -> receiveSerial(index, path)));
            }
        }
    }

    TransportCounters counters() {
        return counters;
    }

    Opener opener() {
        return opener;
    }

    /** A heartbeat to every peer on one path. */
    void broadcast(String network, Message message) {
        Integer i = pathIndex.get(network);
        if (i == null) {
            return;
        }
        byte[] frame = sealer.seal(paths.get(i).kind() == PathKind.IP ? i : 500 + i, MessageCodec.encode(message));
        DatagramChannel ch = udp.get(i);
        if (ch != null) {
            for (var peer : paths.get(i).endpoints().keySet()) {
                if (peer != self) {
                    sendDatagram(ch, frame, paths.get(i).socketOf(peer).orElseThrow());
                }
            }
        } else if (serialWriters.containsKey(i)) {
            serialWriters.get(i).offer(frame);
        }
    }

    /** A message to one node: TCP on the first IP path it was recently heard on, else a serial line, else the first IP path. */
    void send(int to, Message message) {
        byte[] plain = MessageCodec.encode(message);
        long now = System.nanoTime();
        int fallback = -1;
        for (int i = 0; i < paths.size(); i++) {
            ClusterDescription.Path p = paths.get(i);
            if (!p.endpoints().containsKey(to) || !p.endpoints().containsKey(self)) {
                continue;
            }
            boolean fresh = now - lastHeardNanos.get(heardIndex(to, i)) < freshNanos;
            if (p.kind() == PathKind.IP && fresh) {
                tcp.send(to, i, plain);
                return;
            }
            if (p.kind() == PathKind.IP && fallback < 0) {
                fallback = i;
            }
        }
        for (int i = 0; i < paths.size(); i++) {
            if (serialWriters.containsKey(i) && paths.get(i).endpoints().containsKey(to)
                    && now - lastHeardNanos.get(heardIndex(to, i)) < freshNanos) {
                byte[] frame = sealer.seal(500 + i, plain);
                if (frame.length <= serial.get(i).maxFrameBytes()) {
                    serialWriters.get(i).offer(frame);
                    return;
                }
            }
        }
        if (fallback >= 0) {
            tcp.send(to, fallback, plain);
        } else {
            counters.unroutable.incrementAndGet();
        }
    }

    private void sendDatagram(DatagramChannel ch, byte[] frame, InetSocketAddress to) {
        try {
            if (ch.send(ByteBuffer.wrap(frame), to) == 0) {
                counters.sendFailures.incrementAndGet();
            } else {
                counters.datagramsOut.incrementAndGet();
            }
        } catch (IOException e) {
            counters.sendFailures.incrementAndGet(); // an unreachable network: the heartbeat layer will notice
        }
    }

    private void receiveUdp(int index, DatagramChannel ch) {
        realtimeIfAsked(); // heartbeats must not queue behind busy work
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM_BYTES + 1);
        while (!closed) {
            try {
                buf.clear();
                ch.receive(buf);
                buf.flip();
                counters.datagramsIn.incrementAndGet();
                deliver(index, buf.array(), 0, buf.limit());
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("UDP receive on {} failed: {}", paths.get(index).name(), e.toString());
                    sleepQuietly(50);
                }
            }
        }
    }

    private void receiveSerial(int index, HeartbeatPath path) {
        realtimeIfAsked();
        while (!closed) {
            try {
                Optional<byte[]> frame = path.receive(java.time.Duration.ofMillis(200));
                frame.ifPresent(f -> deliver(index, f, 0, f.length));
            } catch (IOException e) {
                counters.serialErrors.incrementAndGet();
                sleepQuietly(200); // a lost line: the heartbeat layer reports the path down
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Opens, decodes and hands one frame to the event loop; drops and counts anything wrong (then false). */
    boolean deliver(int pathIndexOfFrame, byte[] bytes, int offset, int length) {
        Opened opened;
        try {
            opened = opener.open(bytes, offset, length);
        } catch (RejectedFrameException e) {
            return false; // counted by the opener
        }
        Message message;
        try {
            message = MessageCodec.decode(opened.plaintext());
        } catch (WireFormatException e) {
            counters.undecodable.incrementAndGet();
            LOG.debug("undecodable message from node {}: {}", opened.senderId(), e.getMessage());
            return false;
        }
        if (message.from() != opened.senderId() || message.from() == self
                || !cluster.config().nodeIds().contains(message.from())) {
            counters.wrongSender.incrementAndGet();
            return false;
        }
        lastHeardNanos.set(heardIndex(message.from(), pathIndexOfFrame), System.nanoTime());
        inbox.accept(new Input.Received(message, paths.get(pathIndexOfFrame).name()));
        return true;
    }

    private int heardIndex(int node, int pathIndex) {
        return node * paths.size() + pathIndex;
    }

    private void realtimeIfAsked() {
        if (realtime) {
            dev.baton.runtime.guard.Realtime.trySetFifo(Batond.EVENT_LOOP_PRIORITY);
        }
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        udp.values().forEach(ch -> {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
        tcp.close();
        serialWriters.values().forEach(SerialWriter::close);
        serial.values().forEach(p -> {
            try {
                p.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
        threads.forEach(Thread::interrupt);
    }
}
