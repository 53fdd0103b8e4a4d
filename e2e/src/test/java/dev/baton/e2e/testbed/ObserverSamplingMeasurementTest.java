package dev.baton.e2e.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
  * Measures what the serving observer achieves, for e2e/README.md: sample gaps with each scheduling
  * level, idle and with the machine saturated, and what forking ip per namespace per sample would
  * cost instead. A measurement, not a check: run it by hand with
  * {@code ./baton mvn -B -o -q test -pl e2e -Dtest=ObserverSamplingMeasurementTest -Dbaton.e2e.measure=true}.
  */
@EnabledIfSystemProperty(named = "baton.e2e.measure", matches = "true")
class ObserverSamplingMeasurementTest {

    private static final Duration RUN = Duration.ofSeconds(Long.getLong("baton.e2e.measureSeconds", 20));
    private static final int NODES = 4;
    /** Busy loops: more than the 2 cores, like daemons and their JVMs competing with the observer. */
    private static final int BUSY_LOOPS = 4;

    @Test
    void samplingGapsPerSchedulingLevelIdleAndLoaded() throws Exception {
        TestbedAssumptions.assumeNamespaces();
        List<String> report = new ArrayList<>();
        try (Testbed tb = Testbed.create(NODES, 1)) {
            String logical = tb.hostAddress(0, 100);
            for (boolean loaded : new boolean[] {false, true}) {
                List<Process> load = loaded ? startLoad(tb) : List.of();
                for (String level : List.of("none", "nice", "realtime")) {
                    report.add((loaded ? "loaded " : "idle   ") + String.format(Locale.ROOT, "%-8s ", level) + observe(tb, logical, level));
                }
                report.add((loaded ? "loaded " : "idle   ") + "fork ip per namespace per sample: " + forkPerSample(tb, logical));
                load.forEach(Process::destroyForcibly);
            }
        }
        report.forEach(line -> System.out.println("[measure] " + line));
        assertThat(report).hasSize(8);
    }

    private static String observe(Testbed tb, String logical, String level) throws InterruptedException {
        System.setProperty(Scheduling.PROPERTY, level);
        long startNanos = System.nanoTime();
        try (ServingObserver observer = ServingObserver.start(tb, logical)) {
            Thread.sleep(RUN.toMillis());
            return observer.sampleGapStats() + " " + observer.schedulingNotes() + "; long gaps at (s into the run): "
                    + observer.longGaps().stream().limit(8)
                            .map(g -> String.format(Locale.ROOT, "%.1f ms @%.2f", g.gapNanos() / 1e6, (g.afterSampleNanos() - startNanos) / 1e9)).toList();
        } finally {
            System.clearProperty(Scheduling.PROPERTY);
        }
    }

    private static List<Process> startLoad(Testbed tb) {
        List<Process> load = new ArrayList<>();
        for (int i = 0; i < BUSY_LOOPS; i++) {
            load.add(tb.exec(1 + i % NODES, List.of("sh", "-c", "while :; do :; done"), Map.of(), tb.dir().resolve("load.log")));
        }
        return load;
    }

    /** Median and max time for one sample made of one ip fork per namespace, 200 samples. */
    private static String forkPerSample(Testbed tb, String logical) {
        long[] sampleNanos = new long[200];
        for (int s = 0; s < sampleNanos.length; s++) {
            long start = System.nanoTime();
            for (int node = 1; node <= NODES; node++) {
                Commands.runOk("ip", "-n", tb.ns(node), "-json", "address", "show", "to", logical + "/32");
            }
            sampleNanos[s] = System.nanoTime() - start;
        }
        Arrays.sort(sampleNanos);
        return String.format(Locale.ROOT, "median %.1f ms, max %.1f ms for %d namespaces",
                sampleNanos[sampleNanos.length / 2] / 1e6, sampleNanos[sampleNanos.length - 1] / 1e6, NODES);
    }
}
