package dev.baton.e2e.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.e2e.testbed.ServingObserver.Interval;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The observer's bookkeeping and its reading of ip -json, on made-up samples and recorded ip output. */
class ServingTimelineTest {

    private static final long MS = 1_000_000;

    @Test
    void recordsChangesAndDoubleServingIntervals() {
        ServingTimeline timeline = new ServingTimeline(0);
        sample(timeline, 0, Set.of(1));
        sample(timeline, 10, Set.of(1));
        sample(timeline, 20, Set.of(1, 2));
        sample(timeline, 30, Set.of(2, 3));
        sample(timeline, 40, Set.of(2));

        assertThat(timeline.changes()).extracting(ServingObserver.Sample::sampleNanos).containsExactly(0L, 20 * MS, 30 * MS, 40 * MS);
        assertThat(timeline.doubleServing()).containsExactly(new Interval(20 * MS, 40 * MS, Set.of(1, 2, 3)));
        assertThat(timeline.maxServers()).isEqualTo(2);
    }

    @Test
    void anOngoingDoubleServingHasNoEnd() {
        ServingTimeline timeline = new ServingTimeline(0);
        sample(timeline, 0, Set.of(1, 2));
        assertThat(timeline.doubleServing()).singleElement().satisfies(i -> assertThat(i.ongoing()).isTrue());
    }

    @Test
    void aLongGapAcrossAHandoverIsBlindAndOneWithoutIsOnlyCounted() {
        ServingTimeline timeline = new ServingTimeline(0);
        sample(timeline, 0, Set.of(1));
        sample(timeline, 50, Set.of(1));
        sample(timeline, 60, Set.of(1));
        sample(timeline, 100, Set.of(2));

        assertThat(timeline.gapStats().gapsOverLimit()).isEqualTo(2);
        assertThat(timeline.blindTransitions()).singleElement()
                .satisfies(g -> assertThat(g.before()).containsExactly(1))
                .satisfies(g -> assertThat(g.after()).containsExactly(2));
        assertThat(timeline.gapStats().maxGapNanos()).isEqualTo(51 * MS);
    }

    @Test
    void medianGapComesFromTheHistogram() {
        ServingTimeline timeline = new ServingTimeline(0);
        for (int i = 0; i < 100; i++) {
            sample(timeline, i * 10, Set.of());
        }
        assertThat(timeline.gapStats().medianGapNanos()).isBetween(10 * MS, 12 * MS);
    }

    @Test
    void ipJsonServesOnlyWithUpCarrierAndAUsableAddress() {
        var address = IpAddrJson.literal("10.5.0.100");
        assertThat(IpAddrJson.serves(iface("\"UP\",\"LOWER_UP\"", "\"family\":\"inet\",\"local\":\"10.5.0.100\""), address)).isTrue();
        assertThat(IpAddrJson.serves(iface("\"NO-CARRIER\",\"UP\"", "\"family\":\"inet\",\"local\":\"10.5.0.100\""), address)).isFalse();
        assertThat(IpAddrJson.serves(iface("\"UP\",\"LOWER_UP\"", "\"family\":\"inet\",\"local\":\"10.5.0.101\""), address)).isFalse();
        assertThat(IpAddrJson.serves("[]", address)).isFalse();
        var v6 = IpAddrJson.literal("fd00:0:0::64");
        assertThat(IpAddrJson.serves(iface("\"UP\",\"LOWER_UP\"", "\"family\":\"inet6\",\"local\":\"fd00::64\"},{"), v6)).isTrue();
        assertThat(IpAddrJson.serves(iface("\"UP\",\"LOWER_UP\"", "\"family\":\"inet6\",\"local\":\"fd00::64\",\"tentative\":true"), v6)).isFalse();
    }

    @Test
    void ipJsonRefusesWhatIsNotJsonOrAnAddress() {
        assertThatThrownBy(() -> IpAddrJson.serves("Error: no such device", IpAddrJson.literal("10.0.0.1"))).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> IpAddrJson.literal("node1")).hasMessageContaining("not an IPv4 or IPv6 address literal");
    }

    private static void sample(ServingTimeline timeline, long startMs, Set<Integer> serving) {
        timeline.record(startMs * MS, startMs * MS + MS, serving);
    }

    /** One interface as ip -json address show prints it (abridged). */
    private static String iface(String flags, String addrInfo) {
        return "[{\"ifindex\":3,\"ifname\":\"eth0\",\"flags\":[" + flags + "],\"operstate\":\"UP\",\"addr_info\":[{" + addrInfo + "}]}]";
    }
}
