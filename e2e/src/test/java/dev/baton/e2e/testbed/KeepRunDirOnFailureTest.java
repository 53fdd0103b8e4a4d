package dev.baton.e2e.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** Runs small test classes through the JUnit launcher and checks which run folders survive. */
class KeepRunDirOnFailureTest {

    /** Set only while this test launches the cases below, so they do nothing when run on their own. */
    private static volatile boolean launched;
    private static volatile Path dirOfLastCase;
    private static volatile Path firstDirOfLaunch;

    @Test
    void aPassingClassLosesItsClosedRunFolder() throws Exception {
        assertThat(Files.exists(runCase(PassingCase.class))).isFalse();
    }

    @Test
    void aFailingClassKeepsItsRunFolder() throws Exception {
        Path dir = runCase(FailingCase.class);
        assertThat(dir).isDirectory();
        KeepRunDirOnFailure.deleteTree(dir);
    }

    @Test
    void aFailureDoesNotKeepTheFoldersOfLaterClasses() throws Exception {
        Path failed = runCases(FailingCase.class, PassingCase.class);
        assertThat(Files.exists(dirOfLastCase)).isFalse();
        KeepRunDirOnFailure.deleteTree(failed);
    }

    @Test
    void aTestbedLeftOpenKeepsItsRunFolder() throws Exception {
        Path dir = runCase(LeftOpenCase.class);
        assertThat(dir).isDirectory();
        KeepRunDirOnFailure.deleteTree(dir);
    }

    private static Path runCase(Class<?> testClass) {
        runCases(testClass);
        return dirOfLastCase;
    }

    /** Runs the classes in one launch, in order; returns the run folder of the first. */
    private static Path runCases(Class<?>... testClasses) {
        launched = true;
        firstDirOfLaunch = null;
        try {
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            var request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(java.util.Arrays.stream(testClasses).map(c -> selectClass(c)).toList())
                    .configurationParameter("junit.jupiter.testclass.order.default", "org.junit.jupiter.api.ClassOrderer$OrderAnnotation")
                    .build();
            LauncherFactory.create().execute(request, summary);
            assertThat(summary.getSummary().getTestsStartedCount()).isEqualTo(testClasses.length);
            return firstDirOfLaunch;
        } finally {
            launched = false;
        }
    }

    /** A run folder as Testbed registers it, with a log file in it. */
    private static Path registerRunDir(boolean closed) throws IOException {
        assumeTrue(launched, "only run by KeepRunDirOnFailureTest");
        Path dir = Files.createTempDirectory("baton-e2e-keeptest-");
        Files.writeString(dir.resolve("n1.log"), "log\n");
        KeepRunDirOnFailure.register(dir);
        if (closed) {
            KeepRunDirOnFailure.closed(dir);
        }
        dirOfLastCase = dir;
        if (firstDirOfLaunch == null) {
            firstDirOfLaunch = dir;
        }
        return dir;
    }

    @Order(2)
    static class PassingCase {
        @Test
        void passes() throws IOException {
            registerRunDir(true);
        }
    }

    @Order(1)
    static class FailingCase {
        @Test
        void fails() throws IOException {
            registerRunDir(true);
            fail("deliberately, so the run folder is kept");
        }
    }

    static class LeftOpenCase {
        @Test
        void leavesItOpen() throws IOException {
            registerRunDir(false);
        }
    }
}
