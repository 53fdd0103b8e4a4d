package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.e2e.testbed.Testbed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 item 2: do the heartbeat defaults hold on a busy machine, without real-time scheduling
 * (the fallback containers force)? Three daemons with {@code --no-realtime} run while CPU hogs
 * (busy shell loops at normal priority, {@code baton.bench.hogs}, default 4 on 2 cores) and a
 * second wave of daemon start-ups compete for the cores for {@code baton.bench.seconds} (default 60);
 * every membership change during that time is a false failover. The timing line under test comes
 * from {@code baton.bench.timing} (empty: the defaults). Run by {@code ./baton bench busy}; not part
 * of the default test run. Prints the count and the epochs seen.
 */
class BusyMachineBenchmark {
    @Test
    void membershipHoldsUnderLoad() throws Exception {
        int hogs = Integer.getInteger("baton.bench.hogs", 4);
        int seconds = Integer.getInteger("baton.bench.seconds", 60);
        String timing = System.getProperty("baton.bench.timing", "");
        boolean realtime = Boolean.getBoolean("baton.bench.realtime");
        try (Testbed bed = Testbed.create(3, 1); BatonCluster cluster = new BatonCluster(bed, 3)) {
            if (!realtime) {
                cluster.extraDaemonArgs.add("--no-realtime");
            }
            cluster.createAll(timing.isBlank() ? cluster.description(1) : cluster.description(1, "timing " + timing));
            for (int n = 1; n <= 3; n++) {
                cluster.start(n);
            }
            cluster.awaitMembership(Set.of(1, 2, 3), Duration.ofSeconds(90));
            String epoch = cluster.status(1).path("epoch").asText();
            List<Process> load = new ArrayList<>();
            Set<String> epochs = new TreeSet<>();
            try {
                for (int i = 0; i < hogs; i++) {
                    load.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
                }
                // JVMs starting one after another, each loading the plugins and the JavaScript engine: the
                // load a daemon restarting beside the others causes (it starved a lease renewal once).
                String startups = "while :; do " + String.join(" ", cluster.cli("plugins", "--plugins",
                        cluster.home.resolve("plugins").toString())).replace("/*", "/'*'") + " >/dev/null 2>&1; done";
                load.add(new ProcessBuilder("sh", "-c", startups).start());
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                while (System.nanoTime() < end) {
                    for (int n = 1; n <= 3; n++) {
                        epochs.add(cluster.status(n).path("epoch").asText("none"));
                    }
                    Thread.sleep(200);
                }
            } finally {
                load.forEach(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
            }
            epochs.remove(epoch);
            System.out.printf("BENCH busy machine (%d hogs, %d s, realtime %s, timing '%s'): %d membership change(s) %s%n",
                    hogs, seconds, realtime, timing.isBlank() ? "defaults" : timing, epochs.size(), epochs);
            assertThat(epochs).as("membership changes under load (false failovers)").isEmpty();
        }
    }
}
