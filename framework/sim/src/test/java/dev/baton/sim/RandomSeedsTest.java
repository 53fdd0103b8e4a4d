package dev.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code baton.sim.seeds} random seeds (default 2,000) from {@code baton.sim.firstSeed}
 * (default 1) on every core, and fails listing each failing seed with its first violation.
 * Replay one with {@code ./baton sim --seed N}.
 */
class RandomSeedsTest {
    @Test
    void randomSeedsKeepEveryInvariant() throws Exception {
        runSeeds(Long.getLong("baton.sim.seeds", 2_000), false);
    }

    /**
     * The same faults with resource groups whose methods fail too: no failover group ever really
     * runs on two nodes, and every group is back online after repair. {@code baton.sim.rgmSeeds}
     * (default 400) seeds from {@code baton.sim.firstSeed}.
     */
    @Test
    void randomSeedsWithResourceGroupsKeepEveryInvariant() throws Exception {
        runSeeds(Long.getLong("baton.sim.rgmSeeds", 400), true);
    }

    private static void runSeeds(long seeds, boolean withGroups) throws Exception {
        long first = Long.getLong("baton.sim.firstSeed", 1);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<RandomRun.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicLong next = new AtomicLong(first);
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (long seed = next.getAndIncrement(); seed < first + seeds; seed = next.getAndIncrement()) {
                    try {
                        outcomes.add(new RandomRun(seed, withGroups).run());
                    } catch (RuntimeException | AssertionError e) {
                        failures.add("seed " + seed + ": " + e.getMessage());
                    }
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        report(outcomes, failures, System.nanoTime() - started);
        assertThat(failures).as("failing seeds (replay with ./baton sim --seed N" + (withGroups ? " --groups" : "") + ")").isEmpty();
        assertThat(outcomes).hasSize((int) seeds);
    }

    private static void report(List<RandomRun.Outcome> outcomes, List<String> failures, long elapsedNanos) {
        long commits = outcomes.stream().mapToLong(RandomRun.Outcome::commits).sum();
        long failfasts = outcomes.stream().mapToLong(RandomRun.Outcome::failfasts).sum();
        long faults = outcomes.stream().mapToLong(RandomRun.Outcome::faults).sum();
        long maxConverge = outcomes.stream().mapToLong(RandomRun.Outcome::convergedAfterMs).max().orElse(0);
        System.out.printf("simulated %d seeds in %.1f s: %d faults, %d change requests, %d failfasts; slowest convergence after repair %d ms; %d failing%n",
                outcomes.size() + failures.size(), elapsedNanos / 1e9, faults, commits, failfasts, maxConverge, failures.size());
        failures.stream().limit(5).forEach(System.out::println);
    }
}
