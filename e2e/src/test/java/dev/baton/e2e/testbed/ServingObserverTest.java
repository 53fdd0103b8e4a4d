package dev.baton.e2e.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.e2e.testbed.ServingObserver.Interval;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServingObserverTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private Testbed tb;
    private String logical;

    @BeforeEach
    void testbed() {
        TestbedAssumptions.assumeNamespaces();
        tb = Testbed.create(3, 2);
        logical = tb.hostAddress(0, 100);
    }

    @AfterEach
    void close() {
        if (tb != null) {
            tb.close();
        }
    }

    @Test
    void reportsTheOneNodeThatHoldsTheAddress() {
        ServingObserver observer = ServingObserver.start(tb, logical);
        assertThat(observer.servingNodesNow()).isEmpty();

        addAddress(1, logical, 0);
        observer.awaitServedBy(1, WAIT);

        assertThat(observer.servingNodesNow()).containsExactly(1);
        assertThat(observer.maxSimultaneousServers()).isEqualTo(1);
        assertThat(observer.doubleServing()).isEmpty();
        observer.assertNeverDoubleServed();
        System.out.println("[observer] " + observer.sampleGapStats() + "; " + observer.schedulingNotes());
    }

    @Test
    void catchesTwoNodesServingForAHundredMilliseconds() throws Exception {
        ServingObserver observer = ServingObserver.start(tb, logical);
        addAddress(1, logical, 0);
        observer.awaitServedBy(1, WAIT);

        long beforeAddNanos = System.nanoTime();
        addAddress(2, logical, 0);
        Thread.sleep(100);
        tb.run(2, "ip", "addr", "del", logical + "/24", "dev", "eth0").requireOk();
        long afterDelNanos = System.nanoTime();
        observer.awaitServers(Set.of(1), WAIT);

        List<Interval> doubles = observer.doubleServing();
        assertThat(doubles).hasSize(1);
        Interval interval = doubles.getFirst();
        assertThat(interval.nodes()).containsExactly(1, 2);
        assertThat(interval.ongoing()).isFalse();
        assertThat(interval.fromNanos()).isGreaterThan(beforeAddNanos).isLessThan(afterDelNanos);
        assertThat(interval.untilNanos()).isGreaterThan(interval.fromNanos());
        assertThat(observer.maxSimultaneousServers()).isEqualTo(2);
        assertThatThrownBy(observer::assertNeverDoubleServed)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("nodes [1, 2] served " + logical + " together")
                .hasMessageContaining("serving [1, 2]")
                .hasMessageContaining("serving [1]");
        System.out.printf("[observer] double serving seen for %.1f ms (held ~100 ms)%n", interval.durationMs());
    }

    @Test
    void anAddressBehindACutBridgePortIsNotServed() {
        ServingObserver observer = ServingObserver.start(tb, logical);
        addAddress(1, logical, 0);
        observer.awaitServedBy(1, WAIT);

        tb.cutNode(1);
        observer.awaitServers(Set.of(), WAIT);
        assertThat(tb.run(1, "ip", "-o", "addr", "show", "dev", "eth0").stdout()).as("still configured").contains(logical);

        tb.restoreNode(1);
        observer.awaitServedBy(1, WAIT);
    }

    @Test
    void onlyTheAdapterHoldingTheAddressMatters() {
        ServingObserver observer = ServingObserver.start(tb, logical);
        addAddress(1, logical, 0);
        observer.awaitServedBy(1, WAIT);

        tb.cutAdapter(1, 1);
        assertThat(observer.awaitServedBy(1, WAIT)).isPositive();
        tb.cutAdapter(1, 0);
        observer.awaitServers(Set.of(), WAIT);
    }

    @Test
    void seesTheAddressRemoved() {
        ServingObserver observer = ServingObserver.start(tb, logical);
        addAddress(3, logical, 0);
        long servedNanos = observer.awaitServedBy(3, WAIT);

        tb.run(3, "ip", "addr", "del", logical + "/24", "dev", "eth0").requireOk();
        long goneNanos = observer.awaitServers(Set.of(), WAIT);

        assertThat(goneNanos).isGreaterThan(servedNanos);
        assertThat(observer.timeline()).extracting(ServingObserver.Sample::servingNodes)
                .containsExactly(Set.of(), Set.of(3), Set.of());
    }

    @Test
    void watchesIpv6Addresses() {
        String v6 = "fd00:99::100";
        ServingObserver observer = ServingObserver.start(tb, v6);
        tb.run(2, "ip", "addr", "add", v6 + "/64", "dev", "eth1").requireOk();
        observer.awaitServedBy(2, WAIT);
        assertThat(observer.servingNodesNow()).containsExactly(2);
    }

    @Test
    void anIpBlockDoesNotChangeWhoServes() {
        TestbedAssumptions.assumeCommand("nft");
        ServingObserver observer = ServingObserver.start(tb, logical);
        addAddress(1, logical, 0);
        observer.awaitServedBy(1, WAIT);
        tb.blockIp(1);
        assertThat(observer.awaitServers(Set.of(1), WAIT)).isPositive();
    }

    @Test
    void refusesHostNamesAndUnknownNodes() {
        assertThatThrownBy(() -> ServingObserver.start(tb, "example.org")).hasMessageContaining("not an IPv4 or IPv6 address literal");
        ServingObserver observer = ServingObserver.start(tb, logical);
        assertThatThrownBy(() -> observer.awaitServedBy(7, WAIT)).hasMessageContaining("node 7 is not observed");
    }

    @Test
    void gapStatsCountRealSamples() throws Exception {
        ServingObserver observer = ServingObserver.start(tb, logical);
        Thread.sleep(500);
        ServingObserver.GapStats stats = observer.sampleGapStats();
        assertThat(stats.samples()).isGreaterThan(10);
        assertThat(stats.medianGapNanos()).isPositive().isLessThanOrEqualTo(stats.maxGapNanos());
        System.out.println("[observer] idle 0.5 s: " + stats + "; " + observer.schedulingNotes());
    }

    private void addAddress(int node, String address, int network) {
        tb.run(node, "ip", "addr", "add", address + "/24", "dev", tb.adapter(network)).requireOk();
    }
}
