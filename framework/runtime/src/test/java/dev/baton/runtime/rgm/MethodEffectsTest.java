package dev.baton.runtime.rgm;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.core.Effect;
import dev.baton.core.Input;
import dev.baton.core.Message;
import dev.baton.runtime.TestPlugins;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.method.MethodRuntime;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.plugin.PluginStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RunMethod effects performed with the real GraalJS method runtime, each answered by exactly one
 * MethodDone. The marker type leaves files behind, so a test can prove a method never ran.
 */
class MethodEffectsTest {
    /** Start counts its calls in ROOT/NAME.starts, waits while ROOT/NAME.hold exists, then marks ROOT/NAME.up. */
    private static final String MARKER_DESCRIPTOR = """
            properties:
              Root: {type: string, required: true}
              Port: {type: int, default: 80, min: 1, max: 65535}
            files:
              - {path: "${Root}", access: read_write}
            """;
    private static final String MARKER_MODULE = """
            function base(ctx) { return ctx.props.Root + "/" + ctx.resource; }
            export function start(ctx) {
              const starts = base(ctx) + ".starts";
              const n = ctx.fileExists(starts) ? Number(ctx.readFile(starts)) : 0;
              ctx.writeFile(starts, String(n + 1));
              while (ctx.fileExists(base(ctx) + ".hold")) { ctx.sleep(20); }
              ctx.writeFile(base(ctx) + ".up", "up");
              return ctx.success("started " + ctx.resource);
            }
            export function stop(ctx) {
              ctx.removeFile(base(ctx) + ".up");
              return ctx.success("stopped " + ctx.resource);
            }
            export function probe(ctx) {
              return ctx.fileExists(base(ctx) + ".up") ? ctx.running("up") : ctx.notRunning("down");
            }
            """;
    /** Start never returns; probe answers with a message longer than any core message. */
    private static final String ODD_MODULE = """
            export function start(ctx) { while (true) {} }
            export function stop(ctx) { return ctx.success(); }
            export function probe(ctx) { return ctx.running("x".repeat(3000)); }
            """;
    private static final long LONG_TIMEOUT_MS = 30_000;

    @TempDir
    Path dir;
    private final BlockingQueue<Input.MethodDone> answers = new LinkedBlockingQueue<>();
    private final AtomicLong runIds = new AtomicLong();
    private JsEngine engine;
    private PluginCatalog catalog;
    private MethodRuntime runtime;
    private MethodEffects effects;

    private void open(BatonConfig config) throws IOException {
        new TestPlugins(dir.resolve("plugins")).plugin("rgmtest")
                .type("marker", MARKER_DESCRIPTOR, MARKER_MODULE)
                .type("odd", "", ODD_MODULE)
                .writeFolder();
        engine = new JsEngine();
        catalog = PluginCatalog.loadDirectory(dir.resolve("plugins"), engine, config);
        PluginStatus status = catalog.plugin("rgmtest").orElseThrow();
        assertThat(status.state()).as(status.describe()).isEqualTo(PluginStatus.State.ACTIVE);
        runtime = new MethodRuntime(config);
        effects = new MethodEffects(catalog, runtime, config, answers::add);
    }

    private void open() throws IOException {
        open(BatonConfig.defaults());
    }

    @AfterEach
    void everyRunWasAnsweredOnceAndClose() throws InterruptedException {
        if (effects != null) {
            assertThat(answers.poll(200, TimeUnit.MILLISECONDS)).as("an answer nobody waited for").isNull();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (catalog != null) {
            catalog.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private Map<String, String> markerProps(String root) throws IOException {
        return Map.of("Root", Files.createDirectories(dir.resolve(root)).toString());
    }

    private Effect.RunMethod effect(String resource, String type, MethodName method, Map<String, String> props,
            long timeoutMs, long leaseDeadlineNanos) {
        return new Effect.RunMethod(runIds.incrementAndGet(), resource, type, method, props, timeoutMs,
                leaseDeadlineNanos);
    }

    private Effect.RunMethod effect(String resource, MethodName method, Map<String, String> props) {
        long deadline = method == MethodName.START ? System.nanoTime() + TimeUnit.SECONDS.toNanos(60) : Long.MAX_VALUE;
        return effect(resource, "marker", method, props, LONG_TIMEOUT_MS, deadline);
    }

    /** The next answer, which must be for {@code run}. */
    private Input.MethodDone answerTo(Effect.RunMethod run) throws InterruptedException {
        Input.MethodDone d = answers.poll(30, TimeUnit.SECONDS);
        assertThat(d).as("answer to run " + run.runId()).isNotNull();
        assertThat(d.runId()).isEqualTo(run.runId());
        return d;
    }

    private Input.MethodDone perform(Effect.RunMethod run) throws InterruptedException {
        effects.perform(run);
        return answerTo(run);
    }

    private Input.MethodDone perform(String resource, MethodName method, Map<String, String> props)
            throws InterruptedException {
        return perform(effect(resource, method, props));
    }

    private static void assertDone(Input.MethodDone d, ResultCode code, String message) {
        assertThat(d.code()).as(d.toString()).isEqualTo(code);
        assertThat(d.message()).isEqualTo(message);
    }

    @Test
    void startProbeStopRoundTripToMethodDoneWithTheirCodes() throws Exception {
        open();
        Map<String, String> p = markerProps("root");
        assertDone(perform("web", MethodName.PROBE, p), ResultCode.NOT_RUNNING, "down");
        assertDone(perform("web", MethodName.START, p), ResultCode.SUCCESS, "started web");
        assertDone(perform("web", MethodName.PROBE, p), ResultCode.RUNNING, "up");
        assertDone(perform("web", MethodName.STOP, p), ResultCode.SUCCESS, "stopped web");
        assertDone(perform("web", MethodName.PROBE, p), ResultCode.NOT_RUNNING, "down");
        assertThat(Files.readString(dir.resolve("root/web.starts"))).isEqualTo("1");
        assertThat(effects.cachedResources()).as("one instance served all five runs").isEqualTo(1);
    }

    @Test
    void aStartWhoseLeaseDeadlineAlreadyPassedIsRefusedAndItsJavaScriptNeverRuns() throws Exception {
        open();
        Map<String, String> p = markerProps("root");
        Input.MethodDone d = perform(effect("web", "marker", MethodName.START, p, LONG_TIMEOUT_MS,
                System.nanoTime() - 1));
        assertThat(d.code()).isEqualTo(ResultCode.FAILED);
        assertThat(d.message()).startsWith("start of web did not run: the lease deadline passed before it ran (by ");
        assertThat(dir.resolve("root/web.starts")).as("start was never invoked").doesNotExist();
        assertDone(perform("web", MethodName.PROBE, p), ResultCode.NOT_RUNNING, "down");
    }

    @Test
    void aStartWhoseLeaseDeadlinePassesWhileItWaitsForAThreadIsRefusedOnTheMethodThread() throws Exception {
        open(BatonConfig.defaults().with(ConfigKeys.METHOD_THREADS, 1));
        Map<String, String> p = markerProps("root");
        Path hold = Files.writeString(dir.resolve("root/busy.hold"), "");
        Effect.RunMethod busy = effect("busy", MethodName.START, p);
        effects.perform(busy);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("root/busy.starts")));

        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        Effect.RunMethod late = effect("late", "marker", MethodName.START, p, LONG_TIMEOUT_MS, deadline);
        effects.perform(late);
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - deadline > 0);
        assertThat(answers).as("late waits in the queue behind busy, unanswered").isEmpty();

        Files.delete(hold);
        assertDone(answerTo(busy), ResultCode.SUCCESS, "started busy");
        Input.MethodDone refused = answerTo(late);
        assertThat(refused.code()).isEqualTo(ResultCode.FAILED);
        assertThat(refused.message()).startsWith("start of late did not run: the lease deadline passed before it ran (by ");
        assertThat(dir.resolve("root/late.starts")).as("late's start was never invoked").doesNotExist();
    }

    @Test
    void aStartWithinItsLeaseRuns() throws Exception {
        open();
        Map<String, String> p = markerProps("root");
        Input.MethodDone d = perform(effect("web", "marker", MethodName.START, p, LONG_TIMEOUT_MS,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(20)));
        assertDone(d, ResultCode.SUCCESS, "started web");
    }

    @Test
    void anUnknownTypeIsFailedNamingIt() throws Exception {
        open();
        Input.MethodDone d = perform(effect("db", "oracle", MethodName.START, Map.of(), LONG_TIMEOUT_MS, Long.MAX_VALUE));
        assertThat(d.code()).isEqualTo(ResultCode.FAILED);
        assertThat(d.message()).startsWith("no loaded plugin provides resource type 'oracle' (resource db)");
        assertThat(effects.cachedResources()).isZero();
    }

    @Test
    void propertiesThatDoNotResolveAreAConfigErrorNamingEachProblem() throws Exception {
        open();
        Input.MethodDone d = perform("web", MethodName.START, Map.of("Port", "eighty"));
        assertThat(d.code()).isEqualTo(ResultCode.CONFIG_ERROR);
        assertThat(d.message()).startsWith("resource web: ").contains("Root").contains("Port");
        assertThat(effects.cachedResources()).isZero();
    }

    @Test
    void aBadResourceNameIsAConfigError() throws Exception {
        open();
        Input.MethodDone d = perform("1 web", MethodName.PROBE, markerProps("root"));
        assertThat(d.code()).isEqualTo(ResultCode.CONFIG_ERROR);
        assertThat(d.message()).contains("resource name '1 web'");
    }

    @Test
    void timeoutMsOverridesTheDescriptorAndAMethodPastItIsTimedOut() throws Exception {
        open();
        long began = System.nanoTime();
        Input.MethodDone d = perform(effect("spin", "odd", MethodName.START, Map.of(), 300, Long.MAX_VALUE));
        assertDone(d, ResultCode.TIMED_OUT, "start exceeded its timeout of 300ms; everything it started was killed");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).as("the descriptor says 5s").isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aLongMessageIsCutToWhatACoreMessageCarries() throws Exception {
        open();
        Input.MethodDone d = perform(effect("spin", "odd", MethodName.PROBE, Map.of(), LONG_TIMEOUT_MS, Long.MAX_VALUE));
        assertThat(d.code()).isEqualTo(ResultCode.RUNNING);
        assertThat(d.message()).hasSize(Message.MAX_TEXT_CHARS).endsWith("x…");
    }

    @Test
    void aBusyResourceIsRefusedAndNotRebuiltBesideItsRunningMethod() throws Exception {
        open();
        Map<String, String> p = markerProps("root");
        Path hold = Files.writeString(dir.resolve("root/web.hold"), "");
        Effect.RunMethod start = effect("web", MethodName.START, p);
        effects.perform(start);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("root/web.starts")));

        Input.MethodDone same = perform("web", MethodName.PROBE, p);
        assertDone(same, ResultCode.FAILED, "resource web is running start; probe was not started");
        Map<String, String> changed = new HashMap<>(p);
        changed.put("Port", "8080");
        Input.MethodDone rebuilt = perform("web", MethodName.STOP, changed);
        assertDone(rebuilt, ResultCode.FAILED,
                "resource web is running start with its previous type or properties; stop was not started");

        Files.delete(hold);
        assertDone(answerTo(start), ResultCode.SUCCESS, "started web");
        assertDone(perform("web", MethodName.STOP, changed), ResultCode.SUCCESS, "stopped web");
    }

    @Test
    void changedPropertiesRebuildTheResource() throws Exception {
        open();
        assertDone(perform("web", MethodName.START, markerProps("a")), ResultCode.SUCCESS, "started web");
        assertDone(perform("web", MethodName.START, markerProps("b")), ResultCode.SUCCESS, "started web");
        assertThat(dir.resolve("a/web.starts")).hasContent("1");
        assertThat(dir.resolve("b/web.starts")).as("the second start saw the new Root").hasContent("1");
        assertThat(effects.cachedResources()).isEqualTo(1);
    }

    @Test
    void idleResourcesAreDroppedAndForgetDropsOneAtOnce() throws Exception {
        open(BatonConfig.defaults().with(ConfigKeys.RGM_RESOURCE_MAX_IDLE, Duration.ofMillis(100)));
        Map<String, String> p = markerProps("root");
        perform("old", MethodName.PROBE, p);
        long usedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - usedAt > TimeUnit.MILLISECONDS.toNanos(150));
        perform("new", MethodName.PROBE, p);
        assertThat(effects.cachedResources()).as("old was idle too long").isEqualTo(1);
        assertThat(effects.forget("new")).isTrue();
        assertThat(effects.cachedResources()).isZero();
        assertDone(perform("new", MethodName.PROBE, p), ResultCode.NOT_RUNNING, "down");
    }

    @Test
    void theCacheHoldsAtMostItsBound() throws Exception {
        open(BatonConfig.defaults().with(ConfigKeys.RGM_RESOURCE_MAX_CACHED, 2));
        Map<String, String> p = markerProps("root");
        for (String name : new String[] {"r1", "r2", "r3", "r4"}) {
            assertDone(perform(name, MethodName.PROBE, p), ResultCode.NOT_RUNNING, "down");
            assertThat(effects.cachedResources()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void forgetKeepsAResourceWhileAMethodRunsOnIt() throws Exception {
        open();
        Map<String, String> p = markerProps("root");
        Path hold = Files.writeString(dir.resolve("root/web.hold"), "");
        Effect.RunMethod start = effect("web", MethodName.START, p);
        effects.perform(start);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("root/web.starts")));
        assertThat(effects.forget("web")).isFalse();
        Files.delete(hold);
        assertDone(answerTo(start), ResultCode.SUCCESS, "started web");
        assertThat(effects.forget("web")).isTrue();
    }
}
