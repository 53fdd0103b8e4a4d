package dev.baton.runtime.method;

import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;
import dev.baton.runtime.method.MethodRuntimeTest.Env;
import dev.baton.runtime.resource.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proof ARCHITECTURE.md asks for before virtual threads may run GraalJS contexts: with
 * {@code method.executor=virtual}, a couple of hundred calls on twenty resources at once, some of
 * them endless loops cut by short timeouts, all end with the right result and no exception, and
 * contexts move between virtual threads (and their carriers) without harm.
 *
 * <p>The default stays platform threads all the same: guest code never yields its carrier, so
 * on virtual threads a few CPU-bound methods occupy every carrier (there are as many as cores)
 * and hold up every other call until their timeouts. This test shows virtual threads are
 * correct, not that they are a good default. Loops holding every carrier are also what once
 * made them hang: the deadline's canceller ran on a virtual thread and could not get a carrier
 * (now it runs on a platform thread; this test hit that hang only now and then, mostly with
 * {@code -Djdk.virtualThreadScheduler.parallelism=1}).
 */
class GraalJsOnVirtualThreadsTest {
    private static final int RESOURCES = 20;
    private static final int CALLS_PER_RESOURCE = 10;
    /** More endless loops at once than there are carriers (one per core), so at times loops hold them all. */
    private static final int LOOPING_RESOURCES = Math.min(RESOURCES / 2, Runtime.getRuntime().availableProcessors() + 2);
    private static final Duration LOOP_TIMEOUT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private record Outcome(String resource, MethodName method, MethodResult result) {
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void manyConcurrentCallsWithEndlessLoopsOnVirtualThreads() throws Exception {
        BatonConfig config = BatonConfig.defaults().with(ConfigKeys.METHOD_EXECUTOR, ConfigKeys.ExecutorKind.VIRTUAL);
        try (Env env = Env.load(dir, config, "", """
                export function start(ctx) { while (true) {} }
                export function probe(ctx) {
                  let sum = 0;
                  for (let i = 0; i < 1000; i++) { sum += i; }
                  return sum === 499500 ? ctx.running(ctx.resource) : ctx.failed("bad sum " + sum);
                }
                export function stop(ctx) { ctx.log.info("stopping " + ctx.resource); return ctx.success(); }
                """)) {
            List<Outcome> outcomes = runAll(env);

            assertThat(outcomes).hasSize(RESOURCES * CALLS_PER_RESOURCE);
            assertThat(outcomes).filteredOn(o -> o.method() == MethodName.START).hasSize(LOOPING_RESOURCES * 5)
                    .allSatisfy(o -> assertThat(o.result().code()).as(o.toString()).isEqualTo(ResultCode.TIMED_OUT));
            assertThat(outcomes).filteredOn(o -> o.method() == MethodName.PROBE).allSatisfy(o -> {
                assertThat(o.result().code()).as(o.toString()).isEqualTo(ResultCode.RUNNING);
                assertThat(o.result().message()).isEqualTo(o.resource());
            });
            assertThat(outcomes).filteredOn(o -> o.method() == MethodName.STOP).isNotEmpty().allSatisfy(o -> {
                assertThat(o.result().code()).as(o.toString()).isEqualTo(ResultCode.SUCCESS);
                assertThat(o.result().log()).containsExactly("INFO stopping " + o.resource());
            });
        }
    }

    /** One client per resource, all at once; each makes its calls one after the other. */
    private static List<Outcome> runAll(Env env) throws InterruptedException {
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(RESOURCES);
        for (int i = 0; i < RESOURCES; i++) {
            Resource r = env.resource("res" + i, Map.of());
            boolean looping = i < LOOPING_RESOURCES;
            clients.execute(() -> {
                try {
                    go.await();
                    for (MethodName m : plan(looping)) {
                        MethodRuntime.CallOptions options = m == MethodName.START
                                ? MethodRuntime.CallOptions.withTimeout(LOOP_TIMEOUT) : MethodRuntime.CallOptions.DEFAULT;
                        outcomes.add(new Outcome(r.name(), m, env.runtime.submit(r, m, options).join()));
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            });
        }
        go.countDown();
        clients.shutdown();
        assertThat(clients.awaitTermination(150, TimeUnit.SECONDS)).as("all clients finished").isTrue();
        assertThat(errors).isEmpty();
        return new ArrayList<>(outcomes);
    }

    /** Looping resources alternate an endless start with a probe; the others probe and sometimes stop. */
    private static List<MethodName> plan(boolean looping) {
        List<MethodName> plan = new ArrayList<>();
        for (int k = 0; k < CALLS_PER_RESOURCE; k++) {
            if (looping) {
                plan.add(k % 2 == 0 ? MethodName.START : MethodName.PROBE);
            } else {
                plan.add(k % 5 == 4 ? MethodName.STOP : MethodName.PROBE);
            }
        }
        return plan;
    }
}
