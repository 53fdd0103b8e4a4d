package dev.baton.runtime.method;

import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.api.type.PropertyProblem;
import dev.baton.runtime.TestPlugins;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.plugin.PluginStatus;
import dev.baton.runtime.resource.InvalidPropertiesException;
import dev.baton.runtime.resource.Resource;
import dev.baton.runtime.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Results, errors, validation, logs and admission of method calls, run for real in GraalJS. */
class MethodRuntimeTest {
    @TempDir
    Path dir;

    /**
     * One plugin with one type, loaded the way Baton loads plugins, and a method runtime: what
     * every method test needs. Shared by the tests of this package.
     */
    static final class Env implements AutoCloseable {
        final JsEngine engine;
        final PluginCatalog catalog;
        final MethodRuntime runtime;
        final ResourceType type;

        private Env(JsEngine engine, PluginCatalog catalog, MethodRuntime runtime, ResourceType type) {
            this.engine = engine;
            this.catalog = catalog;
            this.runtime = runtime;
            this.type = type;
        }

        static Env load(Path dir, String extraDescriptor, String functions) throws IOException {
            return load(dir, BatonConfig.defaults(), extraDescriptor, functions);
        }

        /** Type {@code t}: the minimal descriptor plus {@code extraDescriptor}, the module {@link #module}. */
        static Env load(Path dir, BatonConfig config, String extraDescriptor, String functions) throws IOException {
            new TestPlugins(dir.resolve("plugins")).plugin("test").type("t", extraDescriptor, module(functions))
                    .writeFolder();
            JsEngine engine = new JsEngine();
            PluginCatalog catalog = PluginCatalog.loadDirectory(dir.resolve("plugins"), engine, config);
            PluginStatus status = catalog.plugin("test").orElseThrow();
            if (status.state() != PluginStatus.State.ACTIVE) {
                catalog.close();
                engine.close();
                throw new AssertionError(status.describe());
            }
            return new Env(engine, catalog, new MethodRuntime(config), catalog.type("t").orElseThrow());
        }

        /** The functions given, plus trivial start, stop and probe for those not given. */
        static String module(String functions) {
            StringBuilder s = new StringBuilder(functions).append('\n');
            if (!functions.contains("function start(")) {
                s.append("export function start(ctx) { return ctx.success(); }\n");
            }
            if (!functions.contains("function stop(")) {
                s.append("export function stop(ctx) { return ctx.success(); }\n");
            }
            if (!functions.contains("function probe(")) {
                s.append("export function probe(ctx) { return ctx.notRunning(); }\n");
            }
            return s.toString();
        }

        Resource resource(String name, Map<String, String> values) {
            return type.newResource(name, values);
        }

        Resource resource() {
            return resource("r1", Map.of());
        }

        MethodResult call(Resource r, MethodName m) {
            return runtime.call(r, m);
        }

        MethodResult call(Resource r, MethodName m, Duration timeout) {
            return runtime.call(r, m, MethodRuntime.CallOptions.withTimeout(timeout));
        }

        /** Calls start on a fresh resource. */
        MethodResult start() {
            return call(resource(), MethodName.START);
        }

        @Override
        public void close() {
            runtime.close();
            catalog.close();
            engine.close();
        }
    }

    /** Reads the JSON a method returned as its message (YAML is a superset of JSON). */
    static Map<String, Object> json(MethodResult r) {
        assertThat(r.code()).as(r.toString()).isIn(ResultCode.SUCCESS, ResultCode.RUNNING);
        return new Yaml().load(r.message());
    }

    private Env load(String functions) throws IOException {
        return Env.load(dir, "", functions);
    }

    // ---- what a method returns ----

    @Test
    void ctxResultsPassThroughWithTheirMessage() throws IOException {
        try (Env env = load("""
                export function start(ctx) { return ctx.success("up on 80"); }
                export function stop(ctx) { return ctx.failedHard("binary missing"); }
                export function probe(ctx) { return ctx.degraded("slow backend"); }
                """)) {
            Resource r = env.resource();
            assertThat(env.call(r, MethodName.START)).extracting(MethodResult::code, MethodResult::message)
                    .containsExactly(ResultCode.SUCCESS, "up on 80");
            assertThat(env.call(r, MethodName.STOP).code()).isEqualTo(ResultCode.FAILED_HARD);
            MethodResult probe = env.call(r, MethodName.PROBE);
            assertThat(probe.code()).isEqualTo(ResultCode.DEGRADED);
            assertThat(probe.message()).isEqualTo("slow backend");
            assertThat(probe.elapsed()).isPositive();
        }
    }

    @Test
    void returningNothingFails() throws IOException {
        try (Env env = load("export function start(ctx) { ctx.log.info('forgot to return'); }")) {
            MethodResult r = env.start();
            assertThat(r.code()).isEqualTo(ResultCode.FAILED);
            assertThat(r.message()).startsWith("start returned undefined instead of a result")
                    .contains("return ctx.success()");
        }
    }

    @Test
    void aPlainObjectShapedLikeAResultIsNotOne() throws IOException {
        try (Env env = load("export function start(ctx) { return {code: 'SUCCESS', message: ''}; }")) {
            MethodResult r = env.start();
            assertThat(r.code()).isEqualTo(ResultCode.FAILED);
            assertThat(r.message()).contains("instead of a result");
        }
    }

    @Test
    void anAsyncMethodFailsNamingThePromise() throws IOException {
        try (Env env = load("export async function start(ctx) { return ctx.success(); }")) {
            MethodResult r = env.start();
            assertThat(r.code()).isEqualTo(ResultCode.FAILED);
            assertThat(r.message()).contains("Promise").contains("drop 'async'");
        }
    }

    @Test
    void aProbeMayNotReturnSuccess() throws IOException {
        try (Env env = load("export function probe(ctx) { return ctx.success(); }")) {
            MethodResult r = env.call(env.resource(), MethodName.PROBE);
            assertThat(r.code()).isEqualTo(ResultCode.FAILED);
            assertThat(r.message()).contains("probe returned SUCCESS, which probe may not return")
                    .contains("RUNNING, NOT_RUNNING");
        }
    }

    @Test
    void aStartMayNotReturnRunning() throws IOException {
        try (Env env = load("export function start(ctx) { return ctx.running(); }")) {
            assertThat(env.start().message()).contains("may not return");
        }
    }

    @Test
    void aThrowingMethodFailsWithFileLineAndMessage() throws IOException {
        try (Env env = load("""
                export function start(ctx) {
                  const port = 80;
                  throw new Error("port " + port + " is taken");
                }
                """)) {
            MethodResult r = env.start();
            assertThat(r.code()).isEqualTo(ResultCode.FAILED);
            assertThat(r.message()).isEqualTo("types/t.js:3: Error: port 80 is taken");
        }
    }

    @Test
    void aTypeErrorInAMethodNamesItsLine() throws IOException {
        try (Env env = load("""
                export function start(ctx) {
                  const x = null;
                  return x.y;
                }
                """)) {
            MethodResult r = env.start();
            assertThat(r.code()).isEqualTo(ResultCode.FAILED);
            assertThat(r.message()).startsWith("types/t.js:3: TypeError");
        }
    }

    @Test
    void aHostErrorCaughtByTheMethodIsJustAValue() throws IOException {
        try (Env env = load("""
                export function start(ctx) {
                  try { ctx.exec([]); } catch (e) { return ctx.failed("caught: " + e.message); }
                  return ctx.success();
                }
                """)) {
            MethodResult r = env.start();
            assertThat(r.code()).isEqualTo(ResultCode.FAILED);
            assertThat(r.message()).startsWith("caught: ctx.exec: the command array has 0 items");
        }
    }

    @Test
    void anUnimplementedOptionalMethodSucceedsWithoutRunning() throws IOException {
        try (Env env = load("")) {
            MethodResult r = env.call(env.resource(), MethodName.UPDATE);
            assertThat(r.code()).isEqualTo(ResultCode.SUCCESS);
            assertThat(r.message()).isEqualTo("type t does not implement update: nothing to do");
        }
    }

    @Test
    void aLongMessageIsClipped() throws IOException {
        BatonConfig config = BatonConfig.defaults().with(ConfigKeys.MESSAGE_MAX_CHARS, 100);
        try (Env env = Env.load(dir, config, "", "export function start(ctx) { return ctx.failed('x'.repeat(5000)); }")) {
            MethodResult r = env.start();
            assertThat(r.message()).startsWith("x".repeat(100)).endsWith("[4900 more characters]").hasSizeLessThan(200);
        }
    }

    // ---- validate ----

    private static final String VALIDATED = """
            properties:
              Port: {type: int, default: 80}
              Root: {type: string, required: true}
            methods:
              validate: {timeout: 5s}
            """;

    private Env loadValidated(String validate) throws IOException {
        // The extra text continues the minimal descriptor, so 'methods:' must not repeat: splice validate in.
        return Env.load(dir, VALIDATED.replace("methods:\n", ""), validate);
    }

    @Test
    void validateProblemsMakeAConfigError() throws IOException {
        try (Env env = Env.load(dir, """
                  validate: {timeout: 5s}
                properties:
                  Port: {type: int, default: 80}
                """, """
                export function validate(ctx) {
                  if (ctx.props.Port < 1024) { ctx.problem("Port", "below 1024 needs root"); }
                  return ctx.success();
                }
                """)) {
            MethodResult r = env.runtime.validate(env.type, "web", Map.of("Port", "80"), MethodRuntime.CallOptions.DEFAULT);
            assertThat(r.code()).isEqualTo(ResultCode.CONFIG_ERROR);
            assertThat(r.problems()).containsExactly(new PropertyProblem("Port", "below 1024 needs root"));
            assertThat(r.message()).isEqualTo("1 property problem(s) reported by validate");
            MethodResult fine = env.runtime.validate(env.type, "web", Map.of("Port", "8080"), MethodRuntime.CallOptions.DEFAULT);
            assertThat(fine.code()).isEqualTo(ResultCode.SUCCESS);
            assertThat(fine.problems()).isEmpty();
        }
    }

    @Test
    void validateChecksTheFrameworkRulesBeforeRunningJavaScript() throws IOException {
        try (Env env = Env.load(dir, """
                  validate: {timeout: 5s}
                properties:
                  Root: {type: string, required: true}
                """, """
                export function validate(ctx) {
                  ctx.log.info("validate ran");
                  return ctx.failed("validate ran");
                }
                """)) {
            MethodResult r = env.runtime.validate(env.type, "web", Map.of("Prot", "1"), MethodRuntime.CallOptions.DEFAULT);
            assertThat(r.code()).isEqualTo(ResultCode.CONFIG_ERROR);
            assertThat(r.problems()).extracting(PropertyProblem::property).containsExactlyInAnyOrder("Prot", "Root");
            assertThat(r.problems()).extracting(PropertyProblem::message)
                    .contains("required, and no value was given");
            assertThat(r.message()).isEqualTo("2 property problem(s)");
            assertThat(r.log()).isEmpty();
            MethodResult ran = env.runtime.validate(env.type, "web", Map.of("Root", "/srv"), MethodRuntime.CallOptions.DEFAULT);
            assertThat(ran.message()).isEqualTo("validate ran");
        }
    }

    @Test
    void newResourceRefusesBadValuesNamingEachProperty() throws IOException {
        try (Env env = Env.load(dir, "properties:\n  Port: {type: int, min: 1, max: 10}\n", "")) {
            assertThatThrownBy(() -> env.resource("r", Map.of("Port", "11", "Bogus", "1")))
                    .isInstanceOfSatisfying(InvalidPropertiesException.class, e ->
                            assertThat(e.problems()).extracting(PropertyProblem::property)
                                    .containsExactlyInAnyOrder("Port", "Bogus"))
                    .hasMessageStartingWith("resource r: ");
            assertThatThrownBy(() -> env.resource("1bad name", Map.of()))
                    .hasMessageContaining("resource name '1bad name'");
        }
    }

    // ---- logs ----

    @Test
    void consoleOutputEndsUpInTheLog() throws IOException {
        try (Env env = load("""
                export function start(ctx) {
                  console.log("hello from console");
                  ctx.log.warn("careful");
                  console.error("on stderr");
                  return ctx.success();
                }
                """)) {
            MethodResult r = env.start();
            assertThat(r.log()).containsExactly("INFO console: hello from console", "WARN careful",
                    "INFO console: on stderr");
        }
    }

    @Test
    void consoleOutputOfOneCallDoesNotLeakIntoTheNext() throws IOException {
        try (Env env = load("""
                export function start(ctx) { console.log("start says hi"); return ctx.success(); }
                export function probe(ctx) { return ctx.notRunning(); }
                """)) {
            Resource r = env.resource();
            assertThat(env.call(r, MethodName.START).log()).containsExactly("INFO console: start says hi");
            assertThat(env.call(r, MethodName.PROBE).log()).isEmpty();
        }
    }

    @Test
    void aMillionLogLinesAreBoundedAndCounted() throws IOException {
        try (Env env = load("""
                export function start(ctx) {
                  for (let i = 0; i < 1000000; i++) { ctx.log.info("line " + i); }
                  return ctx.success();
                }
                """)) {
            MethodResult r = env.call(env.resource(), MethodName.START, Duration.ofSeconds(120));
            assertThat(r.code()).as(r.toString()).isEqualTo(ResultCode.SUCCESS);
            assertThat(r.log()).hasSize(201);
            assertThat(r.log().get(0)).isEqualTo("INFO line 0");
            assertThat(r.log().get(199)).isEqualTo("INFO line 199");
            assertThat(r.log().get(200)).isEqualTo("WARN 999800 more log lines dropped (limit 200 per call)");
        }
    }

    @Test
    void aHugeLogLineIsClipped() throws IOException {
        try (Env env = load("export function start(ctx) { ctx.log.info('y'.repeat(10000)); return ctx.success(); }")) {
            String line = env.start().log().get(0);
            assertThat(line).startsWith("INFO " + "y".repeat(2000)).endsWith("[8000 more characters]");
        }
    }

    @Test
    void logAcceptsNonStrings() throws IOException {
        try (Env env = load("export function start(ctx) { ctx.log.debug(42); ctx.log.error(null); return ctx.success(); }")) {
            assertThat(env.start().log()).containsExactly("DEBUG 42", "ERROR null");
        }
    }

    // ---- contexts ----

    private static final String COUNTING = """
            let calls = 0;
            export function probe(ctx) { calls++; return ctx.running(String(calls)); }
            """;

    @Test
    void anIdleContextIsReusedByTheNextCall() throws IOException {
        try (Env env = load(COUNTING)) {
            Resource r = env.resource();
            assertThat(env.call(r, MethodName.PROBE).message()).isEqualTo("1");
            assertThat(env.call(r, MethodName.PROBE).message()).isEqualTo("2");
        }
    }

    @Test
    void withoutAPoolEveryCallGetsAFreshContext() throws IOException {
        BatonConfig config = BatonConfig.defaults().with(ConfigKeys.CONTEXT_POOL_PER_TYPE, 0);
        try (Env env = Env.load(dir, config, "", COUNTING)) {
            Resource r = env.resource();
            assertThat(env.call(r, MethodName.PROBE).message()).isEqualTo("1");
            assertThat(env.call(r, MethodName.PROBE).message()).isEqualTo("1");
        }
    }

    @Test
    void aContextThatThrewASyntaxErrorAtRuntimeIsNotReused() throws IOException {
        try (Env env = load(COUNTING + """
                export function start(ctx) { calls++; eval("this is not javascript"); }
                """)) {
            Resource r = env.resource();
            assertThat(env.call(r, MethodName.PROBE).message()).isEqualTo("1");
            assertThat(env.call(r, MethodName.START).code()).isEqualTo(ResultCode.FAILED);
            assertThat(env.call(r, MethodName.PROBE).message()).isEqualTo("1");
        }
    }

    // ---- admission ----

    private static final String SLOW = """
            export function start(ctx) { ctx.sleep(1500); return ctx.success("slept"); }
            """;

    @Test
    void aBusyResourceRefusesASecondCall() throws IOException {
        try (Env env = load(SLOW)) {
            Resource r = env.resource();
            CompletableFuture<MethodResult> first = env.runtime.submit(r, MethodName.START, MethodRuntime.CallOptions.DEFAULT);
            assertThatThrownBy(() -> env.runtime.submit(r, MethodName.PROBE, MethodRuntime.CallOptions.DEFAULT))
                    .isInstanceOf(MethodRejectedException.class)
                    .hasMessage("resource r1 is running start; probe was not started");
            assertThat(first.join().message()).isEqualTo("slept");
            assertThat(env.call(r, MethodName.PROBE).code()).isEqualTo(ResultCode.NOT_RUNNING);
        }
    }

    @Test
    void aFullQueueRefusesTheCall() throws IOException {
        BatonConfig config = BatonConfig.defaults().with(ConfigKeys.METHOD_THREADS, 1)
                .with(ConfigKeys.METHOD_QUEUE_CAPACITY, 1);
        try (Env env = Env.load(dir, config, "", SLOW)) {
            Resource a = env.resource("a", Map.of());
            Resource b = env.resource("b", Map.of());
            Resource c = env.resource("c", Map.of());
            var running = env.runtime.submit(a, MethodName.START, MethodRuntime.CallOptions.DEFAULT);
            var queued = env.runtime.submit(b, MethodName.START, MethodRuntime.CallOptions.DEFAULT);
            assertThatThrownBy(() -> env.runtime.submit(c, MethodName.START, MethodRuntime.CallOptions.DEFAULT))
                    .isInstanceOf(MethodRejectedException.class)
                    .hasMessageContaining("method queue full (1 calls waiting)")
                    .hasMessageContaining("start of c was not started");
            assertThat(List.of(running.join(), queued.join())).extracting(MethodResult::code)
                    .containsOnly(ResultCode.SUCCESS);
            assertThat(env.call(c, MethodName.PROBE).code()).as("c is not left busy").isEqualTo(ResultCode.NOT_RUNNING);
        }
    }

    @Test
    void callOptionsOverrideTheTimeoutProperty() throws IOException {
        try (Env env = load("export function start(ctx) { return ctx.success(String(ctx.remainingMs())); }")) {
            long fromProperty = Long.parseLong(env.start().message());
            assertThat(fromProperty).isBetween(1_000L, 5_000L);
            Resource r = env.resource("r2", Map.of("Start_timeout", "2m"));
            assertThat(Long.parseLong(env.call(r, MethodName.START).message())).isBetween(60_000L, 120_000L);
            assertThat(Long.parseLong(env.call(r, MethodName.START, Duration.ofMillis(700)).message())).isBetween(1L, 700L);
        }
    }
}
