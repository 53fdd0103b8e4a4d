package dev.baton.runtime.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.core.Input;
import dev.baton.core.Message;
import dev.baton.core.membership.Epoch;
import dev.baton.runtime.wire.ClusterKey;
import dev.baton.runtime.wire.MessageCodec;
import dev.baton.runtime.wire.Opener;
import dev.baton.runtime.wire.Sealer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two real transports on loopback addresses: sealed UDP heartbeats and TCP messages, and what they drop. */
class TransportTest {
    private final ClusterKey key = ClusterKey.generate();
    private final LinkedBlockingQueue<Input> inbox1 = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Input> inbox2 = new LinkedBlockingQueue<>();
    private ClusterDescription cluster;
    private Transport t1;
    private Transport t2;
    private int port;

    @BeforeEach
    void start() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        cluster = ClusterDescriptionText.parse("""
                cluster name=t
                node id=1 name=a
                node id=2 name=b
                node id=3 name=c
                network name=lo kind=ip port=%d 1=127.0.0.1 2=127.0.0.2 3=127.0.0.3
                """.formatted(port), "test");
        t1 = new Transport(1, cluster, new Sealer(key, 1, 1), new Opener(key), inbox1::add, Map.of(), false);
        t2 = new Transport(2, cluster, new Sealer(key, 2, 1), new Opener(key), inbox2::add, Map.of(), false);
        t1.start();
        t2.start();
    }

    @AfterEach
    void stop() {
        t1.close();
        t2.close();
    }

    private static Message.Heartbeat heartbeat(int from, long seq) {
        return new Message.Heartbeat(from, Epoch.NONE, 0, seq, Map.of(from, Set.of("lo")), Map.of());
    }

    @Test
    void heartbeatsTravelAsSealedDatagramsAndMessagesOverTcp() throws Exception {
        t1.broadcast("lo", heartbeat(1, 1));
        Input got = inbox2.poll(5, TimeUnit.SECONDS);
        assertThat(got).isInstanceOfSatisfying(Input.Received.class, r -> {
            assertThat(r.network()).isEqualTo("lo");
            assertThat(r.message()).isEqualTo(heartbeat(1, 1));
        });
        Message.TableRequest request = new Message.TableRequest(2, "cluster");
        t2.send(1, request);
        assertThat(inbox1.poll(5, TimeUnit.SECONDS)).isEqualTo(new Input.Received(request, "lo"));
        // the sender counts a frame after its flush returns, which can be after the receiver has it
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> t2.counters().framesOut.get() == 1);
    }

    @Test
    void garbageForeignKeysReplaysAndImpostorsAreDroppedAndCounted() throws Exception {
        InetSocketAddress node2 = new InetSocketAddress("127.0.0.2", port);
        byte[] authentic = new Sealer(key, 1, 7).seal(0, MessageCodec.encode(heartbeat(1, 9)));
        byte[] foreign = new Sealer(ClusterKey.generate(), 1, 7).seal(0, MessageCodec.encode(heartbeat(1, 10)));
        byte[] impostor = new Sealer(key, 3, 7).seal(0, MessageCodec.encode(heartbeat(1, 11))); // sealed by 3, claims 1
        try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            for (byte[] d : new byte[][] {"garbage".getBytes(), new byte[1400], foreign, authentic, authentic, impostor}) {
                raw.send(new DatagramPacket(d, d.length, node2));
            }
        }
        Input first = inbox2.poll(5, TimeUnit.SECONDS);
        assertThat(first).isEqualTo(new Input.Received(heartbeat(1, 9), "lo"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> t2.counters().wrongSender.get() == 1);
        assertThat(inbox2.poll(200, TimeUnit.MILLISECONDS)).as("only the authentic datagram arrives, once").isNull();
        var c = t2.opener().counters();
        assertThat(c.accepted()).isEqualTo(2); // the authentic one and the impostor (authentic frame, wrong claim)
        assertThat(c.replayed()).isEqualTo(1);
        assertThat(c.malformed() + c.unauthenticated()).isEqualTo(3);
    }

    @Test
    void aTcpConnectionThatSendsAnythingButSealedFramesIsClosedAtOnce() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.2", port)) {
            java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
            byte[] forged = new Sealer(ClusterKey.generate(), 1, 7).seal(1001, MessageCodec.encode(heartbeat(1, 1)));
            out.writeInt(forged.length);
            out.write(forged);
            out.flush();
            s.setSoTimeout(5_000);
            assertThat(s.getInputStream().read()).as("the daemon closed the connection").isEqualTo(-1);
        }
        assertThat(t2.counters().refusedConnections.get()).isEqualTo(1);
        assertThat(t2.opener().counters().unauthenticated()).isEqualTo(1);
        assertThat(inbox2).isEmpty();
    }
}
