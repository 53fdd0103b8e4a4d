package dev.baton.plugins.network;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The testkit's method contract ({@code ResourceTypeContract}) for logical_hostname, run for real
 * inside a node's namespace: a JVM started with `ip netns exec` runs {@link LogicalHostnameContract}
 * through the JUnit platform ({@link ContractLauncherMain}); this test checks every contract test
 * passed there and prints their results.
 */
class LogicalHostnameContractTest {
    private static final long CONTRACT_TIMEOUT_MS = 300_000;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "IPv4, 10.99.0.100, 10.99.0.1/24, 10.99.0.100/24",
        "IPv6, fd00:99::100, fd00:99::1/64, fd00:99::100/64",
    })
    void theMethodContractHoldsInsideANodesNamespace(String family, String address, String nodeAddress,
            String configuredAs) throws Exception {
        Optional<String> unavailable = NetnsLab.unavailableBecause();
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        try (NetnsLab lab = NetnsLab.open()) {
            NetnsLab.Node n1 = lab.node("n1");
            lab.plug(n1, "eth0", "br0", nodeAddress);
            String output = runContract(n1, Map.of(LogicalHostnameContract.ADDRESS, address,
                    LogicalHostnameContract.CONFIGURED_AS, configuredAs, LogicalHostnameContract.ADAPTER, "eth0"));
            System.out.println("contract (" + family + ") in " + n1.ns() + ":\n" + output);
            List<String> results = output.lines().filter(l -> l.startsWith(ContractLauncherMain.RESULT)).toList();
            assertThat(results).as(output).isNotEmpty()
                    .allSatisfy(r -> assertThat(r).startsWith(ContractLauncherMain.RESULT + "SUCCESSFUL "));
        }
    }

    private static String runContract(NetnsLab.Node node, Map<String, String> systemProperties) throws Exception {
        Path log = Files.createTempFile("contract-" + node.id(), ".log");
        try {
            Process p = new ProcessBuilder(NamespaceJvm.command(node, ContractLauncherMain.class, systemProperties))
                    .directory(NamespaceJvm.moduleDir().toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectOutput(log.toFile()).start();
            if (!p.waitFor(CONTRACT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the contract did not finish within " + CONTRACT_TIMEOUT_MS + " ms:\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            assertThat(p.exitValue()).as("contract JVM exit status; its output:\n%s", output).isZero();
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
