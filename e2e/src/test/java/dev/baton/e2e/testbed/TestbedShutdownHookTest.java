package dev.baton.e2e.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TestbedShutdownHookTest {

    @Test
    void aJvmEndedWithoutClosingStillRemovesItsTestbed() throws Exception {
        TestbedAssumptions.assumeNamespaces();
        String javaBinary = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"), TestbedLeftOpenMain.class.getName())
                .redirectErrorStream(true)
                .start();
        String made = firstLineStartingWith(child, "made ");
        String[] parts = made.split(" ");
        long sleeperPid = Long.parseLong(parts[3]);
        assertThat(TestbedTest.namespaces()).contains(parts[1], parts[2]);

        child.destroy();

        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child JVM exits on SIGTERM").isTrue();
        assertThat(TestbedTest.namespaces()).doesNotContain(parts[1], parts[2]);
        assertThat(ProcessHandle.of(sleeperPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        KeepRunDirOnFailure.deleteTree(java.nio.file.Path.of(parts[4]));
    }

    private static String firstLineStartingWith(Process child, String prefix) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new java.util.ArrayList<>();
        for (String line; (line = out.readLine()) != null && seen.size() < 100; ) {
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.add(line);
        }
        throw new AssertionError("child JVM never printed '" + prefix + "...'; it printed: " + seen);
    }
}
