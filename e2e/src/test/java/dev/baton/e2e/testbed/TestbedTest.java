package dev.baton.e2e.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestbedTest {

    @BeforeEach
    void needsNamespaces() {
        TestbedAssumptions.assumeNamespaces();
    }

    @Test
    void nodesReachEachOtherOnEveryNetwork() {
        try (Testbed tb = Testbed.create(3, 2)) {
            for (int network = 0; network < 2; network++) {
                assertThat(ping(tb, 1, tb.address(3, network)).ok()).as("n1 -> n3 on network %d", network).isTrue();
            }
            assertThat(tb.run(2, "ip", "-o", "addr", "show", "dev", "eth1").stdout()).contains(tb.address(2, 1) + "/24");
            assertThat(tb.address(2, 1)).isEqualTo(tb.subnetPrefix(1) + ".2");
            assertThat(tb.adapter(1)).isEqualTo("eth1");
        }
    }

    @Test
    void namesAreUniquePerRun() {
        try (Testbed a = Testbed.create(1, 1); Testbed b = Testbed.create(1, 1)) {
            assertThat(a.ns(1)).isNotEqualTo(b.ns(1)).startsWith(a.runId());
            assertThat(a.dir()).isNotEqualTo(b.dir());
            assertThat(namespaces()).contains(a.ns(1), b.ns(1), a.switchNs(), b.switchNs());
        }
    }

    @Test
    void closeKillsStartedAndDetachedProcessesAndDeletesNamespaces() throws Exception {
        Testbed tb = Testbed.createWithClient(2, 1);
        Process started = tb.exec(1, List.of("sleep", "1000"), Map.of(), tb.dir().resolve("sleep.log"));
        long detached = Long.parseLong(tb.run(2, "sh", "-c", "setsid sleep 1000 >/dev/null 2>&1 & echo $!").requireOk().stdout().strip());
        List<String> made = List.of(tb.ns(1), tb.ns(2), tb.clientNs(), tb.switchNs());

        tb.close();

        assertThat(started.isAlive()).isFalse();
        assertThat(ProcessHandle.of(detached).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(namespaces()).doesNotContainAnyElementsOf(made);
        tb.close();
    }

    @Test
    void closeCleansUpAfterAFailureInsideTheTest() {
        String[] made = new String[2];
        assertThatThrownBy(() -> {
            try (Testbed tb = Testbed.create(1, 1)) {
                made[0] = tb.ns(1);
                made[1] = tb.switchNs();
                throw new IllegalStateException("the scenario failed");
            }
        }).hasMessage("the scenario failed");
        assertThat(namespaces()).doesNotContain(made);
    }

    @Test
    void cutNodeTakesCarrierAwayAndRestoreNodeGivesItBack() {
        try (Testbed tb = Testbed.create(2, 2)) {
            tb.cutNode(1);
            assertThat(tb.run(1, "ip", "-o", "link", "show", "dev", "eth1").stdout()).contains("NO-CARRIER");
            assertThat(ping(tb, 2, tb.address(1, 0)).ok()).isFalse();

            tb.restoreNode(1);
            assertThat(tb.run(1, "ip", "-o", "link", "show", "dev", "eth1").stdout()).contains("LOWER_UP");
            assertThat(ping(tb, 2, tb.address(1, 0)).ok()).isTrue();
        }
    }

    @Test
    void blockIpDropsIpTrafficWhileLinksStayUp() {
        TestbedAssumptions.assumeCommand("nft");
        try (Testbed tb = Testbed.create(2, 2)) {
            tb.blockIp(1);
            tb.blockIp(1);
            assertThat(ping(tb, 2, tb.address(1, 0)).ok()).isFalse();
            assertThat(ping(tb, 1, tb.address(2, 1)).ok()).isFalse();
            assertThat(tb.run(1, "ip", "-o", "link", "show", "dev", "eth0").stdout()).contains("LOWER_UP");
            assertThat(ping(tb, 1, "127.0.0.1").ok()).as("loopback stays open").isTrue();

            tb.unblockIp(1);
            tb.unblockIp(1);
            assertThat(ping(tb, 2, tb.address(1, 0)).ok()).isTrue();
        }
    }

    @Test
    void execRunsInsideTheNodeWithItsEnvironmentAndLogsOutput() throws Exception {
        try (Testbed tb = Testbed.create(2, 1)) {
            Path log = tb.dir().resolve("n2.log");
            Process process = tb.exec(2, List.of("sh", "-c", "echo greeting=$GREETING; ip -o addr show dev eth0; echo oops >&2"),
                    Map.of("GREETING", "hello"), log);
            assertThat(process.waitFor()).isZero();
            assertThat(Files.readString(log)).contains("greeting=hello", tb.address(2, 0) + "/24", "oops");
        }
    }

    @Test
    void runReportsExitCodeAndOutput() {
        try (Testbed tb = Testbed.create(1, 1)) {
            ProcessResult result = tb.run(1, "sh", "-c", "echo out; echo err >&2; exit 3");
            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.stdout()).isEqualTo("out\n");
            assertThat(result.stderr()).isEqualTo("err\n");
            assertThatThrownBy(result::requireOk).hasMessageContaining("exited 3").hasMessageContaining("err");
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> Testbed.create(0, 1)).hasMessageContaining("nodes must be in 1..");
        try (Testbed tb = Testbed.create(1, 1)) {
            assertThatThrownBy(() -> tb.ns(2)).hasMessageContaining("node must be in 1..1, got 2");
            assertThatThrownBy(() -> tb.adapter(1)).hasMessageContaining("network must be in 0..0, got 1");
            assertThatThrownBy(tb::clientNs).hasMessageContaining("no client namespace");
        }
    }

    @Test
    void clientSitsOnEveryNetwork() {
        try (Testbed tb = Testbed.createWithClient(1, 2)) {
            assertThat(tb.runOnClient("ping", "-c1", "-W1", tb.address(1, 1)).ok()).isTrue();
            assertThat(tb.clientAddress(1)).isEqualTo(tb.subnetPrefix(1) + "." + Testbed.CLIENT_HOST);
        }
    }

    static ProcessResult ping(Testbed tb, int fromNode, String address) {
        return tb.run(fromNode, "ping", "-c1", "-W1", address);
    }

    static List<String> namespaces() {
        return Commands.runOk("ip", "netns", "list").stdout().lines().map(l -> l.split(" ")[0]).toList();
    }
}
