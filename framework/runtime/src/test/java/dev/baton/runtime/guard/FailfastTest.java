package dev.baton.runtime.guard;

import dev.baton.runtime.process.ProcessRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.baton.runtime.guard.TestProcesses.alive;
import static dev.baton.runtime.guard.TestProcesses.awaitDead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link Failfast#killEverything} on real processes, without a guard around it. */
class FailfastTest {
    private static final long SELF = ProcessHandle.current().pid();
    private static final Path APACHE2 = Path.of("/usr/sbin/apache2");

    @TempDir
    Path dir;
    private final TestProcesses procs = new TestProcesses();
    private final Failfast failfast = new Failfast();

    @AfterEach
    void cleanUp() {
        procs.close();
        failfast.close();
    }

    @Test
    void tagKillsDaemonizedAndDirectTaggedProcessesAndNothingElse() throws IOException {
        String tag = TestProcesses.uniqueTag("ff");
        long daemonized = procs.daemonized(tag);
        long direct = procs.child(Map.of("BATON_TAG", tag)).pid();
        long untagged = procs.daemonized("");
        long otherNode = procs.daemonized(tag + "0");
        long lookalike = procs.child(Map.of("XBATON_TAG", tag)).pid();
        long spared = procs.child(Map.of("BATON_TAG", tag)).pid();

        FailfastReport r = failfast.killEverything(tag, Set.of(), SELF, Set.of(spared));

        awaitDead(daemonized, direct);
        assertThat(r.killedPids()).contains(daemonized, direct).doesNotContain(untagged, otherNode, lookalike, spared);
        assertThat(r.survivorPids()).isEmpty();
        assertThat(r.rounds()).isBetween(2, 20);
        assertThat(r.killNanos()).isPositive().isLessThanOrEqualTo(r.totalNanos());
        for (long pid : List.of(untagged, otherNode, lookalike, spared)) {
            assertThat(alive(pid)).as("pid " + pid + " survives").isTrue();
        }
        System.out.println("killEverything: " + r.describe());
    }

    @Test
    void aChildThatDroppedItsEnvironmentDiesWithItsTaggedParent() throws IOException {
        String tag = TestProcesses.uniqueTag("ff");
        // The tagged shell starts an untagged child (env -i), then becomes a tagged sleep itself.
        Process parent = procs.child(Map.of("BATON_TAG", tag), "sh", "-c",
                "env -i /bin/sleep 300 </dev/null >/dev/null 2>&1 & echo $!; exec sleep 300");
        long child = procs.remember(TestProcesses.firstPid(parent.inputReader().readLine()));
        assertThat(alive(child)).isTrue();

        FailfastReport r = failfast.killEverything(tag, Set.of(), SELF, Set.of());

        awaitDead(parent.pid(), child);
        assertThat(r.killedPids()).contains(parent.pid(), child);
    }

    @Test
    void nothingTaggedMeansOneRoundAndNothingKilled() {
        FailfastReport r = failfast.killEverything(TestProcesses.uniqueTag("none"), Set.of(), SELF, Set.of());
        assertThat(r.killedPids()).isEmpty();
        assertThat(r.rounds()).isEqualTo(1);
    }

    @Test
    void badAddressesAreReportedWithoutStoppingTheKill() throws IOException {
        String tag = TestProcesses.uniqueTag("ff");
        long tagged = procs.daemonized(tag);
        FailfastReport r = failfast.killEverything(tag, Set.of("not-an-address", "192.0.2.77/32"), SELF, Set.of());
        awaitDead(tagged);
        assertThat(r.problems()).containsExactly("'not-an-address' is not an IPv4 or IPv6 address literal");
        assertThat(r.removedAddresses()).as("no interface holds 192.0.2.77").isEmpty();
    }

    @Test
    void apacheStartedByATaggedRunnerDiesWithAllItsWorkers() throws Exception {
        assumeTrue(Files.isExecutable(APACHE2), "apache2 is not installed (apt-get install apache2)");
        String tag = TestProcesses.uniqueTag("ff");
        Path conf = apacheConfig();
        ProcessRunner.Outcome started = procs.run(tag, APACHE2.toString(), "-f", conf.toString(), "-k", "start");
        assertThat(started.exitCode()).as(started.stderr()).isZero();
        // apache2 -k start can return before the detached daemon has written its pid file
        Path pidFile = dir.resolve("run/httpd.pid");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long master = procs.remember(Long.parseLong(Files.readString(pidFile).strip()));
        List<Long> workers = ProcessHandle.of(master).orElseThrow().children().map(ProcessHandle::pid).toList();
        workers.forEach(procs::remember);
        assertThat(workers).as("apache forks workers").isNotEmpty();
        assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid)).as("apache left our tree")
                .doesNotContain(master);

        FailfastReport r = failfast.killEverything(tag, Set.of(), SELF, Set.of());

        awaitDead(master);
        workers.forEach(TestProcesses::awaitDead);
        assertThat(r.killedPids()).contains(master).containsAll(workers);
        System.out.println("apache: " + r.describe());
    }

    private Path apacheConfig() throws IOException {
        for (String d : List.of("run", "logs", "htdocs")) {
            Files.createDirectories(dir.resolve(d));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String mods = "/usr/lib/apache2/modules";
        Path conf = dir.resolve("httpd.conf");
        Files.writeString(conf, String.join("\n", "ServerRoot \"" + dir + "\"", "ServerName failfast-test",
                "PidFile \"" + dir.resolve("run/httpd.pid") + "\"", "DefaultRuntimeDir \"" + dir.resolve("run") + "\"",
                "Mutex file:" + dir.resolve("run") + " default", "ErrorLog \"" + dir.resolve("logs/error.log") + "\"",
                "Listen 127.0.0.1:" + port, "LoadModule mpm_event_module " + mods + "/mod_mpm_event.so",
                "LoadModule authz_core_module " + mods + "/mod_authz_core.so", "User www-data", "Group www-data",
                "DocumentRoot \"" + dir.resolve("htdocs") + "\"", ""));
        return conf;
    }
}
