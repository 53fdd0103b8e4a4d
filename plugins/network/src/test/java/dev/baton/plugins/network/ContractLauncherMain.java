package dev.baton.plugins.network;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs {@link LogicalHostnameContract} with the JUnit platform inside a node's namespace and prints
 * one {@code @@result STATUS name :: message} line per test, then the summary; exits 0 only if
 * tests ran and none failed.
 */
public final class ContractLauncherMain {
    static final String RESULT = "@@result ";

    private ContractLauncherMain() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(LogicalHostnameContract.class)).build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, summary, new ResultPrinter(out));
        TestExecutionSummary s = summary.getSummary();
        s.printTo(out);
        s.printFailuresTo(out, 30);
        out.flush();
        System.exit(s.getTestsFoundCount() > 0 && s.getTotalFailureCount() == 0 ? 0 : 1);
    }

    private record ResultPrinter(PrintWriter out) implements TestExecutionListener {
        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
                String why = result.getThrowable().map(t -> t.toString().replace('\n', ' ')).orElse("");
                out.println(RESULT + result.getStatus() + " " + id.getDisplayName() + " :: " + why);
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                out.println(RESULT + "SKIPPED " + id.getDisplayName() + " :: " + reason);
            }
        }
    }
}
