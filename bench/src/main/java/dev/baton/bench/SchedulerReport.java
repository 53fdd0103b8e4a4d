package dev.baton.bench;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The summary of a {@link SchedulerBenchmark} run, as markdown tables: each case's median over
 * all forks' samples, 90th percentile, mean with its 99.9% error and the range of the forks' own
 * medians; then for each case and node count how the median grows from 500 to 2,000 and from
 * 2,000 to 10,000 resources (linear growth is 4.0 and 5.0).
 */
final class SchedulerReport {
    private record Key(String benchmark, int nodes, int resources) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = benchmark.compareTo(o.benchmark);
            c = c != 0 ? c : Integer.compare(nodes, o.nodes);
            return c != 0 ? c : Integer.compare(resources, o.resources);
        }

        Key withResources(int r) {
            return new Key(benchmark, nodes, r);
        }
    }

    private SchedulerReport() {
    }

    static void print(Collection<RunResult> results) {
        Map<Key, RunResult> byKey = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            byKey.put(new Key(name.substring(name.lastIndexOf('.') + 1), param(r, "nodes"), param(r, "resources")), r);
        }
        System.out.printf("%n| case | nodes | resources | median (ms) | p90 (ms) | mean ± error (ms) "
                + "| fork medians (ms) | samples |%n|---|---:|---:|---:|---:|---:|---:|---:|%n");
        byKey.forEach((k, r) -> {
            Statistics s = r.getPrimaryResult().getStatistics();
            System.out.printf("| %s | %d | %d | %.3f | %.3f | %.3f ± %.3f | %s | %d |%n", k.benchmark, k.nodes,
                    k.resources, s.getPercentile(50), s.getPercentile(90), s.getMean(), s.getMeanErrorAt(0.999),
                    forkRange(r), s.getN());
        });
        System.out.printf("%n| case | nodes | 2000/500 (linear 4.0) | 10000/2000 (linear 5.0) |%n"
                + "|---|---:|---:|---:|%n");
        for (Key k : byKey.keySet()) {
            if (k.resources == 500) {
                System.out.printf("| %s | %d | %s | %s |%n", k.benchmark, k.nodes,
                        ratio(byKey.get(k.withResources(2000)), byKey.get(k)),
                        ratio(byKey.get(k.withResources(10000)), byKey.get(k.withResources(2000))));
            }
        }
    }

    private static int param(RunResult r, String name) {
        return Integer.parseInt(r.getParams().getParam(name));
    }

    /** The lowest and highest median of the trial's forks: how much one JVM differs from the next. */
    private static String forkRange(RunResult r) {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (BenchmarkResult fork : r.getBenchmarkResults()) {
            double median = fork.getPrimaryResult().getStatistics().getPercentile(50);
            min = Math.min(min, median);
            max = Math.max(max, median);
        }
        return String.format("%.3f–%.3f", min, max);
    }

    private static String ratio(RunResult over, RunResult under) {
        if (over == null || under == null) {
            return "-";
        }
        return String.format("%.2f", median(over) / median(under));
    }

    private static double median(RunResult r) {
        return r.getPrimaryResult().getStatistics().getPercentile(50);
    }
}
