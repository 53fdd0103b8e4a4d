package dev.baton.plugins.network;

import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;
import dev.baton.testkit.PluginHarness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command that runs a test main in a JVM of its own inside a node's namespace
 * (`ip netns exec NS java …`), with this test's class path, from the module folder (where
 * {@code PluginHarness.forModule()} looks for the plugin). Every command a method runs there sees
 * the node's adapters only, as on a real node.
 */
final class NamespaceJvm {
    private NamespaceJvm() {
    }

    static List<String> command(NetnsLab.Node node, Class<?> main, Map<String, String> systemProperties) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", node.ns(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        if (Runtime.version().feature() >= 24) {
            // GraalJS's native access and Unsafe use, as the launcher grants them (STACK.md).
            cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        }
        systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        return cmd;
    }

    /**
     * The plugin, loaded from the module as the testkit does. The first module evaluation in a
     * fresh JVM also builds the JavaScript engine; on a busy two-core machine that alone has taken
     * longer than the 5 s allowed for a module's top-level code, so these JVMs allow a minute.
     */
    static PluginHarness harness() {
        return PluginHarness.forModule(moduleDir(), BatonConfig.defaults().with(ConfigKeys.MODULE_LOAD_TIMEOUT,
                Duration.ofSeconds(60)));
    }

    /** The module folder: Maven runs tests there. */
    static Path moduleDir() {
        return Path.of("").toAbsolutePath();
    }
}
