package dev.baton.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every scenario in src/test/resources/scenarios and compares its regenerated text with the
 * file. {@code -Dbaton.updateGolden=true} rewrites the files that differ instead (read the diff
 * before committing). Format and commands: src/test/resources/scenarios/README.md.
 */
class ScenarioTest {
    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        return GoldenFiles.tests(Path.of("src", "test", "resources", "scenarios"), ScenarioRunner::regenerate);
    }

    // ---- the runner's own failures name the file and line ------------------------------------

    private static final String CLUSTER = "cluster nodes=3\n----\n\n";

    @Test
    void anUnknownCommandNamesFileAndLine() {
        assertThatThrownBy(() -> ScenarioRunner.regenerate("x.txt", CLUSTER + "# a comment\nfrobnicate 1\n----\n"))
                .isInstanceOf(ScenarioFailure.class).hasMessageStartingWith("x.txt:5: unknown command 'frobnicate'");
    }

    @Test
    void aBadArgumentNamesTheProblem() {
        assertThatThrownBy(() -> ScenarioRunner.regenerate("x.txt", CLUSTER + "run 3 seconds\n----\n"))
                .isInstanceOf(ScenarioFailure.class).hasMessageStartingWith("x.txt:4: duration, like 500ms or 3s must be a duration");
        assertThatThrownBy(() -> ScenarioRunner.regenerate("x.txt", CLUSTER + "crash 7\n----\n"))
                .hasMessageStartingWith("x.txt:4: no node 7; nodes are [1, 2, 3]");
        assertThatThrownBy(() -> ScenarioRunner.regenerate("x.txt", "cluster nodes=2 colour=blue\n----\n"))
                .hasMessageStartingWith("x.txt:1: unknown cluster option 'colour'");
    }

    @Test
    void aCommandWithoutSeparatorIsRefused() {
        assertThatThrownBy(() -> ScenarioRunner.regenerate("x.txt", CLUSTER + "run 1s\nstatus\n"))
                .hasMessageStartingWith("x.txt:4: a command (and its input lines) must be followed by a line '----'");
    }

    @Test
    void aFailedAssertionFailsEvenWhenOutputWouldBeRewritten() {
        String text = CLUSTER + "run 2s\n----\n\nassert members 1 1,2\n----\nok\n";
        assertThatThrownBy(() -> ScenarioRunner.regenerate("x.txt", text))
                .isInstanceOf(ScenarioFailure.class)
                .hasMessageStartingWith("x.txt:7: assert members 1 1,2: node 1 has epoch");
    }

    @Test
    void commentsBlankLinesAndOutputRoundTrip() {
        String text = "# heading\n\n" + CLUSTER + "\n# two blank lines above are kept\nassert sim-invariants\n----\nstale output\n";
        String regenerated = ScenarioRunner.regenerate("x.txt", text);
        assertThat(regenerated).startsWith("# heading\n\ncluster nodes=3\n----\n3 nodes [1, 2, 3]")
                .endsWith("\n\n# two blank lines above are kept\nassert sim-invariants\n----\nok\n");
        assertThat(ScenarioRunner.regenerate("x.txt", regenerated)).isEqualTo(regenerated);
    }
}
