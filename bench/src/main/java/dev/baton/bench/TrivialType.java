package dev.baton.bench;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.method.MethodRuntime;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.resource.Resource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A probe that checks nothing: what the method runtime itself costs per call. */
final class TrivialType implements AutoCloseable {
    private final JsEngine engine = new JsEngine();
    private final PluginCatalog catalog;
    private final MethodRuntime runtime = new MethodRuntime(BatonConfig.defaults());
    private final Resource resource;

    TrivialType() throws IOException {
        Path plugin = Files.createTempDirectory("baton-bench-trivial-");
        Path types = Files.createDirectories(plugin.resolve("classes/types"));
        Files.writeString(plugin.resolve("plugin.properties"), "plugin.id=trivial\nplugin.version=1.0.0\n");
        Files.writeString(types.resolve("trivial.yaml"), """
                name: trivial
                version: 1.0.0
                module: trivial.js
                methods: {start: 5s, stop: 5s, probe: 5s}
                """);
        Files.writeString(types.resolve("trivial.js"), """
                export function start(ctx) { return ctx.success(); }
                export function stop(ctx) { return ctx.success(); }
                export function probe(ctx) { return ctx.running(); }
                """);
        catalog = PluginCatalog.loadFiles(List.of(plugin), engine, BatonConfig.defaults());
        resource = catalog.type("trivial").orElseThrow().newResource("t", Map.of());
    }

    void probe() {
        if (runtime.call(resource, MethodName.PROBE).code() != ResultCode.RUNNING) {
            throw new IllegalStateException("trivial probe did not answer RUNNING");
        }
    }

    @Override
    public void close() {
        runtime.close();
        catalog.close();
        engine.close();
    }
}
