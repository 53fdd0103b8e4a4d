package dev.baton.e2e.testbed;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

/**
  * Skips (never passes) a test on a machine where namespaces cannot be made: not root, or no
  * iproute2. The tests of this module need root; .ci/test-packages lists the Debian packages.
  */
public final class TestbedAssumptions {

    private static Boolean namespacesWork;

    private TestbedAssumptions() {}

    public static synchronized void assumeNamespaces() {
        if (namespacesWork == null) {
            namespacesWork = probeNamespaces();
        }
        assumeTrue(namespacesWork, "network namespaces need root and iproute2 (ip netns add failed): e2e test skipped");
    }

    public static void assumeCommand(String command) {
        assumeTrue(Commands.run(List.of("sh", "-c", "command -v " + command)).ok(),
                command + " is not installed (see .ci/test-packages): test skipped");
    }

    private static boolean probeNamespaces() {
        String name = "bteprobe" + ProcessHandle.current().pid();
        try {
            return Commands.run(List.of("ip", "netns", "add", name)).ok();
        } catch (RuntimeException e) {
            return false;
        } finally {
            Commands.run(List.of("ip", "netns", "del", name));
        }
    }
}
