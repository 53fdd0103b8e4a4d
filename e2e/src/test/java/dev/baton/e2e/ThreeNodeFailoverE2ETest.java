package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.e2e.testbed.ServingObserver;
import dev.baton.e2e.testbed.Testbed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 5 item 8 (a), (b), (e), (f), (g), (h) with real daemons: three nodes, one IP network, a
 * group of a logical hostname and a real apache. The daemons start once for the class (JIT warm-up
 * and plugin loading are paid once, item 11) and the scenarios run in order on the same cluster,
 * each starting from wherever the previous one left the group. The observer (e) samples every
 * node's namespace every 10 ms for the whole class and every scenario ends by checking that no two
 * nodes ever served the address at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodeFailoverE2ETest {
    private static final Duration MEMBERSHIP = Duration.ofSeconds(60);
    private static final Duration MOVE = Duration.ofSeconds(20);

    private Testbed bed;
    private BatonCluster cluster;
    private ServingObserver observer;
    private String vip;

    @BeforeAll
    void startCluster() throws Exception {
        bed = Testbed.createWithClient(3, 1);
        cluster = new BatonCluster(bed, 3);
        cluster.createFirst(cluster.description(1));
        cluster.start(1);
        BatonCluster.awaitTrue("node 1's control socket", MEMBERSHIP, () -> cluster.status(1).path("ok").asBoolean());
        cluster.join(2); // bootstrap item 7: the others fetch the description from node 1 with the key
        cluster.join(3);
        cluster.start(2);
        cluster.start(3);
        cluster.awaitMembership(Set.of(1, 2, 3), MEMBERSHIP);
        vip = bed.hostAddress(0, 100);
        observer = ServingObserver.start(bed, vip);
        JsonNode proposed = cluster.propose(1, "rgm", Scenarios.webGroup(bed, vip, "1,2,3"));
        assertThat(proposed.path("ok").asBoolean()).as("rgm table committed: %s", proposed).isTrue();
        BatonCluster.awaitValue("web served by one node", MOVE, observer::servingNodesNow, s -> s.size() == 1);
        Scenarios.awaitHttp(bed, vip, MOVE);
    }

    @AfterAll
    void stop() {
        Scenarios.finish(observer, cluster, bed);
    }

    private int primary() throws InterruptedException {
        return BatonCluster.awaitValue("one serving node", MOVE, observer::servingNodesNow, s -> s.size() == 1)
                .iterator().next();
    }

    private int anotherRunning(int not) {
        for (int n = 1; n <= 3; n++) {
            if (n != not && cluster.daemon(n).map(Process::isAlive).orElse(false)) {
                return n;
            }
        }
        throw new AssertionError("no running daemon besides node " + not);
    }

    @Test
    @Order(1)
    void a_crashOfThePrimaryMovesTheGroupToASurvivor() throws Exception {
        int p = primary();
        cluster.crash(p);
        Set<Integer> now = BatonCluster.awaitValue("web served by a survivor", MOVE, observer::servingNodesNow,
                s -> s.size() == 1 && !s.contains(p));
        Scenarios.awaitHttp(bed, vip, MOVE);
        int survivor = now.iterator().next();
        assertThat(cluster.members(survivor)).doesNotContain(p).hasSize(2);
        assertThat(observer.doubleServing()).isEmpty();
    }

    @Test
    @Order(2)
    void f_aRestartedNodeRejoinsWithoutFailback() throws Exception {
        int serving = primary();
        int crashed = crashedNode();
        // Its disk was damaged too (item 5): the copy of the rgm table is refused at start and fetched from a peer.
        Path table = cluster.state(crashed).resolve("ccr/rgm.tbl");
        Files.writeString(table, Files.readString(table).replace("group web", "group wub"));
        cluster.rebootCrashed(crashed);
        cluster.awaitMembership(Set.of(1, 2, 3), MEMBERSHIP);
        BatonCluster.awaitTrue("node " + crashed + " fetched the rgm table again", MEMBERSHIP, () -> {
            JsonNode s = cluster.status(crashed);
            return s.path("ccrSynced").asBoolean() && s.path("tables").toString().contains("\"rgm\"");
        });
        assertThat(Files.readString(table)).contains("group web");
        assertThat(Files.readString(bed.dir().resolve("batond-n" + crashed + "-2.log"))).contains("ccr/rgm.tbl: checksum mismatch");
        Thread.sleep(3_000); // failback would have happened by now: probes and placement take well under a second
        assertThat(observer.servingNodesNow()).containsExactly(serving);
        assertThat(observer.doubleServing()).isEmpty();
    }

    @Test
    @Order(3)
    void b_plannedSwitchoverMovesTheGroup() throws Exception {
        int from = primary();
        int to = from == 1 ? 2 : 1;
        JsonNode answer = cluster.rgm(anotherRunning(0), "switchover", "web", to);
        assertThat(answer.path("ok").asBoolean()).as("switchover accepted: %s", answer).isTrue();
        BatonCluster.awaitValue("web served by node " + to, MOVE, observer::servingNodesNow, s -> s.equals(Set.of(to)));
        Scenarios.awaitHttp(bed, vip, MOVE);
        assertThat(observer.doubleServing()).isEmpty();
    }

    @Test
    @Order(4)
    void g_killOfTheDaemonAloneLetsTheGuardTakeEverythingDownBeforeASurvivorStarts() throws Exception {
        int p = primary();
        assertThat(Processes.tagged("baton-e2e-" + p)).as("apache runs tagged on node %d", p).isNotEmpty();
        cluster.killDaemon(p);
        BatonCluster.awaitValue("web served by a survivor", MOVE, observer::servingNodesNow, s -> s.size() == 1 && !s.contains(p));
        assertThat(Processes.tagged("baton-e2e-" + p)).as("the guard killed node %d's resource processes", p).isEmpty();
        assertThat(observer.doubleServing()).isEmpty();
        Scenarios.awaitHttp(bed, vip, MOVE);
        cluster.start(p);
        cluster.awaitMembership(Set.of(1, 2, 3), MEMBERSHIP);
    }

    @Test
    @Order(5)
    void h_aDaemonPausedLongerThanItsLeaseNeverServesTwiceNorStartsStaleWork() throws Exception {
        int p = primary();
        long pid = cluster.daemon(p).orElseThrow().pid();
        Scenarios.signal(pid, "STOP");
        try {
            BatonCluster.awaitValue("web served by a survivor", MOVE, observer::servingNodesNow,
                    s -> s.size() == 1 && !s.contains(p));
        } finally {
            Scenarios.signal(pid, "CONT");
        }
        Thread.sleep(2_000); // whatever the paused daemon still had queued would run now
        assertThat(cluster.daemon(p).orElseThrow().isAlive()).as("the guard killed the paused daemon").isFalse();
        assertThat(Processes.tagged("baton-e2e-" + p)).isEmpty();
        assertThat(observer.servingNodesNow()).hasSize(1).doesNotContain(p);
        assertThat(observer.doubleServing()).isEmpty();
        Scenarios.awaitHttp(bed, vip, MOVE);
    }

    @Test
    @Order(6)
    void theControlSocketServesOnlyTheDaemonsUser() throws Exception {
        int n = anotherRunning(0);
        Path socket = dev.baton.runtime.daemon.ControlClient.socketOf(cluster.state(n));
        assertThat(Files.getPosixFilePermissions(socket)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");
        var asNobody = bed.run(n, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "socat", "-",
                "UNIX-CONNECT:" + socket);
        assertThat(asNobody.ok()).as("another user cannot connect: %s", asNobody.describe()).isFalse();
        assertThat(asNobody.stderr()).contains("Permission denied");
        assertThat(cluster.status(n).path("ok").asBoolean()).as("the daemon's own user is served").isTrue();
    }

    @Test
    @Order(7)
    void aRunningDaemonsRecordingReplaysThroughAFreshCore() throws Exception {
        Thread.sleep(1_500); // the recording is flushed at least every second
        int n = anotherRunning(0);
        var replay = bed.run(n, cluster.cli("replay", "--state", cluster.state(n).toString()).toArray(String[]::new));
        assertThat(replay.ok()).as(replay.describe()).isTrue();
        assertThat(replay.stdout()).contains("inputs replayed").contains("MembershipChanged");
    }

    private int crashedNode() {
        for (int n = 1; n <= 3; n++) {
            if (!cluster.daemon(n).map(Process::isAlive).orElse(false)) {
                return n;
            }
        }
        throw new AssertionError("no crashed node");
    }
}
