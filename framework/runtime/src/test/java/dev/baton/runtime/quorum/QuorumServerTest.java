package dev.baton.runtime.quorum;

import dev.baton.api.spi.DeviceHealth;
import dev.baton.api.spi.QuorumDevice.CommittedMembership;
import dev.baton.api.spi.QuorumDevice.RaceOutcome;
import dev.baton.api.spi.QuorumDevice.RaceResult;
import dev.baton.core.membership.Epoch;
import dev.baton.runtime.wire.ClusterKey;
import dev.baton.runtime.wire.Sealer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A real server on loopback and real clients: the SPI's semantics over TCP, sealed frames, restarts, bad peers. */
class QuorumServerTest {
    private static final Duration CALL = Duration.ofSeconds(5);
    /** Only a guard against a hang: every call below returns on its own timeout long before. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    private static final Set<Integer> CONNECTED = Set.of(1, 2, 3);
    private static final AtomicLong INCARNATIONS = new AtomicLong(1_000);

    private final ClusterKey alphaKey = ClusterKey.generate();
    private final ClusterKey betaKey = ClusterKey.generate();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private QuorumServer startServer(int port) throws IOException {
        QuorumServer server = QuorumServer.start(QuorumServerConfig.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                tmp.resolve("qs"), Map.of("alpha", alphaKey, "beta", betaKey)));
        toClose.add(server);
        return server;
    }

    private QuorumServerDevice device(QuorumServer server, String cluster, int node, ClusterKey key) {
        return device(server.address(), cluster, node, key);
    }

    private QuorumServerDevice device(InetSocketAddress address, String cluster, int node, ClusterKey key) {
        QuorumServerDevice device = new QuorumServerDevice("qs-" + cluster, address, cluster, node, CONNECTED, key, INCARNATIONS.incrementAndGet());
        toClose.add(device);
        return device;
    }

    private static RaceResult race(QuorumServerDevice device, Epoch epoch, Integer... members) throws InterruptedException {
        return device.race(epoch.round(), epoch.coordinator(), Set.of(members), CALL);
    }

    private static boolean holds(QuorumServerDevice device, int node, Epoch epoch) throws InterruptedException {
        return device.holds(node, epoch.round(), epoch.coordinator(), CALL);
    }

    // ---- the SPI's semantics -----------------------------------------------------------------

    @Test
    void aWinPreemptsTheOthersAndHoldsForItsEpoch() throws Exception {
        QuorumServer server = startServer(0);
        QuorumServerDevice one = device(server, "alpha", 1, alphaKey);
        QuorumServerDevice three = device(server, "alpha", 3, alphaKey);

        RaceResult won = race(one, new Epoch(2, 1), 1, 2);

        assertThat(won).isEqualTo(new RaceResult(RaceOutcome.WON, Optional.empty(), Set.of(3)));
        assertThat(holds(one, 1, new Epoch(2, 1))).isTrue();
        assertThat(holds(one, 2, new Epoch(2, 1))).isTrue();
        assertThat(holds(three, 3, new Epoch(2, 1))).isFalse();
        assertThat(holds(one, 1, new Epoch(2, 2))).isFalse();
        assertThat(race(three, new Epoch(2, 3), 3).outcome()).isEqualTo(RaceOutcome.LOST);
        assertThat(one.check(CALL)).isEqualTo(DeviceHealth.HEALTHY);
    }

    @Test
    void ofTwoDisjointMembershipsRacingAtOnceExactlyOneWins() throws Exception {
        ExecutorService racers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                QuorumServer server = QuorumServer.start(QuorumServerConfig.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        tmp.resolve("race-" + round), Map.of("alpha", alphaKey)));
                toClose.add(server);
                QuorumServerDevice one = device(server, "alpha", 1, alphaKey);
                QuorumServerDevice three = device(server, "alpha", 3, alphaKey);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<RaceResult> left = racers.submit(() -> {
                    start.await();
                    return race(one, new Epoch(5, 1), 1, 2);
                });
                Future<RaceResult> right = racers.submit(() -> {
                    start.await();
                    return race(three, new Epoch(5, 3), 3);
                });
                List<RaceOutcome> outcomes = List.of(left.get().outcome(), right.get().outcome());
                assertThat(outcomes).as("round " + round).containsExactlyInAnyOrder(RaceOutcome.WON, RaceOutcome.LOST);
            }
        } finally {
            racers.shutdownNow();
        }
    }

    @Test
    void aLaterRaceEndsTheHoldEvenWhenItRegistersTheNodeAgain() throws Exception {
        QuorumServer server = startServer(0);
        QuorumServerDevice one = device(server, "alpha", 1, alphaKey);
        QuorumServerDevice two = device(server, "alpha", 2, alphaKey);
        race(one, new Epoch(2, 1), 1, 2);
        assertThat(race(two, new Epoch(3, 2), 1, 2).outcome()).isEqualTo(RaceOutcome.WON);
        assertThat(holds(one, 1, new Epoch(2, 1))).isFalse();
        assertThat(holds(one, 1, new Epoch(3, 2))).isTrue();
    }

    @Test
    void theCommittedMembershipComesBackWithEveryLaterRace() throws Exception {
        QuorumServer server = startServer(0);
        QuorumServerDevice one = device(server, "alpha", 1, alphaKey);
        QuorumServerDevice three = device(server, "alpha", 3, alphaKey);
        race(one, new Epoch(2, 1), 1, 2);
        CommittedMembership committed = new CommittedMembership(2, 1, Set.of(1, 2));

        assertThat(one.recordCommittedMembership(committed, CALL)).isTrue();
        assertThat(three.recordCommittedMembership(new CommittedMembership(2, 3, Set.of(3)), CALL)).as("node 3 was preempted").isFalse();

        RaceResult lost = race(three, new Epoch(3, 3), 3);
        assertThat(lost.outcome()).isEqualTo(RaceOutcome.LOST);
        assertThat(lost.lastCommitted()).contains(committed);
        assertThat(race(one, new Epoch(3, 1), 1, 2).lastCommitted()).contains(committed);
    }

    @Test
    void aRacerTheServerIsNotToldIsConnectedGetsUnknown() throws Exception {
        QuorumServer server = startServer(0);
        QuorumServerDevice seven = new QuorumServerDevice("qs", server.address(), "alpha", 7, CONNECTED, alphaKey, INCARNATIONS.incrementAndGet());
        toClose.add(seven);
        assertThat(race(seven, new Epoch(2, 7), 7, 1)).isEqualTo(new RaceResult(RaceOutcome.UNKNOWN, Optional.empty(), Set.of()));
    }

    @Test
    void aRestartedServerKeepsRegistrationsHolderAndCommittedMembership() throws Exception {
        QuorumServer server = startServer(0);
        int port = server.address().getPort();
        QuorumServerDevice one = device(server, "alpha", 1, alphaKey);
        QuorumServerDevice three = device(server, "alpha", 3, alphaKey);
        race(one, new Epoch(2, 1), 1, 2);
        one.recordCommittedMembership(new CommittedMembership(2, 1, Set.of(1, 2)), CALL);
        server.close();

        QuorumServer restarted = startServer(port);

        assertThat(holds(one, 1, new Epoch(2, 1))).as("the same client reconnects").isTrue();
        assertThat(holds(three, 3, new Epoch(2, 1))).isFalse();
        RaceResult lost = race(three, new Epoch(3, 3), 3);
        assertThat(lost.outcome()).isEqualTo(RaceOutcome.LOST);
        assertThat(lost.lastCommitted()).contains(new CommittedMembership(2, 1, Set.of(1, 2)));
        assertThat(restarted.deviceState("alpha").orElseThrow().registered()).containsExactly(1, 2);
    }

    @Test
    void twoClustersOnOneServerStaySeparate() throws Exception {
        QuorumServer server = startServer(0);
        QuorumServerDevice alphaOne = device(server, "alpha", 1, alphaKey);
        QuorumServerDevice betaThree = device(server, "beta", 3, betaKey);
        race(alphaOne, new Epoch(2, 1), 1, 2);
        alphaOne.recordCommittedMembership(new CommittedMembership(2, 1, Set.of(1, 2)), CALL);

        RaceResult beta = race(betaThree, new Epoch(2, 3), 3);

        assertThat(beta).isEqualTo(new RaceResult(RaceOutcome.WON, Optional.empty(), Set.of(1, 2)));
        assertThat(holds(alphaOne, 1, new Epoch(2, 1))).isTrue();
        assertThat(server.deviceState("alpha").orElseThrow().registered()).containsExactly(1, 2);
        assertThat(server.deviceState("beta").orElseThrow().registered()).containsExactly(3);
        assertThat(Files.readString(tmp.resolve("qs/beta.state"))).contains("cluster: beta\n", "holder: 2.3\n", "committed: none\n");
    }

    // ---- keys, bad peers, replays ------------------------------------------------------------

    @Test
    void aClientWithTheWrongKeyIsNotAnswered() throws Exception {
        QuorumServer server = startServer(0);
        QuorumServerDevice impostor = device(server, "alpha", 1, ClusterKey.generate());
        QuorumServerDevice betaKeyForAlpha = device(server, "alpha", 2, betaKey);

        assertThat(race(impostor, new Epoch(2, 1), 1, 2).outcome()).isEqualTo(RaceOutcome.UNKNOWN);
        assertThat(betaKeyForAlpha.check(CALL)).isNotEqualTo(DeviceHealth.HEALTHY);

        QuorumServer.Stats stats = server.stats();
        assertThat(stats.rejected()).isGreaterThanOrEqualTo(2);
        assertThat(stats.answered()).isZero();
        assertThat(server.deviceState("alpha")).as("nothing changed").isEmpty();
        assertThat(race(device(server, "alpha", 1, alphaKey), new Epoch(2, 1), 1, 2).outcome()).isEqualTo(RaceOutcome.WON);
    }

    @Test
    void garbageOnTheSocketClosesThatConnectionOnly() throws Exception {
        QuorumServer server = startServer(0);
        byte[] random = new byte[4_000];
        new Random(7).nextBytes(random);
        random[0] = 0x7f;

        sendAndAwaitClose(server, random);
        sendAndAwaitClose(server, new byte[] {0, 0, 0, 0});
        sendAndAwaitClose(server, envelope("gamma", new byte[64]));
        sendAndAwaitClose(server, envelope("alpha", new byte[64]));
        sendAndAwaitClose(server, new byte[] {0, 0, 0, 9, 0, 1, 2});
        sendAndAwaitClose(server, sealedRequest(new Sealer(alphaKey, 2, 5), "not a request".getBytes()));

        QuorumServer.Stats stats = server.stats();
        assertThat(stats.malformed()).isEqualTo(4);
        assertThat(stats.unknownCluster()).isEqualTo(1);
        assertThat(stats.rejected()).isEqualTo(1);
        assertThat(stats.answered()).isZero();
        assertThat(race(device(server, "alpha", 1, alphaKey), new Epoch(2, 1), 1, 2).outcome()).isEqualTo(RaceOutcome.WON);
    }

    @Test
    void aFrameRecordedBeforeARestartIsNotAnsweredAfterIt() throws Exception {
        QuorumServer server = startServer(0);
        int port = server.address().getPort();
        QuorumProtocol.Request request = new QuorumProtocol.Request("alpha", 1, QuorumProtocol.Op.RACE, new TreeSet<>(CONNECTED),
                new Epoch(2, 3), new TreeSet<>(Set.of(3)), 3);
        byte[] recorded = sealedRequest(new Sealer(alphaKey, 3, 77), QuorumProtocol.encode(request));
        assertThat(sendAndReadReply(server.address(), recorded)).as("answered the first time").isTrue();
        assertThat(race(device(server, "alpha", 3, alphaKey), new Epoch(3, 3), 1, 2, 3).outcome()).isEqualTo(RaceOutcome.WON);
        server.close();

        QuorumServer restarted = startServer(port);
        assertThat(sendAndReadReply(restarted.address(), recorded)).as("the replay is not answered").isFalse();

        assertThat(restarted.stats().replayed()).isEqualTo(1);
        assertThat(restarted.deviceState("alpha").orElseThrow().holder()).as("answered, the replay would have won").contains(new Epoch(3, 3));
        assertThat(restarted.deviceState("alpha").orElseThrow().registered()).containsExactly(1, 2, 3);
    }

    @Test
    void aReplyToAnEarlierRequestIsSkipped_fakeServerSendsAStaleReplyFirst() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Thread answering = Thread.ofVirtual().start(() -> answerWithAStaleReplyFirst(fake));
            QuorumServerDevice device = device((InetSocketAddress) fake.getLocalSocketAddress(), "alpha", 1, alphaKey);
            RaceResult result = assertTimeoutPreemptively(HANG_GUARD, () -> race(device, new Epoch(2, 1), 1, 2));
            assertThat(result).isEqualTo(new RaceResult(RaceOutcome.WON, Optional.empty(), Set.of(3)));
            answering.interrupt();
        }
    }

    // ---- timeouts ----------------------------------------------------------------------------

    @Test
    void anAbsentServerGivesUnknownAndFailed() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocket closedAgain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = (InetSocketAddress) closedAgain.getLocalSocketAddress();
        }
        QuorumServerDevice device = device(nobody, "alpha", 1, alphaKey);
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            assertThat(race(device, new Epoch(2, 1), 1, 2).outcome()).isEqualTo(RaceOutcome.UNKNOWN);
            assertThat(holds(device, 1, new Epoch(2, 1))).isFalse();
            assertThat(device.recordCommittedMembership(new CommittedMembership(2, 1, Set.of(1)), CALL)).isFalse();
            assertThat(device.check(CALL)).isEqualTo(DeviceHealth.FAILED);
        });
    }

    @Test
    void aServerThatNeverAnswersGivesUnknownWithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread accepting = Thread.ofVirtual().start(() -> acceptAndHold(silent, held));
            QuorumServerDevice device = device((InetSocketAddress) silent.getLocalSocketAddress(), "alpha", 1, alphaKey);
            Duration shortCall = Duration.ofMillis(300);
            assertTimeoutPreemptively(HANG_GUARD, () -> {
                assertThat(device.race(2, 1, Set.of(1, 2), shortCall).outcome()).isEqualTo(RaceOutcome.UNKNOWN);
                assertThat(device.holds(1, 2, 1, shortCall)).isFalse();
                assertThat(device.recordCommittedMembership(new CommittedMembership(2, 1, Set.of(1)), shortCall)).isFalse();
                assertThat(device.check(shortCall)).isEqualTo(DeviceHealth.UNKNOWN);
                assertThat(device.check(Duration.ZERO)).isEqualTo(DeviceHealth.UNKNOWN);
            });
            accepting.interrupt();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void anInterruptedCallerGetsInterruptedException() throws Exception {
        QuorumServer server = startServer(0);
        QuorumServerDevice device = device(server, "alpha", 1, alphaKey);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> device.check(CALL)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(device.check(CALL)).isEqualTo(DeviceHealth.HEALTHY);
    }

    @Test
    void aClosedDeviceAnswersNothing() throws Exception {
        QuorumServer server = startServer(0);
        QuorumServerDevice device = device(server, "alpha", 1, alphaKey);
        device.close();
        assertThat(race(device, new Epoch(2, 1), 1, 2).outcome()).isEqualTo(RaceOutcome.UNKNOWN);
        assertThat(device.check(CALL)).isEqualTo(DeviceHealth.FAILED);
        assertThat(server.deviceState("alpha")).isEmpty();
    }

    // ---- construction and configuration -----------------------------------------------------

    @Test
    void aSecondDeviceForTheSameNodeAndIncarnationIsRefused() {
        InetSocketAddress anywhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        new QuorumServerDevice("qs", anywhere, "alpha", 1, CONNECTED, alphaKey, 42).close();
        assertThatThrownBy(() -> new QuorumServerDevice("qs", anywhere, "alpha", 1, CONNECTED, alphaKey, 42))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("would repeat its nonces");
        assertThatThrownBy(() -> new QuorumServerDevice("qs", anywhere, "alpha", 0, CONNECTED, alphaKey, 43))
                .hasMessage("node id 0 is outside 1..64");
        assertThatThrownBy(() -> new QuorumServerDevice("qs", anywhere, "al pha", 1, CONNECTED, alphaKey, 44))
                .hasMessageContaining("cluster name 'al pha' must match");
    }

    @Test
    void aConfigurationWithSharedKeysOrBadNamesIsRefused() {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        assertThatThrownBy(() -> QuorumServerConfig.of(any, tmp, Map.of("alpha", alphaKey, "beta", alphaKey)))
                .hasMessage("clusters alpha and beta use the same key; give each cluster its own");
        assertThatThrownBy(() -> QuorumServerConfig.of(any, tmp, Map.of("../x", alphaKey)))
                .hasMessageContaining("cluster name '../x' must match");
        assertThatThrownBy(() -> QuorumServerConfig.of(any, tmp, Map.of())).hasMessage("a quorum server serves at least one cluster");
    }

    @Test
    void aDamagedClusterRecordStopsTheServerFromStarting() throws Exception {
        QuorumServer server = startServer(0);
        race(device(server, "alpha", 1, alphaKey), new Epoch(2, 1), 1, 2);
        server.close();
        Path file = tmp.resolve("qs/alpha.state");
        Files.writeString(file, Files.readString(file).replace("holder: 2.1", "holder: two"));

        assertThatThrownBy(() -> startServer(0))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ": 'holder' is not an epoch")
                .hasMessageContaining("refusing to start");
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static byte[] envelope(String cluster, byte[] frame) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        QuorumProtocol.writeEnvelope(new DataOutputStream(bytes), cluster, frame);
        return bytes.toByteArray();
    }

    private static byte[] sealedRequest(Sealer sealer, byte[] plaintext) throws IOException {
        return envelope("alpha", sealer.seal(QuorumProtocol.STREAM, plaintext));
    }

    /** Sends bytes and reads until the server closes the connection; returns what came back. */
    private static byte[] sendAndAwaitClose(QuorumServer server, byte[] bytes) throws IOException {
        try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
            socket.setSoTimeout((int) HANG_GUARD.toMillis());
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            byte[] answer = socket.getInputStream().readAllBytes();
            assertThat(answer).as("nothing answered").isEmpty();
            return answer;
        }
    }

    /** True when the server answered with an envelope, false when it closed the connection instead. */
    private static boolean sendAndReadReply(InetSocketAddress server, byte[] bytes) throws IOException {
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout((int) HANG_GUARD.toMillis());
            socket.getOutputStream().write(bytes);
            InputStream in = socket.getInputStream();
            return in.read() >= 0;
        }
    }

    /**
     * A fake server: answers each request first with sealed replies that are not its own (the
     * previous request id; the right id but another incarnation), then with the right one.
     */
    private void answerWithAStaleReplyFirst(ServerSocket fake) {
        Sealer sealer = new Sealer(alphaKey, QuorumProtocol.SERVER_SENDER_ID, 1);
        dev.baton.runtime.wire.Opener opener = new dev.baton.runtime.wire.Opener(alphaKey);
        try (Socket socket = fake.accept()) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                byte[] frame = QuorumProtocol.readEnvelope(in).frame();
                dev.baton.runtime.wire.Opened opened = opener.open(frame, 0, frame.length);
                QuorumProtocol.Request request = QuorumProtocol.decodeRequest(opened.plaintext());
                for (QuorumProtocol.Reply reply : List.of(
                        raceReply(request.requestId() - 1, opened.senderId(), opened.incarnation(), RaceOutcome.LOST),
                        raceReply(request.requestId(), opened.senderId(), opened.incarnation() - 1, RaceOutcome.LOST),
                        raceReply(request.requestId(), opened.senderId(), opened.incarnation(), RaceOutcome.WON))) {
                    QuorumProtocol.writeEnvelope(out, "alpha", sealer.seal(QuorumProtocol.STREAM, QuorumProtocol.encode(reply)));
                }
            }
        } catch (Exception e) {
            // the connection ended; the test's own assertions say whether the device got its answer
        }
    }

    private static QuorumProtocol.Reply raceReply(long requestId, int node, long incarnation, RaceOutcome outcome) {
        return new QuorumProtocol.Reply(requestId, node, incarnation, QuorumProtocol.Op.RACE, "", outcome, Optional.empty(),
                new TreeSet<>(Set.of(3)), false);
    }

    private static void acceptAndHold(ServerSocket silent, List<Socket> held) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Socket s = silent.accept();
                synchronized (held) {
                    held.add(s);
                }
            } catch (IOException e) {
                return;
            }
        }
    }
}
