package dev.baton.runtime.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Commands run as argument lists in their own session, with bounded output and a tree-wide kill. */
class ProcessRunnerTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8");
    /** Far above any timeout used here: proves a command was cut short, not that it was fast. */
    private static final long CUT_SHORT_MS = 10_000;

    @TempDir
    Path dir;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ProcessRunner runner = new ProcessRunner(timer);
    private final List<Long> strays = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        strays.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
        timer.shutdownNow();
    }

    private static ProcessRunner.Request request(List<String> argv) {
        return new ProcessRunner.Request(argv, ENV, Path.of("/"), null, 64 * 1024, Duration.ofSeconds(30));
    }

    private ProcessRunner.Outcome run(String... argv) throws IOException {
        return runner.run(request(List.of(argv)), new CallProcesses(Instant.now()));
    }

    private ProcessRunner.Outcome run(ProcessRunner.Request r) throws IOException {
        return runner.run(r, new CallProcesses(Instant.now()));
    }

    private static ProcessRunner.Request with(ProcessRunner.Request r, byte[] input, int maxOut, Duration timeout) {
        return new ProcessRunner.Request(r.argv(), r.env(), r.cwd(), input, maxOut, timeout);
    }

    private static void awaitDead(long pid) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ProcessInfo.alive(pid)).as("pid " + pid + " alive").isFalse());
    }

    private static long[] pidsIn(String text) {
        return Arrays.stream(text.trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
    }

    // ---- running ----

    @Test
    void argumentsArriveIntactWithoutAShell() throws IOException {
        ProcessRunner.Outcome o = run("printf", "[%s]", "a 'b' \"c\"", "$HOME", "*", "", "x;y");
        assertThat(o.exitCode()).isZero();
        assertThat(o.stdout()).isEqualTo("[a 'b' \"c\"][$HOME][*][][x;y]");
        assertThat(o.timedOut()).isFalse();
    }

    @Test
    void theEnvironmentIsExactlyTheGivenOne() throws IOException {
        ProcessRunner.Outcome o = run(new ProcessRunner.Request(List.of("env"), Map.of("PATH", "/usr/bin:/bin", "A", "1"),
                Path.of("/"), null, 4096, Duration.ofSeconds(10)));
        assertThat(o.stdout().lines()).containsExactlyInAnyOrder("PATH=/usr/bin:/bin", "A=1");
    }

    @Test
    void theCommandRunsInTheGivenDirectory() throws IOException {
        ProcessRunner.Outcome o = run(new ProcessRunner.Request(List.of("pwd"), ENV, dir, null, 4096, Duration.ofSeconds(10)));
        assertThat(o.stdout().trim()).isEqualTo(dir.toRealPath().toString());
    }

    @Test
    void aMissingWorkingDirectoryIsAnError() {
        assertThatThrownBy(() -> run(new ProcessRunner.Request(List.of("true"), ENV, dir.resolve("gone"), null, 10,
                Duration.ofSeconds(5)))).isInstanceOf(IOException.class).hasMessageContaining("does not exist");
    }

    @Test
    void inputGoesToStdinAndNoInputIsAnEmptyStdin() throws IOException {
        byte[] input = "line 1\nline 2 é\n".getBytes(StandardCharsets.UTF_8);
        assertThat(run(with(request(List.of("cat")), input, 4096, Duration.ofSeconds(10))).stdout())
                .isEqualTo("line 1\nline 2 é\n");
        assertThat(run("cat").stdout()).isEmpty();
    }

    @Test
    void inputTheCommandDoesNotReadIsDropped() throws IOException {
        byte[] big = new byte[4 * 1024 * 1024];
        ProcessRunner.Outcome o = run(with(request(List.of("true")), big, 4096, Duration.ofSeconds(10)));
        assertThat(o.exitCode()).isZero();
        assertThat(o.timedOut()).isFalse();
    }

    @Test
    void exitCodesAndStderrAreReported() throws IOException {
        ProcessRunner.Outcome o = run("sh", "-c", "echo out; echo err >&2; exit 42");
        assertThat(o.exitCode()).isEqualTo(42);
        assertThat(o.stdout()).isEqualTo("out\n");
        assertThat(o.stderr()).isEqualTo("err\n");
    }

    @Test
    void aSignalledCommandExitsWith128PlusTheSignal() throws IOException {
        assertThat(run("sh", "-c", "kill -TERM $$").exitCode()).isEqualTo(143);
    }

    @Test
    void aProgramThatDoesNotExistExitsWith127() throws IOException {
        ProcessRunner.Outcome o = run("baton-no-such-program", "arg");
        assertThat(o.exitCode()).isEqualTo(127);
        assertThat(o.stderr()).contains("baton-no-such-program");
    }

    @Test
    void theCommandLeadsItsOwnSession() throws IOException {
        // Fields 1, 5 and 6 of /proc/PID/stat: pid, process group, session ("sh" has no space in its name).
        ProcessRunner.Outcome o = run("sh", "-c", "cut -d' ' -f1,5,6 /proc/$$/stat");
        long[] ids = pidsIn(o.stdout());
        assertThat(ids[1]).as("process group").isEqualTo(ids[0]);
        assertThat(ids[2]).as("session").isEqualTo(ids[0]);
    }

    @Test
    void anEmptyArgvIsRefused() {
        assertThatThrownBy(() -> request(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argv is empty");
    }

    // ---- bounded output ----

    @Test
    void gigabytesOfOutputAreDrainedAndOnlyTheLimitIsKept() throws IOException {
        ProcessRunner.Outcome o = run(with(request(List.of("sh", "-c", "head -c 3000000000 /dev/zero; echo done >&2")),
                null, 100, Duration.ofSeconds(120)));
        assertThat(o.exitCode()).isZero();
        assertThat(o.timedOut()).isFalse();
        assertThat(o.stdoutTruncated()).isTrue();
        assertThat(o.stdout()).hasSize(100);
        assertThat(o.stderrTruncated()).isFalse();
        assertThat(o.stderr()).isEqualTo("done\n");
    }

    @Test
    void outputExactlyAtTheLimitIsNotTruncated() throws IOException {
        ProcessRunner.Outcome o = run(with(request(List.of("printf", "12345")), null, 5, Duration.ofSeconds(10)));
        assertThat(o.stdout()).isEqualTo("12345");
        assertThat(o.stdoutTruncated()).isFalse();
    }

    @Test
    void zeroBytesMayBeKept() throws IOException {
        ProcessRunner.Outcome o = run(with(request(List.of("echo", "hi")), null, 0, Duration.ofSeconds(10)));
        assertThat(o.stdout()).isEmpty();
        assertThat(o.stdoutTruncated()).isTrue();
    }

    @Test
    void boundedCaptureKeepsTheHeadAndCountsTheRest() {
        BoundedCapture c = new BoundedCapture(4);
        c.write('a');
        c.write("bcdef".getBytes(StandardCharsets.UTF_8), 0, 5);
        c.write('g');
        assertThat(c.text()).isEqualTo("abcd");
        assertThat(c.totalBytes()).isEqualTo(7);
        assertThat(c.truncated()).isTrue();
    }

    @Test
    void aCharacterCutAtTheLimitBecomesAReplacementCharacter() {
        BoundedCapture c = new BoundedCapture(2);
        byte[] e = "aé".getBytes(StandardCharsets.UTF_8);
        c.write(e, 0, e.length);
        assertThat(c.text()).isEqualTo("a\uFFFD");
    }

    // ---- failfast tag ----

    @Test
    void aTaggedRunnersDaemonizedGrandchildStillCarriesTheTag() throws Exception {
        ProcessRunner tagged = new ProcessRunner(timer, "node-7");
        // sh leads its own session (setsid) and exits at once: the sleep is re-parented out of our tree.
        ProcessRunner.Outcome o = tagged.run(request(List.of("sh", "-c",
                "sleep 300 </dev/null >/dev/null 2>&1 & echo $!")), new CallProcesses(Instant.now()));
        long grandchild = pidsIn(o.stdout())[0];
        strays.add(grandchild);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(grandchild)
                .flatMap(ProcessHandle::parent).map(p -> p.pid() != ProcessHandle.current().pid()).orElse(false));
        assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid)).doesNotContain(grandchild);
        assertThat(environ(grandchild)).contains("BATON_TAG=node-7").contains("PATH=/usr/bin:/bin");
    }

    @Test
    void anUntaggedRunnerAddsNoTag() throws IOException {
        assertThat(run("env").stdout().lines()).noneMatch(l -> l.startsWith("BATON_TAG"));
    }

    @Test
    void aCommandMayNotSetTheTagItself() {
        ProcessRunner.Request r = new ProcessRunner.Request(List.of("true"), Map.of("BATON_TAG", "other-node"),
                Path.of("/"), null, 4096, Duration.ofSeconds(10));
        for (ProcessRunner each : List.of(runner, new ProcessRunner(timer, "node-7"))) {
            assertThatThrownBy(() -> each.run(r, new CallProcesses(Instant.now())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BATON_TAG is set by the runtime");
        }
    }

    @Test
    void aBadTagIsRefusedWhenTheRunnerIsBuilt() {
        for (String bad : List.of("a b", "a=b", "x".repeat(65), "n\u0000")) {
            assertThatThrownBy(() -> new ProcessRunner(timer, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failfast tag");
        }
    }

    private static List<String> environ(long pid) throws IOException {
        String block = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8);
        return Arrays.asList(block.split("\u0000"));
    }

    // ---- timeouts and kills ----

    @Test
    void aTimeoutKillsTheCommandAndItsBackgroundChildren() throws IOException {
        ProcessRunner.Outcome o = run(with(request(List.of("sh", "-c", "sleep 100 & echo $$ $!; sleep 100")),
                null, 4096, Duration.ofMillis(500)));
        assertThat(o.timedOut()).isTrue();
        assertThat(o.exitCode()).isEqualTo(137);
        assertThat(o.elapsedMs()).isGreaterThanOrEqualTo(500).isLessThan(CUT_SHORT_MS);
        for (long pid : pidsIn(o.stdout())) {
            strays.add(pid);
            awaitDead(pid);
        }
    }

    @Test
    void aTimeoutKillsChildrenThatStartedTheirOwnSession() throws IOException {
        ProcessRunner.Outcome o = run(with(request(List.of("sh", "-c", "setsid sleep 100 & echo $!; sleep 100")),
                null, 4096, Duration.ofMillis(500)));
        assertThat(o.timedOut()).isTrue();
        long child = pidsIn(o.stdout())[0];
        strays.add(child);
        awaitDead(child);
    }

    @Test
    void killAllFromAnotherThreadStopsARunningCommand() throws Exception {
        CallProcesses processes = new CallProcesses(Instant.now());
        CompletableFuture<ProcessRunner.Outcome> running = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run(request(List.of("sleep", "100")), processes);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants()
                .anyMatch(h -> h.info().command().orElse("").endsWith("sleep")));
        assertThat(processes.killAll()).isPositive();
        ProcessRunner.Outcome o = running.get();
        assertThat(o.timedOut()).as("killed by the method's deadline").isTrue();
        assertThat(o.elapsedMs()).isLessThan(CUT_SHORT_MS);
        assertThat(processes.killed()).isTrue();
    }

    @Test
    void aCommandLaunchedAfterKillAllIsKilledAtOnce() throws IOException {
        CallProcesses processes = new CallProcesses(Instant.now());
        processes.killAll();
        ProcessRunner.Outcome o = runner.run(request(List.of("sleep", "100")), processes);
        assertThat(o.timedOut()).isTrue();
        assertThat(o.elapsedMs()).isLessThan(CUT_SHORT_MS);
    }

    @Test
    void killTreeSweepsDescendantsAndTheirGroups() throws IOException {
        Process p = new ProcessBuilder("setsid", "sh", "-c", "sleep 100 & setsid sleep 100 & echo $! ; wait").start();
        started.add(p);
        long setsidChild = Long.parseLong(p.inputReader(StandardCharsets.US_ASCII).readLine().trim());
        strays.add(setsidChild);
        List<Long> tree = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> p.descendants().count() >= 2);
        p.descendants().forEach(h -> tree.add(h.pid()));
        strays.addAll(tree);
        assertThat(ProcessTrees.killTree(p.pid())).isGreaterThanOrEqualTo(3);
        awaitDead(p.pid());
        awaitDead(setsidChild);
        tree.forEach(ProcessRunnerTest::awaitDead);
    }

    @Test
    void killTreeOfAGonePidDoesNothing() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertThat(ProcessTrees.killTree(p.pid())).isZero();
    }

    // ---- pid files ----

    private Path pidFile(long pid, Instant written) throws IOException {
        Path f = dir.resolve("daemon.pid");
        Files.writeString(f, pid + "\n");
        Files.setLastModifiedTime(f, FileTime.from(written));
        return f;
    }

    private Process daemon() throws IOException {
        Process p = new ProcessBuilder("sleep", "100").start();
        started.add(p);
        return p;
    }

    @Test
    void aPidFileWrittenDuringTheCallNamingANewProcessIsKilled() throws IOException {
        Instant callStart = Instant.now();
        Process d = daemon();
        CallProcesses processes = new CallProcesses(callStart);
        processes.addPidFile(pidFile(d.pid(), Instant.now()));
        assertThat(processes.killAll()).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> !d.isAlive());
    }

    @Test
    void aPidFileWrittenBeforeTheCallIsIgnored() throws IOException {
        Process d = daemon();
        CallProcesses processes = new CallProcesses(Instant.now());
        processes.addPidFile(pidFile(d.pid(), Instant.now().minus(Duration.ofMinutes(10))));
        assertThat(processes.killAll()).isZero();
        assertThat(d.isAlive()).isTrue();
    }

    @Test
    void aFreshPidFileNamingAProcessOlderThanTheCallIsIgnored() throws IOException {
        Process d = daemon();
        // The call began well after the process did: the pid in the file was reused, or never ours.
        Instant callStart = Instant.now().plus(Duration.ofMinutes(5));
        CallProcesses processes = new CallProcesses(callStart);
        processes.addPidFile(pidFile(d.pid(), callStart.plusSeconds(1)));
        assertThat(processes.killAll()).isZero();
        assertThat(d.isAlive()).isTrue();
    }

    @Test
    void unreadableOrMissingPidFilesAreIgnored() throws IOException {
        CallProcesses processes = new CallProcesses(Instant.now());
        Path junk = dir.resolve("junk.pid");
        Files.writeString(junk, "not a pid");
        processes.addPidFile(junk);
        processes.addPidFile(dir.resolve("missing.pid"));
        processes.addPidFile(pidFile(1, Instant.now()));
        assertThat(processes.killAll()).isZero();
    }

    // ---- POSIX helpers ----

    @Test
    void signalNamesMapToLinuxNumbers() {
        assertThat(Posix.signalNumber("TERM")).isEqualTo(15);
        assertThat(Posix.signalNumber("sigkill")).isEqualTo(9);
        assertThat(Posix.signalNumber("HUP")).isEqualTo(1);
        assertThatThrownBy(() -> Posix.signalNumber("SIGFOO")).hasMessageContaining("unknown signal 'SIGFOO'")
                .hasMessageContaining("TERM");
    }

    @Test
    void signalsToEveryProcessAreRefused() {
        for (long pid : new long[] {0, 1, -1, -5, 1L << 40}) {
            assertThatThrownBy(() -> Posix.signal(pid, Posix.SIGKILL)).as("pid " + pid)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Posix.signalGroup(0, 15)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signalReachesALiveProcessAndReportsAGoneOne() throws Exception {
        Process d = daemon();
        assertThat(Posix.signal(d.pid(), Posix.signalNumber("TERM"))).isTrue();
        assertThat(d.waitFor()).isEqualTo(143);
        assertThat(Posix.signal(d.pid(), 0)).isFalse();
    }

    @Test
    void processInfoDescribesLiveAndGoneProcesses() throws Exception {
        long self = ProcessHandle.current().pid();
        assertThat(ProcessInfo.alive(self)).isTrue();
        assertThat(ProcessInfo.state(self)).get().isIn('R', 'S', 'D');
        assertThat(ProcessInfo.command(self)).get().asString().endsWith("java");
        assertThat(ProcessInfo.startTime(self)).get().matches(t -> t.isBefore(Instant.now()));
        assertThat(ProcessInfo.alive(0)).isFalse();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertThat(ProcessInfo.alive(gone.pid())).isFalse();
        assertThat(ProcessInfo.state(gone.pid())).isEmpty();
    }
}
