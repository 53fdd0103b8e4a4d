package dev.baton.runtime.cli;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.method.MethodRuntime;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.plugin.PluginStatus;
import dev.baton.runtime.process.ProcessInfo;
import dev.baton.runtime.resource.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin `baton new` writes is a working type: its descriptor and module load, and its
 * methods run a real program. (Its Maven build and contract test are exercised by hand and in
 * docs/writing-a-resource-type.md; this test needs no Maven.)
 */
class NewPluginTemplateTest {
    @TempDir
    Path dir;

    @Test
    void theGeneratedTypeLoadsAndRunsAProgram() throws Exception {
        Path module = dir.resolve("baton-plugin-sleeper");
        assertThat(BatonTool.commandLine().execute("new", "sleeper", "--dir", module.toString())).isZero();
        assertThat(module.resolve("src/test/java/com/example/baton/sleeper/SleeperContractTest.java")).exists();
        assertThat(Files.readString(module.resolve("pom.xml"))).contains("<artifactId>baton-plugin-parent</artifactId>");

        Path plugin = deployedLayout(module);
        BatonConfig config = BatonConfig.defaults();
        try (JsEngine engine = new JsEngine();
             PluginCatalog catalog = PluginCatalog.loadFiles(List.of(plugin), engine, config);
             MethodRuntime runtime = new MethodRuntime(config)) {
            assertThat(catalog.plugins()).extracting(PluginStatus::state).containsExactly(PluginStatus.State.ACTIVE);
            Resource r = catalog.type("sleeper").orElseThrow().newResource("s1",
                    Map.of("Command", "sleep,600", "State_dir", dir.resolve("state").toString()));
            assertThat(runtime.call(r, MethodName.VALIDATE).code()).isEqualTo(ResultCode.SUCCESS);
            assertThat(runtime.call(r, MethodName.START).code()).isEqualTo(ResultCode.SUCCESS);
            long pid = Long.parseLong(Files.readString(dir.resolve("state/pid")).trim());
            assertThat(ProcessInfo.command(pid)).as("the pid file names the program, not the shell that launched it")
                    .hasValueSatisfying(c -> assertThat(c).endsWith("sleep"));
            assertThat(runtime.call(r, MethodName.PROBE).code()).isEqualTo(ResultCode.RUNNING);
            assertThat(runtime.call(r, MethodName.STOP).code()).isEqualTo(ResultCode.SUCCESS);
            assertThat(ProcessInfo.alive(pid)).isFalse();
            assertThat(runtime.call(r, MethodName.PROBE).code()).isEqualTo(ResultCode.NOT_RUNNING);

            Resource broken = catalog.type("sleeper").orElseThrow().newResource("s2",
                    Map.of("Command", "sleep,not-a-number", "State_dir", dir.resolve("state2").toString()));
            var start = runtime.call(broken, MethodName.START);
            assertThat(start.code()).isEqualTo(ResultCode.FAILED);
            assertThat(start.message()).contains("exited at once").contains("invalid time interval");
        }
    }

    /** What Maven and the plugin zip would make of the module: plugin.properties filled in, types under classes/. */
    private Path deployedLayout(Path module) throws Exception {
        Path plugin = dir.resolve("deployed/sleeper");
        Files.createDirectories(plugin.resolve("classes/types"));
        String props = Files.readString(module.resolve("src/main/plugin/plugin.properties"))
                .replace("${project.version}", "1.0.0").replace("${baton.plugin.requires}", ">=0.1.0");
        Files.writeString(plugin.resolve("plugin.properties"), props);
        for (String f : List.of("sleeper.yaml", "sleeper.js")) {
            Files.copy(module.resolve("src/main/resources/types").resolve(f), plugin.resolve("classes/types").resolve(f));
        }
        return plugin;
    }
}
