package dev.baton.runtime.guard;

import dev.baton.runtime.process.Posix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.baton.runtime.guard.TestProcesses.alive;
import static dev.baton.runtime.guard.TestProcesses.awaitDead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guard as a real JVM child, against real processes: batond's death, a passed deadline with
 * batond SIGSTOPped, re-arming, BYE, address removal in a network namespace, and refusals. Tagged
 * processes start through a tagged {@code ProcessRunner} and daemonize; bystanders (untagged, or
 * another node's tag) must survive every failfast. Timings are printed, never asserted.
 */
class GuardProcessTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String CLASS_PATH = System.getProperty("java.class.path");
    private static final Pattern NANOS = Pattern.compile("FAILFAST (?:done )?at nanoTime (\\d+)");

    @TempDir
    Path dir;
    private final TestProcesses procs = new TestProcesses();
    private final List<GuardClient> clients = new ArrayList<>();
    private final List<Process> standIns = new ArrayList<>();
    private String namespace;

    @AfterEach
    void cleanUp() throws Exception {
        clients.forEach(GuardClient::close);
        standIns.forEach(Process::destroyForcibly);
        procs.close();
        if (namespace != null) {
            new ProcessBuilder("ip", "netns", "del", namespace).inheritIO().start().waitFor();
        }
    }

    /** Two tagged processes (one daemonized by a tagged runner, one direct) and two bystanders. */
    private record Population(long daemonized, long direct, long untagged, long otherNode) {
        List<Long> tagged() {
            return List.of(daemonized, direct);
        }

        List<Long> bystanders() {
            return List.of(untagged, otherNode);
        }
    }

    private Population population(String tag) throws IOException {
        return new Population(procs.daemonized(tag), procs.child(Map.of("BATON_TAG", tag)).pid(),
                procs.daemonized(""), procs.daemonized(tag + "0"));
    }

    private Path log() {
        return dir.resolve("guard.log");
    }

    private GuardClient guard(String tag, long daemonPid) throws IOException {
        long startNanos = System.nanoTime();
        GuardClient c = GuardClient.start(GuardSettings.forThisDaemon(tag).withDaemonPid(daemonPid).withLogFile(log()));
        System.out.printf("guard start to READY: %.0f ms%n", (System.nanoTime() - startNanos) / 1e6);
        clients.add(c);
        procs.remember(c.pid());
        return c;
    }

    /** A sleep standing in for batond, so the guard has something to SIGKILL that is not this JVM. */
    private Process stoppableDaemon() throws IOException {
        return procs.child(Map.of());
    }

    /** A stand-in batond (a sleep), tagged processes and bystanders, and a guard this JVM talks to. */
    private record Scene(Process daemon, Population population, GuardClient guard) {
    }

    private Scene guardedScene() throws IOException {
        String tag = TestProcesses.uniqueTag("g");
        Process daemon = stoppableDaemon();
        Population p = population(tag);
        return new Scene(daemon, p, guard(tag, daemon.pid()));
    }

    @Test
    void batondDyingKillsTaggedProcessesAndSparesTheRest() throws Exception {
        String tag = TestProcesses.uniqueTag("g");
        Population p = population(tag);
        StandIn batond = standIn(List.of(), tag);

        Posix.signal(batond.process.pid(), Posix.SIGKILL);
        long killedAt = System.nanoTime();

        awaitDead(batond.guardPid);
        p.tagged().forEach(TestProcesses::awaitDead);
        long allDeadAt = System.nanoTime();
        p.bystanders().forEach(pid -> assertThat(alive(pid)).as("bystander " + pid).isTrue());
        List<Long> guardNanos = failfastNanos(Files.readString(log()));
        System.out.printf("batond SIGKILLed -> guard saw EOF %.2f ms, -> failfast done %.2f ms, -> test saw all dead"
                + " %.2f ms%n", (guardNanos.get(0) - killedAt) / 1e6, (guardNanos.get(1) - killedAt) / 1e6,
                (allDeadAt - killedAt) / 1e6);
        assertThat(Files.readString(log())).contains("batond is gone: stdin closed without BYE")
                .contains("FAILFAST done").contains("batond (pid " + batond.process.pid() + ") already gone");
    }

    @Test
    void aPassedDeadlineKillsTaggedProcessesAndTheStoppedDaemon() throws Exception {
        Scene scene = guardedScene();
        Process daemon = scene.daemon();
        Population p = scene.population();
        GuardClient guard = scene.guard();
        assertThat(Posix.signal(daemon.pid(), Posix.signalNumber("STOP"))).isTrue();

        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        guard.arm(deadline);
        long allDeadAt = awaitAllDead(p.tagged());

        assertThat(daemon.waitFor(15, TimeUnit.SECONDS)).as("the stopped daemon was killed").isTrue();
        assertThat(daemon.exitValue()).isEqualTo(128 + Posix.SIGKILL);
        assertThat(guard.process().waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(guard.process().exitValue()).isEqualTo(FailfastAction.EXIT_CODE);
        assertThat(guard.alive()).isFalse();
        p.bystanders().forEach(pid -> assertThat(alive(pid)).as("bystander " + pid).isTrue());
        String log = Files.readString(log());
        assertThat(log).contains("the armed deadline passed").contains("SIGKILLed batond (pid " + daemon.pid() + ")");
        List<Long> guardNanos = failfastNanos(log);
        System.out.printf("deadline -> guard fired %.2f ms, -> failfast done %.2f ms, -> test saw all dead %.2f ms%n",
                (guardNanos.get(0) - deadline) / 1e6, (guardNanos.get(1) - deadline) / 1e6, (allDeadAt - deadline) / 1e6);
    }

    @Test
    void reArmingKeepsEverythingAlivePastTheFirstDeadline() throws Exception {
        Scene scene = guardedScene();
        Process daemon = scene.daemon();
        Population p = scene.population();
        GuardClient guard = scene.guard();
        long firstDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_000);
        guard.arm(firstDeadline);
        long until = firstDeadline + TimeUnit.MILLISECONDS.toNanos(2_000);
        while (System.nanoTime() < until) {
            Thread.sleep(100);
            guard.arm(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_000));
        }
        assertThat(guard.alive()).isTrue();
        assertThat(daemon.isAlive()).isTrue();
        p.tagged().forEach(pid -> assertThat(alive(pid)).as("tagged " + pid).isTrue());
        guard.close();
        assertThat(guard.process().exitValue()).isZero();
        assertThat(Files.readString(log())).doesNotContain("FAILFAST");
    }

    @Test
    void byeLeavesEverythingRunning() throws Exception {
        Scene scene = guardedScene();
        Process daemon = scene.daemon();
        Population p = scene.population();
        GuardClient guard = scene.guard();
        System.out.println("guard READY: " + guard.startReport());
        assertThat(guard.startReport()).containsPattern("mlockall\\(MCL_CURRENT\\|MCL_FUTURE(\\|MCL_ONFAULT)?\\): "
                + "(granted|refused: \\S+ \\(.+\\))");
        guard.arm(System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
        guard.close();
        assertThat(guard.process().exitValue()).isZero();
        assertThat(guard.alive()).isFalse();
        assertThat(daemon.isAlive()).isTrue();
        p.tagged().forEach(pid -> assertThat(alive(pid)).as("tagged " + pid).isTrue());
        assertThat(Files.readString(log())).contains("batond said BYE").doesNotContain("FAILFAST");
    }

    @Test
    void disarmedGuardLeavesQuietlyWhenBatondDies() throws Exception {
        String tag = TestProcesses.uniqueTag("g");
        Population p = population(tag);
        StandIn batond = standIn(List.of(), tag);
        batond.send("ARM 60000");
        batond.send("DISARM");
        Posix.signal(batond.process.pid(), Posix.SIGKILL);
        awaitDead(batond.guardPid);
        p.tagged().forEach(pid -> assertThat(alive(pid)).as("tagged " + pid).isTrue());
        assertThat(Files.readString(log())).contains("closed stdin while disarmed").doesNotContain("FAILFAST");
    }

    @Test
    void failfastRemovesTheAddressesInTheGuardsNetworkNamespace() throws Exception {
        namespace = TestProcesses.uniqueTag("bgd");
        ip("netns", "add", namespace);
        ip("-n", namespace, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        ip("-n", namespace, "link", "set", "v0", "up");
        // .6 is the node's own address, .5 the one it took over: a secondary (deleting a primary
        // would take its secondaries with it unless promote_secondaries is set; see docs/design/failfast.md).
        ip("-n", namespace, "addr", "add", "10.77.0.6/24", "dev", "v0");
        ip("-n", namespace, "addr", "add", "10.77.0.5/24", "dev", "v0");
        ip("-n", namespace, "addr", "add", "2001:db8:77::5/64", "dev", "v1", "nodad");
        String tag = TestProcesses.uniqueTag("g");
        long tagged = procs.daemonized(tag);
        StandIn batond = standIn(List.of("ip", "netns", "exec", namespace), tag);

        batond.send("ADDRS 10.77.0.5/24,2001:db8:77::5");
        batond.send("ARM 300");

        awaitDead(batond.guardPid, tagged);
        assertThat(batond.process.waitFor(15, TimeUnit.SECONDS)).as("stand-in killed by its guard").isTrue();
        String left = ip("-n", namespace, "-o", "addr", "show");
        assertThat(left).contains("10.77.0.6/24").doesNotContain("10.77.0.5/").doesNotContain("2001:db8:77::5/");
        assertThat(Files.readString(log())).containsPattern("removed \\[[^]]*10\\.77\\.0\\.5/24 dev v0")
                .containsPattern("removed \\[[^]]*2001:db8:77:0:0:0:0:5/64 dev v1");
    }

    @Test
    void rebootWithoutTheProductionFlagIsRefused() throws Exception {
        Process p = new ProcessBuilder(JAVA, "-cp", CLASS_PATH, GuardMain.class.getName(), "--tag", "t1",
                "--daemon-pid", Long.toString(ProcessHandle.current().pid()), "--action", "reboot")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                .startsWith("REFUSED").contains("--allow-reboot");
        assertThat(p.waitFor()).isEqualTo(2);
        assertThatThrownBy(() -> new GuardSettings("t1", 1234, FailfastAction.REBOOT, false, 0, Path.of(JAVA),
                CLASS_PATH, null, GuardSettings.DEFAULT_START_TIMEOUT)).hasMessageContaining("--allow-reboot");
    }

    @Test
    void aGuardWhoseClockDisagreesWithHelloRefusesToStart() throws Exception {
        GuardSettings s = GuardSettings.forThisDaemon(TestProcesses.uniqueTag("g")).withLogFile(log());
        for (long offsetNanos : new long[] {TimeUnit.SECONDS.toNanos(30), -TimeUnit.SECONDS.toNanos(60)}) {
            Process p = new ProcessBuilder(s.command()).redirectError(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .start();
            procs.remember(p.pid());
            try (OutputStream in = p.getOutputStream()) {
                in.write(("HELLO " + (System.nanoTime() + offsetNanos) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            String answer = p.inputReader().readLine();
            assertThat(answer).as("offset " + offsetNanos).startsWith("REFUSED")
                    .contains(offsetNanos > 0 ? "earlier than batond's HELLO" : "later than batond's HELLO");
            assertThat(p.waitFor()).isEqualTo(2);
        }
    }

    @Test
    void badAddressesAreRefusedOnTheCallersThread() throws Exception {
        GuardClient guard = guard(TestProcesses.uniqueTag("g"), stoppableDaemon().pid());
        assertThatThrownBy(() -> guard.addresses(Set.of("db.example.com")))
                .hasMessageContaining("'db.example.com' is not an IPv4 or IPv6 address literal");
        assertThat(guard.alive()).isTrue();
    }

    private long awaitAllDead(List<Long> pids) {
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (pids.stream().anyMatch(TestProcesses::alive) && System.nanoTime() < limit) {
            LockSupport.parkNanos(200_000);
        }
        long at = System.nanoTime();
        pids.forEach(pid -> assertThat(alive(pid)).as("tagged " + pid + " alive").isFalse());
        return at;
    }

    private static List<Long> failfastNanos(String log) {
        List<Long> nanos = new ArrayList<>();
        Matcher m = NANOS.matcher(log);
        while (m.find()) {
            nanos.add(Long.parseLong(m.group(1)));
        }
        assertThat(nanos).as("fired and done lines").hasSize(2);
        return nanos;
    }

    /** A stand-in batond JVM ({@link GuardDaemonStandIn}), optionally run through a prefix such as ip netns exec. */
    private StandIn standIn(List<String> prefix, String tag) throws IOException {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(JAVA, "-cp", CLASS_PATH, GuardDaemonStandIn.class.getName(), tag, log().toString()));
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stand-in.err")
                .toFile())).start();
        standIns.add(p);
        procs.remember(p.pid());
        BufferedReader out = p.inputReader(StandardCharsets.US_ASCII);
        String first = out.readLine();
        assertThat(first).as("stand-in's first line; its stderr: " + readIfExists(dir.resolve("stand-in.err")))
                .startsWith("GUARD ");
        long guardPid = Long.parseLong(first.split(" ")[1]);
        procs.remember(guardPid);
        return new StandIn(p, out, guardPid);
    }

    private record StandIn(Process process, BufferedReader out, long guardPid) {
        void send(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
            assertThat(out.readLine()).as("answer to " + line).isEqualTo("OK");
        }
    }

    private static String readIfExists(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }

    private static String ip(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
        return out;
    }
}
