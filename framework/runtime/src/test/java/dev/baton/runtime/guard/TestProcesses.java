package dev.baton.runtime.guard;

import dev.baton.runtime.process.CallProcesses;
import dev.baton.runtime.process.Posix;
import dev.baton.runtime.process.ProcessInfo;
import dev.baton.runtime.process.ProcessRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real processes for failfast tests, each remembered and SIGKILLed by pid at the end. Tagged ones
 * start the way a resource method starts them (a {@link ProcessRunner} built with the tag), then
 * daemonize: the runner's command exits at once and its child is re-parented out of our tree.
 */
final class TestProcesses implements AutoCloseable {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C.UTF-8");
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    /** Pid and kernel start time: a pid reused by someone else's process after ours died is left alone. */
    private final Map<Long, Long> started = new HashMap<>();
    /** Every tag processes were started with: swept at the end, so a failed test leaks no daemon (apache). */
    private final Set<String> tags = new HashSet<>();

    /** A tag no other test run on this machine uses. */
    static String uniqueTag(String prefix) {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        return prefix + "-" + HexFormat.of().formatHex(b);
    }

    /** A sleep started through a runner with this tag ("" for none) that left our process tree. */
    long daemonized(String tag) throws IOException {
        return remember(firstPid(runner(tag).run(request("sh", "-c",
                "sleep 300 </dev/null >/dev/null 2>&1 & echo $!"), new CallProcesses(Instant.now())).stdout()));
    }

    /** Runs a command through a runner with this tag and waits for it (what it leaves behind is the caller's). */
    ProcessRunner.Outcome run(String tag, String... argv) throws IOException {
        return runner(tag).run(request(argv), new CallProcesses(Instant.now()));
    }

    /** A sleep with exactly this environment (plus PATH), a child of this JVM. */
    Process child(Map<String, String> env, String... argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv.length == 0 ? List.of("sleep", "300") : List.of(argv));
        pb.environment().clear();
        pb.environment().putAll(ENV);
        pb.environment().putAll(env);
        if (env.containsKey("BATON_TAG")) {
            tags.add(env.get("BATON_TAG"));
        }
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        remember(p.pid());
        return p;
    }

    long remember(long pid) {
        ProcScan.startTicks(pid).ifPresent(ticks -> started.put(pid, ticks));
        return pid;
    }

    static boolean alive(long pid) {
        return ProcessInfo.alive(pid);
    }

    static void awaitDead(long... pids) {
        for (long pid : pids) {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(5))
                    .untilAsserted(() -> assertThat(alive(pid)).as("pid " + pid + " alive").isFalse());
        }
    }

    private ProcessRunner runner(String tag) {
        if (!tag.isEmpty()) {
            tags.add(tag);
        }
        return new ProcessRunner(timer, tag);
    }

    private static ProcessRunner.Request request(String... argv) {
        return new ProcessRunner.Request(List.of(argv), ENV, Path.of("/"), null, 4096, Duration.ofSeconds(30));
    }

    static long firstPid(String text) {
        return Long.parseLong(text.strip().split("\\s+")[0]);
    }

    @Override
    public void close() {
        started.forEach((pid, ticks) -> {
            if (alive(pid) && ProcScan.startTicks(pid).orElse(-1) == ticks) {
                Posix.signal(pid, Posix.SIGKILL);
            }
        });
        try (Failfast sweep = new Failfast()) {
            tags.forEach(tag -> sweep.killEverything(tag, Set.of(), ProcessHandle.current().pid(), Set.of()));
        }
        timer.shutdownNow();
    }
}
