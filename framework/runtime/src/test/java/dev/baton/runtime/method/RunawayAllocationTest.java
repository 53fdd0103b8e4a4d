package dev.baton.runtime.method;

import dev.baton.api.method.MethodResult;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.method.MethodRuntimeTest.Env;
import dev.baton.runtime.resource.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A method that allocates without end. GraalJS community has no per-context heap limit, so the
 * heap fills; GraalJS turns the OutOfMemoryError of the allocating script into a "resource
 * exhausted" error, the call ends FAILED, and the runtime keeps serving. It runs in a JVM of its
 * own with a small heap, so that filling it cannot disturb the test run.
 */
class RunawayAllocationTest {
    @TempDir
    Path dir;

    @Test
    void aScriptThatFillsTheHeapFailsAndTheRuntimeKeepsServing() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-XX:+UseSerialGC"));
        if (Runtime.version().feature() >= 24) {
            command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), dir.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("start: FAILED").contains("resource exhausted");
        assertThat(output).contains("probe after: RUNNING");
        assertThat(p.exitValue()).as(output).isZero();
    }

    /** The child JVM: one runaway start, then a probe on the same runtime. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            try (Env env = Env.load(Path.of(args[0]), BatonConfig.defaults(), "", """
                    export function start(ctx) { const all = []; while (true) all.push(new Array(10000).fill(1.5)); }
                    export function probe(ctx) { return ctx.running(); }
                    """)) {
                Resource r = env.resource("hog", Map.of());
                MethodResult start = env.call(r, MethodName.START, java.time.Duration.ofSeconds(60));
                System.out.println("start: " + start);
                System.out.println("probe after: " + env.call(r, MethodName.PROBE).code());
            }
            System.exit(0);
        }
    }
}
