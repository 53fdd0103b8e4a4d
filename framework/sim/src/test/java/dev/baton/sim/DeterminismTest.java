package dev.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A seed must replay exactly, in this JVM and in another one: `./baton sim --seed N` runs in a
 * fresh JVM, whose hash salt for Set.of / Map.of iteration differs from the test's. (Iterating an
 * unordered set once made message order, and so every later random draw, differ between JVMs.)
 */
class DeterminismTest {
    private static final int FROM = 1;
    private static final int TO = 40;

    @Test
    void seedsReplayIdenticallyInThisJvmAndInAFreshOne() throws Exception {
        String here = replayHere(false);
        assertThat(replayHere(false)).as("twice in this JVM").isEqualTo(here);
        assertThat(replayInFreshJvm(false)).as("in a fresh JVM").isEqualTo(here);
    }

    @Test
    void seedsWithResourceGroupsReplayIdenticallyInAFreshJvm() throws Exception {
        String here = replayHere(true);
        assertThat(replayInFreshJvm(true)).as("in a fresh JVM").isEqualTo(here);
    }

    private static String replayHere(boolean groups) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Replay.replay(FROM, groups ? TO / 2 : TO, false, groups, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String replayInFreshJvm(boolean groups) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Replay.class.getName(),
                "--from", String.valueOf(FROM), "--to", String.valueOf(groups ? TO / 2 : TO)));
        if (groups) {
            command.add("--groups");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
