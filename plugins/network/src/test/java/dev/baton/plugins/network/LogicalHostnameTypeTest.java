package dev.baton.plugins.network;

import dev.baton.api.method.ResultCode;
import dev.baton.plugins.network.NamespaceMethods.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The logical_hostname type on hosts made of network namespaces on one bridge: n1 takes addresses
 * over, n3 held them before, n2 is a peer whose neighbour table shows who it sends to. Methods run
 * inside n1's and n3's namespaces (a JVM each). Every test uses its own address.
 *
 * <pre>
 *   n1  eth0 (br0) 10.99.0.1/24 10.97.0.1/24 fd00:99::1/64    eth1 (br1) 10.98.0.1/24 10.97.0.11/24
 *   n2  eth0 (br0) 10.99.0.2/24 fd00:99::2/64
 *   n3  eth0 (br0) 10.99.0.3/24 fd00:99::3/64
 * </pre>
 * 10.97.0.0/24 is on both adapters of n1: an address there has no unique default adapter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogicalHostnameTypeTest {
    /** How long a peer may take to show a new MAC: far above the 10–30 ms seen, far below the ≥15 s a cache entry lives. */
    private static final long PEER_UPDATE_BOUND_MS = 3_000;
    /** How long the control test watches the peer keep the old MAC when nothing is announced. */
    private static final long NO_ANNOUNCEMENT_WATCH_MS = 1_500;

    private NetnsLab lab;
    private NetnsLab.Node n1;
    private NetnsLab.Node n2;
    private NetnsLab.Node n3;
    private NamespaceMethods on1;
    private NamespaceMethods on3;

    @BeforeAll
    void buildHosts() throws Exception {
        Optional<String> unavailable = NetnsLab.unavailableBecause();
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        lab = NetnsLab.open();
        n1 = lab.node("n1");
        n2 = lab.node("n2");
        n3 = lab.node("n3");
        lab.plug(n1, "eth0", "br0", "10.99.0.1/24", "10.97.0.1/24", "fd00:99::1/64");
        lab.plug(n1, "eth1", "br1", "10.98.0.1/24", "10.97.0.11/24");
        lab.plug(n2, "eth0", "br0", "10.99.0.2/24", "fd00:99::2/64");
        lab.plug(n3, "eth0", "br0", "10.99.0.3/24", "fd00:99::3/64");
        on1 = NamespaceMethods.launch(n1);
        on3 = NamespaceMethods.launch(n3);
    }

    @AfterAll
    void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {on1, on3, lab}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("teardown: " + e);
            }
        }
    }

    private static Map<String, String> props(String address, String... more) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Address", address);
        for (int i = 0; i + 1 < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    private static void expect(Reply r, ResultCode code) {
        assertThat(r.code()).as("%s", r).isEqualTo(code);
    }

    // ---- start, stop, probe ----

    @Test
    void startPutsTheAddressOnTheAdapterWhoseSubnetHoldsItWithThatPrefix() {
        Map<String, String> p = props("10.99.0.101");
        Reply start = on1.start("vip", p);
        expect(start, ResultCode.SUCCESS);
        assertThat(start.message()).contains("10.99.0.101/24 on eth0").contains("announcing 2x with arping");
        assertThat(lab.addressLines(n1, "10.99.0.101")).singleElement().asString()
                .contains("eth0").contains("inet 10.99.0.101/24");
        expect(on1.probe("vip", p), ResultCode.RUNNING);
        expect(on1.stop("vip", p), ResultCode.SUCCESS);
        assertThat(lab.addressLines(n1, "10.99.0.101")).isEmpty();
    }

    @Test
    void startTwiceIsIdempotentAndReannounces() {
        Map<String, String> p = props("10.99.0.102");
        expect(on1.start("vip", p), ResultCode.SUCCESS);
        Reply again = on1.start("vip", p);
        expect(again, ResultCode.SUCCESS);
        assertThat(again.message()).contains("already on eth0").contains("announcing");
        assertThat(lab.addressLines(n1, "10.99.0.102")).hasSize(1);
        expect(on1.probe("vip", p), ResultCode.RUNNING);
        expect(on1.stop("vip", p), ResultCode.SUCCESS);
    }

    @Test
    void stopTwiceIsIdempotentAndStopOfANeverStartedAddressSucceeds() {
        Map<String, String> p = props("10.99.0.103");
        Reply never = on1.stop("vip", p);
        expect(never, ResultCode.SUCCESS);
        assertThat(never.message()).contains("not configured");
        expect(on1.start("vip", p), ResultCode.SUCCESS);
        Reply first = on1.stop("vip", p);
        expect(first, ResultCode.SUCCESS);
        assertThat(first.message()).contains("removed 10.99.0.103 from eth0");
        expect(on1.stop("vip", p), ResultCode.SUCCESS);
        assertThat(lab.addressLines(n1, "10.99.0.103")).isEmpty();
        expect(on1.probe("vip", p), ResultCode.NOT_RUNNING);
    }

    @Test
    void probeIsNotRunningThenRunningThenFailedWhenTheCableIsPulled() {
        Map<String, String> p = props("10.99.0.104");
        Reply absent = on1.probe("vip", p);
        expect(absent, ResultCode.NOT_RUNNING);
        assertThat(absent.message()).contains("not configured");
        expect(on1.start("vip", p), ResultCode.SUCCESS);
        expect(on1.probe("vip", p), ResultCode.RUNNING);
        try {
            lab.cable(n1, "eth0", false);
            Reply cut = on1.probe("vip", p);
            expect(cut, ResultCode.FAILED);
            assertThat(cut.message()).contains("adapter is down").contains("eth0 has no carrier");
        } finally {
            lab.cable(n1, "eth0", true);
        }
        expect(on1.probe("vip", p), ResultCode.RUNNING);
        expect(on1.stop("vip", p), ResultCode.SUCCESS);
    }

    @Test
    void startRefusesAnAdapterWithoutCarrierAndConfiguresNothing() {
        Map<String, String> p = props("10.99.0.105");
        try {
            lab.cable(n1, "eth0", false);
            Reply start = on1.start("vip", p);
            expect(start, ResultCode.FAILED);
            assertThat(start.message()).contains("eth0 has no carrier");
        } finally {
            lab.cable(n1, "eth0", true);
        }
        assertThat(lab.addressLines(n1, "10.99.0.105")).isEmpty();
    }

    @Test
    void aNamedAdapterAndPrefixAreUsedAsGivenAndProbeChecksTheAdapter() {
        Map<String, String> p = props("10.99.0.106/32", "Adapter", "eth1");
        expect(on1.start("vip", p), ResultCode.SUCCESS);
        assertThat(lab.addressLines(n1, "10.99.0.106")).singleElement().asString()
                .contains("eth1").contains("inet 10.99.0.106/32");
        expect(on1.probe("vip", p), ResultCode.RUNNING);
        Reply elsewhere = on1.probe("vip", props("10.99.0.106", "Adapter", "eth0"));
        expect(elsewhere, ResultCode.FAILED);
        assertThat(elsewhere.message()).contains("is on eth1, not on Adapter eth0");
        expect(on1.stop("vip", p), ResultCode.SUCCESS);
    }

    @Test
    void startMovesTheAddressFromAnotherAdapterOfTheNode() {
        expect(on1.start("vip", props("10.99.0.107")), ResultCode.SUCCESS);
        Map<String, String> onEth1 = props("10.99.0.107/24", "Adapter", "eth1");
        expect(on1.start("vip", onEth1), ResultCode.SUCCESS);
        assertThat(lab.addressLines(n1, "10.99.0.107")).singleElement().asString().contains("eth1");
        expect(on1.stop("vip", onEth1), ResultCode.SUCCESS);
        assertThat(lab.addressLines(n1, "10.99.0.107")).isEmpty();
    }

    @Test
    void startWithTwoMatchingAdaptersFailsHardNamingBoth() {
        Reply start = on1.start("vip", props("10.97.0.50"));
        expect(start, ResultCode.FAILED_HARD);
        assertThat(start.message()).contains("Adapter").contains("eth0: ").contains("eth1: ").contains("10.97.0.50");
        assertThat(lab.addressLines(n1, "10.97.0.50")).isEmpty();
    }

    // ---- IP takeover ----

    @Test
    void ipv4TakeoverTheGratuitousArpMovesThePeersEntryToTheNewOwner() {
        String addr = "10.99.0.110";
        Takeover t = takeOver(addr, props(addr));
        assertThat(lab.neighbourMac(n2, addr)).contains(lab.mac(n1, "eth0"));
        System.out.println("[timing] IPv4 takeover: " + t);
        expect(on1.stop("vip", props(addr)), ResultCode.SUCCESS);
    }

    @Test
    void ipv4WithoutAnnouncementsThePeerKeepsTheOldOwnersMac() {
        String addr = "10.99.0.111";
        Takeover t = takeOver(addr, props(addr, "Announce_count", "0"));
        assertThat(t.peerSwitchedMs()).as("the peer switched by itself").isEqualTo(-1);
        assertThat(lab.neighbourMac(n2, addr)).contains(lab.mac(n3, "eth0"));
        expect(on1.stop("vip", props(addr)), ResultCode.SUCCESS);
    }

    @Test
    void ipv6StartProbeStopAndTheNeighbourAdvertisementMovesThePeersEntry() {
        String addr = "fd00:99::110";
        Map<String, String> p = props(addr);
        Takeover t = takeOver(addr, p);
        assertThat(lab.neighbourMac(n2, addr)).contains(lab.mac(n1, "eth0"));
        System.out.println("[timing] IPv6 takeover: " + t);
        assertThat(lab.addressLines(n1, addr)).singleElement().asString()
                .contains("inet6 " + addr + "/64").contains("nodad").doesNotContain("tentative");
        expect(on1.probe("vip", p), ResultCode.RUNNING);
        expect(on1.stop("vip", p), ResultCode.SUCCESS);
        expect(on1.probe("vip", p), ResultCode.NOT_RUNNING);
        assertThat(lab.addressLines(n1, addr)).isEmpty();
    }

    /**
     * n3 holds the address and n2 has sent to it; n3 stops, n1 starts with these properties (and
     * keeps the address: the caller stops it).
     * Says how long n1's start took and how many ms after it returned n2's entry showed n1's MAC
     * (-1 if not within {@link #PEER_UPDATE_BOUND_MS}, {@link #NO_ANNOUNCEMENT_WATCH_MS} when nothing is announced).
     */
    private Takeover takeOver(String addr, Map<String, String> onN1) {
        Map<String, String> onN3 = props(addr);
        expect(on3.start("vip", onN3), ResultCode.SUCCESS);
        lab.sendUdp(n2, addr);
        String oldMac = lab.mac(n3, "eth0");
        assertThat(waitFor(() -> lab.neighbourMac(n2, addr).filter(oldMac::equals).isPresent(), PEER_UPDATE_BOUND_MS))
                .as("n2 resolved %s to n3's MAC", addr).isGreaterThanOrEqualTo(0);
        expect(on3.stop("vip", onN3), ResultCode.SUCCESS);

        Reply start = on1.start("vip", onN1);
        expect(start, ResultCode.SUCCESS);
        String newMac = lab.mac(n1, "eth0");
        long watchMs = "0".equals(onN1.get("Announce_count")) ? NO_ANNOUNCEMENT_WATCH_MS : PEER_UPDATE_BOUND_MS;
        long peerMs = waitFor(() -> lab.neighbourMac(n2, addr).filter(newMac::equals).isPresent(), watchMs);
        return new Takeover(start.wallMicros(), peerMs);
    }

    private record Takeover(long startMicros, long peerSwitchedMs) {
        @Override
        public String toString() {
            return String.format("start took %.1f ms on n1; n2's neighbour entry showed n1's MAC %d ms after start returned"
                    + " (polled with ip neigh, a few ms per poll)", startMicros / 1000.0, peerSwitchedMs);
        }
    }

    /** Polls until the condition holds: the ms it took, or -1 when it did not within boundMs. */
    private static long waitFor(Supplier<Boolean> condition, long boundMs) {
        long start = System.nanoTime();
        while (true) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (condition.get()) {
                return ms;
            }
            if (ms > boundMs) {
                return -1;
            }
            Thread.onSpinWait();
        }
    }

    // ---- validate ----

    @Test
    void validateAcceptsAnAddressInExactlyOneSubnet() {
        Reply r = on1.validate(props("10.99.0.120"));
        expect(r, ResultCode.SUCCESS);
        assertThat(r.message()).isEqualTo("10.99.0.120/24 on eth0");
        expect(on1.validate(props("fd00:99::120")), ResultCode.SUCCESS);
        expect(on1.validate(props("10.98.0.120/28", "Adapter", "eth1")), ResultCode.SUCCESS);
        expect(on1.validate(Map.of("address", "10.99.0.120", "adapter", "eth0", "announce_count", "1")), ResultCode.SUCCESS);
    }

    @Test
    void validateNamesTheAddressWhenItIsNotOne() {
        for (String bad : List.of("10.99.0.300", "10.99.0", "not-an-address", "fd00:99:::1", "010.99.0.1")) {
            Reply r = on1.validate(props(bad));
            expect(r, ResultCode.CONFIG_ERROR);
            assertThat(r.problemProperties()).as(bad).containsExactly("Address");
            assertThat(r.problemText("Address")).contains("'" + bad + "' is not an IPv4 or IPv6 address");
        }
    }

    @Test
    void validateNamesTheAddressWhenThePrefixIsOutOfRangeOrTheAddressIsSpecial() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("10.99.0.121/33", "not a number from 1 to 32");
        cases.put("fd00:99::121/129", "not a number from 1 to 128");
        cases.put("10.99.0.121/0", "not a number from 1 to 32");
        cases.put("127.0.0.5", "a loopback address");
        cases.put("fe80::5", "a link-local address");
        cases.put("ff02::1", "a multicast address");
        cases.forEach((bad, why) -> {
            Reply r = on1.validate(props(bad));
            expect(r, ResultCode.CONFIG_ERROR);
            assertThat(r.problemProperties()).as(bad).containsExactly("Address");
            assertThat(r.problemText("Address")).as(bad).contains(why);
        });
    }

    @Test
    void validateNamesTheAdapterWhenNoSubnetHoldsTheAddress() {
        Reply r = on1.validate(props("192.168.77.5"));
        expect(r, ResultCode.CONFIG_ERROR);
        assertThat(r.problemProperties()).containsExactly("Adapter");
        assertThat(r.problemText("Adapter")).contains("no adapter of node").contains("192.168.77.5")
                .contains("eth0: 10.99.0.1/24 10.97.0.1/24").contains("eth1: 10.98.0.1/24 10.97.0.11/24");
    }

    @Test
    void validateNamesTheAdapterWhenTwoSubnetsHoldTheAddress() {
        Reply r = on1.validate(props("10.97.0.50"));
        expect(r, ResultCode.CONFIG_ERROR);
        assertThat(r.problemProperties()).containsExactly("Adapter");
        assertThat(r.problemText("Adapter")).contains("2 adapters").contains("eth0: ").contains("eth1: ")
                .contains("set Adapter to one of them");
        expect(on1.validate(props("10.97.0.50", "Adapter", "eth1")), ResultCode.SUCCESS);
    }

    @Test
    void validateNamesTheAdapterWhenItDoesNotExistAndTheAddressWhenTheNamedAdapterHasNoSubnetForIt() {
        Reply missing = on1.validate(props("10.99.0.122", "Adapter", "eth9"));
        expect(missing, ResultCode.CONFIG_ERROR);
        assertThat(missing.problemProperties()).containsExactly("Adapter");
        assertThat(missing.problemText("Adapter")).contains("'eth9' is not an adapter of node").contains("eth0").contains("eth1");

        Reply noPrefix = on1.validate(props("10.99.0.122", "Adapter", "eth1"));
        expect(noPrefix, ResultCode.CONFIG_ERROR);
        assertThat(noPrefix.problemProperties()).containsExactly("Address");
        assertThat(noPrefix.problemText("Address")).contains("has no /PREFIX").contains("10.99.0.122/PREFIX");
    }

    @Test
    void theFrameworkRefusesAnAnnounceCountOutOfRange() {
        Reply r = on1.validate(props("10.99.0.123", "Announce_count", "11"));
        expect(r, ResultCode.CONFIG_ERROR);
        assertThat(r.problemProperties()).containsExactly("Announce_count");
    }

    // ---- how long the methods take ----

    @Test
    void startAndProbeDurationsArePrinted() {
        printTimings("IPv4", "10.99.0.130");
        printTimings("IPv6", "fd00:99::130");
    }

    private void printTimings(String family, String addr) {
        Map<String, String> p = props(addr);
        List<Long> start = new ArrayList<>();
        List<Long> probe = new ArrayList<>();
        List<Long> probeAbsent = new ArrayList<>();
        List<Long> stop = new ArrayList<>();
        int warmup = 5;
        int rounds = 25;
        for (int i = 0; i < warmup + rounds; i++) {
            Reply absent = on1.probe("vip", p);
            Reply s = on1.start("vip", p);
            Reply r = on1.probe("vip", p);
            Reply t = on1.stop("vip", p);
            expect(absent, ResultCode.NOT_RUNNING);
            expect(s, ResultCode.SUCCESS);
            expect(r, ResultCode.RUNNING);
            expect(t, ResultCode.SUCCESS);
            if (i >= warmup) {
                probeAbsent.add(absent.wallMicros());
                start.add(s.wallMicros());
                probe.add(r.wallMicros());
                stop.add(t.wallMicros());
            }
        }
        System.out.printf("[timing] %s, %d calls each on a warm method JVM in n1's namespace (ms): start %s; probe %s;"
                + " probe when absent %s; stop %s%n", family, rounds, summary(start), summary(probe), summary(probeAbsent),
                summary(stop));
    }

    private static String summary(List<Long> micros) {
        List<Long> sorted = micros.stream().sorted().toList();
        return String.format("median %.1f, p90 %.1f, max %.1f", sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get(sorted.size() * 9 / 10) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    }
}
