package dev.baton.sim.scenario;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The RGM's golden scenarios (src/test/resources/rgm-scenarios, format in its README): every file
 * regenerated and compared; {@code -Dbaton.updateGolden=true} rewrites those that differ.
 */
class RgmScenarioTest {
    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        return GoldenFiles.tests(Path.of("src", "test", "resources", "rgm-scenarios"), RgmScenarioRunner::regenerate);
    }

    private static final String SETUP = "cluster nodes=1,2\n----\n\nconfig\ngroup web failover nodes=1,2\n"
            + "  resource web-app type=apache\n----\n\n";

    @Test
    void aFailedCheckFailsTheFileWithItsLine() {
        assertThatThrownBy(() -> RgmScenarioRunner.regenerate("x.txt", SETUP + "check web on 2\n----\nok\n"))
                .isInstanceOf(ScenarioFailure.class).hasMessageStartingWith("x.txt:9: check web on 2: web runs fully on []");
    }

    @Test
    void aStartThatMakesAGroupRunTwiceFailsTheFile() {
        String lie = "state\n  web-app OFFLINE on 1\n  web-app OFFLINE on 2\n----\n\n";
        String text = SETUP + lie + "world\n  web-app running on 2\n----\n\nrun\n----\n";
        assertThatThrownBy(() -> RgmScenarioRunner.regenerate("x.txt", text))
                .isInstanceOf(ScenarioFailure.class).hasMessageContaining("really runs on nodes [1, 2]");
    }

    @Test
    void anUnknownCommandNamesFileAndLine() {
        assertThatThrownBy(() -> RgmScenarioRunner.regenerate("x.txt", SETUP + "frobnicate\n----\n"))
                .isInstanceOf(ScenarioFailure.class).hasMessageStartingWith("x.txt:9: unknown command 'frobnicate'");
    }
}
