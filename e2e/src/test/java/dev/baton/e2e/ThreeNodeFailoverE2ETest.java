package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.e2e.testbed.ServingObserver;
import dev.baton.e2e.testbed.Testbed;
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
        cluster.rebootCrashed(crashed);
        cluster.awaitMembership(Set.of(1, 2, 3), MEMBERSHIP);
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

    private int crashedNode() {
        for (int n = 1; n <= 3; n++) {
            if (!cluster.daemon(n).map(Process::isAlive).orElse(false)) {
                return n;
            }
        }
        throw new AssertionError("no crashed node");
    }
}
