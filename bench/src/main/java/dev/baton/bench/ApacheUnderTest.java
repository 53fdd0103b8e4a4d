package dev.baton.bench;

import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.method.MethodRuntime;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.resource.Resource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A real httpd started through the apache plugin, and a Baton method runtime to probe it with.
 * {@code contextPoolPerType} 0 gives every call a fresh JavaScript context.
 */
final class ApacheUnderTest implements AutoCloseable {
    final Path serverRoot;
    final int port;
    private final JsEngine engine = new JsEngine();
    private final PluginCatalog catalog;
    private final MethodRuntime runtime;
    final Resource resource;

    ApacheUnderTest(Path apacheModule, int contextPoolPerType) throws IOException {
        BatonConfig config = BatonConfig.defaults().with(ConfigKeys.CONTEXT_POOL_PER_TYPE, contextPoolPerType);
        this.catalog = PluginCatalog.loadModules(List.of(apacheModule), engine, config);
        this.runtime = new MethodRuntime(config);
        this.serverRoot = Files.createTempDirectory("baton-bench-");
        Files.setPosixFilePermissions(serverRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path htdocs = Files.createDirectories(serverRoot.resolve("htdocs"));
        Files.writeString(htdocs.resolve("index.html"), "ok\n");
        Files.setPosixFilePermissions(htdocs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(htdocs.resolve("index.html"), PosixFilePermissions.fromString("rw-r--r--"));
        this.port = freePort();
        this.resource = catalog.type("apache").orElseThrow(() -> new IllegalStateException(
                "apache type not loaded from " + apacheModule + ": " + catalog.plugins()))
                .newResource("bench", Map.of("Server_root", serverRoot.toString(), "Listen_address", "127.0.0.1",
                        "Port", Integer.toString(port)));
    }

    void start() {
        expect(runtime.call(resource, MethodName.START), ResultCode.SUCCESS);
    }

    /** One probe through the whole method runtime: executor, deadline, context, ctx, result. */
    void probe() {
        expect(runtime.call(resource, MethodName.PROBE), ResultCode.RUNNING);
    }

    Path pidFile() {
        return serverRoot.resolve("run/httpd-" + runtime.nodeName() + ".pid");
    }

    private static void expect(MethodResult r, ResultCode code) {
        if (r.code() != code) {
            throw new IllegalStateException("expected " + code + ", got " + r + " " + r.log());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        try {
            runtime.call(resource, MethodName.STOP);
        } finally {
            runtime.close();
            catalog.close();
            engine.close();
        }
    }
}
