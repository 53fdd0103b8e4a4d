package dev.baton.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one benchmark in one JMH run and prints a summary. {@code ./baton bench} (or {@code bench
 * probe}) runs the probe benchmark and prints each variant's median and its ratio to the warm
 * JavaScript probe; {@code ./baton bench scheduler} runs {@link SchedulerBenchmark} and prints
 * medians with growth ratios. {@code --quick} shortens either run.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException {
        List<String> words = List.of(args);
        boolean quick = words.contains("--quick");
        List<String> names = words.stream().filter(w -> !w.startsWith("--")).toList();
        String which = names.isEmpty() ? "probe" : names.get(0);
        switch (which) {
            case "probe" -> probe(quick);
            case "scheduler" -> scheduler(quick);
            default -> throw new IllegalArgumentException("unknown benchmark '" + which + "' (probe, scheduler)");
        }
    }

    private static void probe(boolean quick) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(ProbeBenchmark.class.getName() + ".*")
                .forks(1)
                .warmupIterations(quick ? 2 : 3).warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 3))
                .jvmArgsAppend(jvmFlags());
        if (!curlInstalled()) {
            System.out.println("curl is not installed: skipping shellProbeCurl");
            options.exclude(".*shellProbeCurl");
        }
        report(new Runner(options.build()).run());
    }

    /**
     * Every (case, resources, nodes) of {@link SchedulerBenchmark}: 12 trials, about 6 minutes.
     * Three forks, because one fork's median moves by up to a half from one JVM to the next (the
     * JIT compiles the scheduler differently), while a fork's own iterations agree within 15%.
     */
    private static void scheduler(boolean quick) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(SchedulerBenchmark.class.getName() + ".*")
                .forks(quick ? 1 : 3)
                .warmupIterations(quick ? 2 : 3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(jvmFlags());
        SchedulerReport.print(new Runner(options.build()).run());
    }

    private static void report(Collection<RunResult> results) {
        Map<String, Double> medians = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            medians.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getStatistics().getPercentile(50));
        }
        double baseline = medians.getOrDefault("jsProbeWarmContext", Double.NaN);
        System.out.printf("%n%-22s %14s %12s%n", "probe", "median (µs)", "vs JS warm");
        medians.forEach((name, median) -> System.out.printf("%-22s %14.1f %11.2fx%n", name, median, median / baseline));
    }

    private static String[] jvmFlags() {
        List<String> flags = new ArrayList<>(List.of("-Xmx512m", "-Dlogback.configurationFile=" + System.getProperty(
                "logback.configurationFile", ""), "-Dbaton.apache.module=" + System.getProperty("baton.apache.module",
                "plugins/apache")));
        if (Runtime.version().feature() >= 24) {
            flags.add("--enable-native-access=ALL-UNNAMED");
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags.toArray(String[]::new);
    }

    private static boolean curlInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/curl"));
    }
}
