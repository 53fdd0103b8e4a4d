package dev.baton.e2e.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prober against real apache2 servers inside node namespaces. */
class HttpProbeTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private Testbed tb;
    private HttpProbe probe;

    @BeforeEach
    void testbed() {
        TestbedAssumptions.assumeNamespaces();
        TestbedAssumptions.assumeCommand("apache2");
        tb = Testbed.createWithClient(2, 1);
        probe = HttpProbe.start(tb);
    }

    @AfterEach
    void close() {
        if (tb != null) {
            tb.close();
        }
    }

    @Test
    void anAnswerNamesTheNodeThatServedIt() {
        startApache(1);
        startApache(2);
        HttpProbe.Answer fromN1 = probe.awaitAnswer(url(tb.address(1, 0)), WAIT);
        HttpProbe.Answer fromN2 = probe.awaitAnswer(url(tb.address(2, 0)), WAIT);

        assertThat(fromN1.node()).contains("n1");
        assertThat(fromN1.status()).isEqualTo(200);
        assertThat(fromN2.node()).contains("n2");
        printLatency(url(tb.address(1, 0)));
    }

    @Test
    void followsALogicalAddressToTheNodeThatTookItOver() {
        TestbedAssumptions.assumeCommand("arping");
        startApache(1);
        startApache(2);
        String logical = tb.hostAddress(0, 100);
        tb.run(1, "ip", "addr", "add", logical + "/24", "dev", "eth0").requireOk();
        assertThat(probe.awaitAnswer(url(logical), WAIT).node()).contains("n1");

        tb.run(1, "ip", "addr", "del", logical + "/24", "dev", "eth0").requireOk();
        tb.run(2, "ip", "addr", "add", logical + "/24", "dev", "eth0").requireOk();
        tb.exec(2, List.of("arping", "-q", "-U", "-c", "1", "-I", "eth0", logical), Map.of(), tb.dir().resolve("arping.log"));
        HttpProbe.Answer afterTakeover = probe.awaitAnswer(url(logical), WAIT);

        assertThat(afterTakeover.node()).contains("n2");
        System.out.printf(Locale.ROOT, "[http probe] answered by n2 %.1f ms after the takeover, attempt %d%n",
                afterTakeover.elapsedNanos() / 1e6, afterTakeover.attempts());
    }

    @Test
    void awaitAnswerFailsWithTheLastErrorWhenNothingListens() {
        assertThatThrownBy(() -> probe.awaitAnswer(url(tb.address(1, 0)), Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no answer from " + url(tb.address(1, 0)))
                .hasMessageContaining("Connection refused");
    }

    @Test
    void refusesWhatIsNotAnHttpUrl() {
        assertThatThrownBy(() -> probe.get("ftp://" + tb.address(1, 0) + "/", WAIT)).hasMessageContaining("want an http://");
    }

    @Test
    void apacheSiteRefusesBadNamesAndFoldersApacheCannotRead(@TempDir Path privateDir) throws IOException {
        assertThatThrownBy(() -> ApacheSite.write(tb.dir(), "n1/../x")).hasMessageContaining("node name must match");
        Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> ApacheSite.write(privateDir, "n1")).hasMessageContaining("is not searchable by others");
        assertThat(ApacheSite.nodeIn(ApacheSite.page("n7"))).contains("n7");
    }

    private void printLatency(String url) {
        long[] latencyNanos = new long[200];
        long[] roundTripNanos = new long[latencyNanos.length];
        for (int i = 0; i < latencyNanos.length; i++) {
            long start = System.nanoTime();
            HttpProbe.Response response = probe.get(url, Duration.ofMillis(500));
            roundTripNanos[i] = System.nanoTime() - start;
            assertThat(response.status()).isEqualTo(200);
            latencyNanos[i] = response.latencyNanos();
        }
        Arrays.sort(latencyNanos);
        Arrays.sort(roundTripNanos);
        System.out.printf(Locale.ROOT, "[http probe] %d GETs: HTTP in the prober median %.2f ms (max %.2f), round trip from the test median %.2f ms (max %.2f)%n",
                latencyNanos.length, latencyNanos[latencyNanos.length / 2] / 1e6, latencyNanos[latencyNanos.length - 1] / 1e6,
                roundTripNanos[roundTripNanos.length / 2] / 1e6, roundTripNanos[roundTripNanos.length - 1] / 1e6);
    }

    private static String url(String address) {
        return "http://" + address + "/";
    }

    /** apache2 in the foreground inside a node, on port 80 of all its addresses, serving an ApacheSite. */
    private void startApache(int node) {
        String name = "n" + node;
        Path root = tb.dir().resolve("apache-" + name);
        Path docRoot = ApacheSite.write(tb.dir(), name);
        try {
            Files.createDirectories(root.resolve("run"));
            Files.createDirectories(root.resolve("logs"));
            Files.writeString(root.resolve("httpd.conf"), TestApacheConfig.minimal(root, docRoot, name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        tb.exec(node, List.of("apache2", "-f", root.resolve("httpd.conf").toString(), "-DFOREGROUND"), Map.of(), root.resolve("logs/stdout.log"));
    }
}
