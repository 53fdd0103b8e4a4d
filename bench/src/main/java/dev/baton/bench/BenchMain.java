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
 * Runs the probe benchmark in one JMH run and prints each variant's median and its ratio to
 * the warm JavaScript probe. {@code ./baton bench} runs it; {@code --quick} shortens the run.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException {
        boolean quick = List.of(args).contains("--quick");
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
