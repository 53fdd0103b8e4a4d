package dev.baton.runtime.method;

import com.sun.net.httpserver.HttpServer;
import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.method.MethodRuntimeTest.Env;
import dev.baton.runtime.process.ProcessInfo;
import dev.baton.runtime.resource.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The method deadline is authoritative: runaway JavaScript, blocking ctx calls, commands and
 * the daemons they leave behind are all stopped, and nothing else is touched.
 */
class MethodTimeoutTest {
    /** Far above any timeout used here: proves a call was cut short, not that it was fast. */
    private static final Duration CUT_SHORT = Duration.ofSeconds(10);

    private static final String ROOT_RW = """
            properties:
              Root: {type: string}
            files:
              - {path: "${Root}", access: read_write}
            """;

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();
    private final List<Long> strays = new ArrayList<>();

    @AfterEach
    void killWhatTheTestStarted() {
        started.forEach(Process::destroyForcibly);
        strays.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private Resource withRoot(Env env) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        return env.resource("r1", Map.of("Root", root.toString()));
    }

    private static void assertTimedOut(MethodResult r, String method, String timeout) {
        assertThat(r.code()).as(r.toString()).isEqualTo(ResultCode.TIMED_OUT);
        assertThat(r.message()).isEqualTo(method + " exceeded its timeout of " + timeout
                + "; everything it started was killed");
        assertThat(r.elapsed()).isLessThan(CUT_SHORT);
    }

    private static void awaitDead(long pid) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ProcessInfo.alive(pid)).as("pid " + pid + " alive").isFalse());
    }

    private static long[] pids(Path file) throws IOException {
        return Arrays.stream(Files.readString(file).trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
    }

    @Test
    void anEndlessLoopTimesOutAndTheNextCallRunsInAFreshContext() throws IOException {
        try (Env env = Env.load(dir, "", """
                let calls = 0;
                export function start(ctx) { calls++; while (true) {} }
                export function probe(ctx) { calls++; return ctx.running(String(calls)); }
                """)) {
            Resource r = env.resource();
            assertThat(env.call(r, MethodName.PROBE).message()).isEqualTo("1");
            assertTimedOut(env.call(r, MethodName.START, Duration.ofMillis(300)), "start", "300ms");
            MethodResult next = env.call(r, MethodName.PROBE);
            assertThat(next.code()).isEqualTo(ResultCode.RUNNING);
            assertThat(next.message()).as("calls counted in a fresh context").isEqualTo("1");
        }
    }

    @Test
    void anEndlessLoopRunsUntilTheTimeoutPropertyWithoutOverride() throws IOException {
        try (Env env = Env.load(dir, "", "export function start(ctx) { while (true) {} }")) {
            Resource r = env.resource("r1", Map.of("Start_timeout", "400ms"));
            assertTimedOut(env.call(r, MethodName.START), "start", "400ms");
        }
    }

    @Test
    void aLoopThatCatchesEverythingStillTimesOut() throws IOException {
        try (Env env = Env.load(dir, "", """
                export function start(ctx) {
                  while (true) { try { ctx.sleep(50); } catch (e) { /* keep going */ } }
                }
                """)) {
            assertTimedOut(env.call(env.resource(), MethodName.START, Duration.ofMillis(300)), "start", "300ms");
        }
    }

    @Test
    void ctxSleepIsCutByTheDeadline() throws IOException {
        try (Env env = Env.load(dir, "", "export function start(ctx) { ctx.sleep(60000); return ctx.success(); }")) {
            assertTimedOut(env.call(env.resource(), MethodName.START, Duration.ofMillis(300)), "start", "300ms");
        }
    }

    @Test
    void aSleepReachingTheDeadlineNeverWinsTheRaceWithIt() throws IOException {
        try (Env env = Env.load(dir, "", "export function start(ctx) { ctx.sleep(60000); return ctx.success('woke'); }")) {
            Resource r = env.resource();
            for (int i = 0; i < 30; i++) {
                assertTimedOut(env.call(r, MethodName.START, Duration.ofMillis(100)), "start", "100ms");
            }
        }
    }

    @Test
    void aHugeCtxSleepStillEndsAtTheDeadline() throws IOException {
        try (Env env = Env.load(dir, "", "export function start(ctx) { ctx.sleep(1e13); return ctx.success('woke'); }")) {
            assertTimedOut(env.call(env.resource(), MethodName.START, Duration.ofMillis(300)), "start", "300ms");
        }
    }

    @Test
    void aServerDrippingItsBodyCannotHoldTheMethodPastItsDeadline() throws IOException {
        HttpServer server = CtxApiTest.drippingServer();
        try (Env env = Env.load(dir, "properties:\n  Url: {type: string}\n",
                "export function start(ctx) { ctx.httpGet(ctx.props.Url); return ctx.success(); }")) {
            Resource r = env.resource("r1", Map.of("Url", "http://127.0.0.1:" + server.getAddress().getPort() + "/"));
            assertTimedOut(env.call(r, MethodName.START, Duration.ofSeconds(1)), "start", "1s");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void remainingMsCountsDown() throws IOException {
        try (Env env = Env.load(dir, "", """
                export function start(ctx) {
                  const before = ctx.remainingMs();
                  ctx.sleep(100);
                  const after = ctx.remainingMs();
                  return after < before ? ctx.success(before + " " + after) : ctx.failed(before + " " + after);
                }
                """)) {
            MethodResult r = env.call(env.resource(), MethodName.START, Duration.ofSeconds(5));
            assertThat(r.code()).as(r.toString()).isEqualTo(ResultCode.SUCCESS);
            long[] ms = Arrays.stream(r.message().split(" ")).mapToLong(Long::parseLong).toArray();
            assertThat(ms[0]).isBetween(1L, 5_000L);
            assertThat(ms[0] - ms[1]).isGreaterThanOrEqualTo(100L);
        }
    }

    @Test
    void aMethodThatFinishesInTimeIsNotTouched() throws IOException {
        try (Env env = Env.load(dir, "", "export function start(ctx) { ctx.sleep(50); return ctx.success('done'); }")) {
            MethodResult r = env.call(env.resource(), MethodName.START, Duration.ofSeconds(5));
            assertThat(r.code()).isEqualTo(ResultCode.SUCCESS);
            assertThat(r.message()).isEqualTo("done");
        }
    }

    @Test
    void timeoutInsideExecKillsTheCommandAndItsBackgroundChildren() throws IOException {
        try (Env env = Env.load(dir, ROOT_RW, """
                export function start(ctx) {
                  ctx.exec(["sh", "-c", 'sleep 100 & echo $$ $! > "$1"; sleep 100', "sh", ctx.props.Root + "/pids"]);
                  return ctx.success();
                }
                """)) {
            Resource r = withRoot(env);
            MethodResult result = env.call(r, MethodName.START, Duration.ofMillis(1500));
            assertTimedOut(result, "start", "1500ms");
            assertThat(result.log()).anyMatch(l -> l.matches("WARN timeout: killed \\d+ process\\(es\\) started by start"));
            long[] pids = pids(dir.resolve("root/pids"));
            assertThat(pids).hasSize(2);
            for (long pid : pids) {
                strays.add(pid);
                awaitDead(pid);
            }
        }
    }

    private static final String DAEMON = """
            export function start(ctx) {
              const pidFile = ctx.props.Root + "/daemon.pid";
              const r = ctx.exec(["sh", "-c", "setsid sh -c 'sleep 100 </dev/null >/dev/null 2>&1 & echo $! > \\"$PIDFILE\\"'"],
                  {env: {PIDFILE: pidFile}});
              if (r.exitCode !== 0) { return ctx.failed("could not start the daemon: " + r.stderr); }
              TRACK
              while (true) {}
            }
            """;

    @Test
    void aDaemonAnnouncedWithTrackPidFileIsKilledAtTimeout() throws IOException {
        try (Env env = Env.load(dir, ROOT_RW, DAEMON.replace("TRACK", "ctx.trackPidFile(pidFile);"))) {
            assertTimedOut(env.call(withRoot(env), MethodName.START, Duration.ofMillis(1500)), "start", "1500ms");
            long daemon = pids(dir.resolve("root/daemon.pid"))[0];
            strays.add(daemon);
            awaitDead(daemon);
        }
    }

    @Test
    void aDaemonThatLeftTheTreeSurvivesWhenNotTracked() throws IOException {
        try (Env env = Env.load(dir, ROOT_RW, DAEMON.replace("TRACK", ""))) {
            assertTimedOut(env.call(withRoot(env), MethodName.START, Duration.ofMillis(1500)), "start", "1500ms");
            long daemon = pids(dir.resolve("root/daemon.pid"))[0];
            strays.add(daemon);
            assertThat(ProcessInfo.alive(daemon)).as("the double fork really escaped the command's tree").isTrue();
        }
    }

    private static final String TRACK_AND_LOOP = """
            export function start(ctx) { ctx.trackPidFile(ctx.props.Root + "/old.pid"); while (true) {} }
            """;

    private Process startBystander() throws IOException {
        Process p = new ProcessBuilder("sleep", "100").start();
        started.add(p);
        return p;
    }

    @Test
    void aStalePidFileWrittenBeforeTheCallIsLeftAlone() throws IOException {
        try (Env env = Env.load(dir, ROOT_RW, TRACK_AND_LOOP)) {
            Resource r = withRoot(env);
            Process bystander = startBystander();
            Path pidFile = dir.resolve("root/old.pid");
            Files.writeString(pidFile, bystander.pid() + "\n");
            Files.setLastModifiedTime(pidFile, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
            assertTimedOut(env.call(r, MethodName.START, Duration.ofMillis(500)), "start", "500ms");
            assertThat(bystander.isAlive()).isTrue();
        }
    }

    @Test
    void aFreshPidFileNamingAProcessOlderThanTheCallIsLeftAlone() throws IOException {
        try (Env env = Env.load(dir, ROOT_RW, TRACK_AND_LOOP)) {
            Resource r = withRoot(env);
            Process bystander = startBystander();
            Instant bornBy = bystander.info().startInstant().orElseThrow();
            // Older than the call by more than the one-second clock slack CallProcesses allows.
            await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(bornBy.plusMillis(2500)));
            Files.writeString(dir.resolve("root/old.pid"), bystander.pid() + "\n");
            assertTimedOut(env.call(r, MethodName.START, Duration.ofMillis(500)), "start", "500ms");
            assertThat(bystander.isAlive()).isTrue();
        }
    }

    @Test
    void execTimeoutKillsOnlyTheCommandAndTheMethodCarriesOn() throws IOException {
        try (Env env = Env.load(dir, "", """
                export function start(ctx) {
                  const r = ctx.exec(["sh", "-c", "sleep 30"], {timeoutMs: 300});
                  return ctx.success(JSON.stringify({timedOut: r.timedOut, exitCode: r.exitCode, elapsedMs: r.elapsedMs}));
                }
                """)) {
            MethodResult result = env.call(env.resource(), MethodName.START, Duration.ofSeconds(20));
            var r = MethodRuntimeTest.json(result);
            assertThat(r.get("timedOut")).isEqualTo(true);
            assertThat(r.get("exitCode")).isEqualTo(137);
            assertThat(((Number) r.get("elapsedMs")).longValue()).isGreaterThanOrEqualTo(300L)
                    .isLessThan(CUT_SHORT.toMillis());
        }
    }

    @Test
    void aMethodThatSwallowsTheDeadlineAndReturnsSuccessIsStillTimedOut() throws IOException {
        try (Env env = Env.load(dir, "", """
                export function start(ctx) {
                  try { ctx.sleep(60000); } catch (e) { }
                  try { ctx.exec(["true"]); } catch (e) { return ctx.success(e.message); }
                  return ctx.success("exec ran");
                }
                """)) {
            assertTimedOut(env.call(env.resource(), MethodName.START, Duration.ofMillis(300)), "start", "300ms");
        }
    }
}
