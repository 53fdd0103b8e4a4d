package dev.baton.testkit;

import dev.baton.api.method.MethodResult;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.method.MethodRuntime;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.plugin.PluginStatus;
import dev.baton.runtime.resource.ResourceType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Loads one plugin the way Baton does (PF4J, descriptor and module checks, the sandboxed method
 * runtime) and lets a test create resources and call their methods. Resources it created are
 * stopped when it closes, so a failing test leaves no service running.
 *
 * <pre>{@code
 * try (PluginHarness h = PluginHarness.forModule()) {
 *     TestResource web = h.create("apache", "web", Map.of("Server_root", dir.toString(), "Port", "8080"));
 *     assertThat(web.start().code()).isEqualTo(ResultCode.SUCCESS);
 * }
 * }</pre>
 */
public final class PluginHarness implements AutoCloseable {
    private final JsEngine engine;
    private final PluginCatalog catalog;
    private final MethodRuntime runtime;
    private final List<TestResource> created = new ArrayList<>();

    private PluginHarness(JsEngine engine, PluginCatalog catalog, BatonConfig config) {
        this.engine = engine;
        this.catalog = catalog;
        this.runtime = new MethodRuntime(config);
    }

    /** The plugin module the test runs in (Maven runs tests in the module's folder). */
    public static PluginHarness forModule() {
        return forModule(Path.of("").toAbsolutePath());
    }

    /** A plugin module folder, loaded in development mode from its target/classes. */
    public static PluginHarness forModule(Path moduleDir) {
        return forModule(moduleDir, BatonConfig.defaults());
    }

    public static PluginHarness forModule(Path moduleDir, BatonConfig config) {
        JsEngine engine = new JsEngine();
        return new PluginHarness(engine, PluginCatalog.loadModules(List.of(moduleDir), engine, config), config);
    }

    /** A packaged plugin: a zip, a jar or an unpacked folder. */
    public static PluginHarness forPluginFile(Path plugin) {
        JsEngine engine = new JsEngine();
        BatonConfig config = BatonConfig.defaults();
        return new PluginHarness(engine, PluginCatalog.loadFiles(List.of(plugin), engine, config), config);
    }

    /** The loaded plugin's status; fails the test with every problem if the plugin was disabled. */
    public PluginStatus assertLoaded() {
        List<PluginStatus> plugins = catalog.plugins();
        String report = plugins.stream().map(PluginStatus::describe).collect(Collectors.joining("\n"));
        if (plugins.isEmpty()) {
            throw new AssertionError("no plugin was found (is plugin.properties in src/main/plugin and target/classes?)");
        }
        for (PluginStatus p : plugins) {
            if (p.state() != PluginStatus.State.ACTIVE) {
                throw new AssertionError("plugin did not load:\n" + report);
            }
        }
        return plugins.get(0);
    }

    public PluginCatalog catalog() {
        return catalog;
    }

    public MethodRuntime runtime() {
        return runtime;
    }

    public ResourceType type(String name) {
        assertLoaded();
        return catalog.type(name).orElseThrow(() -> new AssertionError("no resource type '" + name
                + "'; loaded: " + catalog.types()));
    }

    /** A resource with these property values; stopped when the harness closes. */
    public TestResource create(String typeName, String resourceName, Map<String, String> properties) {
        TestResource r = new TestResource(runtime, type(typeName).newResource(resourceName, properties));
        synchronized (created) {
            created.add(r);
        }
        return r;
    }

    /** Runs the framework's property checks and then the type's validate method on proposed values. */
    public MethodResult validate(String typeName, Map<String, String> properties) {
        return runtime.validate(type(typeName), "validate-probe", properties, MethodRuntime.CallOptions.DEFAULT);
    }

    @Override
    public void close() {
        List<TestResource> toStop;
        synchronized (created) {
            toStop = new ArrayList<>(created);
        }
        for (TestResource r : toStop) {
            r.stopQuietly();
        }
        runtime.close();
        catalog.close();
        engine.close();
    }
}
