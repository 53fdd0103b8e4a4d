package dev.baton.runtime.method;

import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;
import dev.baton.runtime.method.MethodRuntimeTest.Env;
import dev.baton.runtime.resource.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What happens to calls around the runtime's own lifecycle and to files that never end. */
class MethodRuntimeLifecycleTest {
    private static final String FILES = """
            properties:
              Root: {type: string}
            files:
              - {path: "${Root}", access: read_write}
            """;

    @TempDir
    Path dir;

    @Test
    void closingTheRuntimeCompletesCallsThatNeverGotAThread() throws Exception {
        BatonConfig config = BatonConfig.defaults().with(ConfigKeys.METHOD_THREADS, 1);
        Env env = Env.load(dir, config, "", "export function start(ctx) { ctx.sleep(2000); return ctx.success(); }");
        try {
            Resource busy = env.resource("busy", Map.of());
            Resource waiting = env.resource("waiting", Map.of());
            env.runtime.submit(busy, MethodName.START, MethodRuntime.CallOptions.DEFAULT);
            CompletableFuture<MethodResult> queued = env.runtime.submit(waiting, MethodName.START,
                    MethodRuntime.CallOptions.DEFAULT);
            env.runtime.close();
            MethodResult r = queued.get(5, TimeUnit.SECONDS);
            assertThat(r.code()).isEqualTo(ResultCode.FAILED);
            assertThat(r.message()).isEqualTo("start of waiting did not run: the method runtime shut down");
            assertThat(waiting.tryBegin("probe")).as("the abandoned resource is free again").isNull();
        } finally {
            env.close();
        }
    }

    @Test
    void aNamedPipeIsRefusedInsteadOfBlockingTheMethod() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path fifo = root.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        try (Env env = Env.load(dir, BatonConfig.defaults(), FILES, """
                export function start(ctx) { return ctx.success(ctx.readFile(ctx.props.Root + "/pipe")); }
                export function probe(ctx) { ctx.trackPidFile(ctx.props.Root + "/pipe"); return ctx.running(); }
                """)) {
            Resource r = env.resource("r", Map.of("Root", root.toString()));
            MethodResult read = env.call(r, MethodName.START, Duration.ofSeconds(30));
            assertThat(read.code()).isEqualTo(ResultCode.FAILED);
            assertThat(read.message()).contains("ctx.readFile").contains("is not a regular file");
            assertThat(read.elapsed()).as("refused, not timed out").isLessThan(Duration.ofSeconds(10));
            MethodResult track = env.call(r, MethodName.PROBE);
            assertThat(track.message()).contains("ctx.trackPidFile").contains("is not a regular file");
        }
    }
}
