package dev.baton.runtime.rgm;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.core.Effect;
import dev.baton.core.Input;
import dev.baton.runtime.TestPlugins;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.method.MethodRuntime;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.plugin.PluginStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shipped apache type driven the way batond will drive it: RunMethod effects in, MethodDone
 * out, against a real apache2 on loopback. The type is read from the apache plugin's sources
 * (the runtime cannot depend on a plugin module); skipped where apache2 or those sources are absent.
 */
class MethodEffectsApacheTest {
    private static final Path APACHE2 = Path.of("/usr/sbin/apache2");
    /** Surefire runs in framework/runtime. */
    private static final Path APACHE_TYPES = Path.of("../../plugins/apache/src/main/resources/types");
    private static final String PAGE = "<h1>served by Baton</h1>\n";

    @TempDir
    Path dir;

    @Test
    void apacheStartProbeStopRoundTripThroughMethodEffects() throws Exception {
        assumeTrue(Files.isExecutable(APACHE2), "apache2 is not installed (apt-get install apache2)");
        assumeTrue(Files.isRegularFile(APACHE_TYPES.resolve("apache.yaml")), "apache plugin sources not found");
        writePlugin();
        Map<String, String> props = properties();
        BlockingQueue<Input.MethodDone> answers = new LinkedBlockingQueue<>();
        BatonConfig config = BatonConfig.defaults();
        try (JsEngine engine = new JsEngine();
             PluginCatalog catalog = PluginCatalog.loadDirectory(dir.resolve("plugins"), engine, config);
             MethodRuntime runtime = new MethodRuntime(config)) {
            PluginStatus status = catalog.plugin("apache").orElseThrow();
            assertThat(status.state()).as(status.describe()).isEqualTo(PluginStatus.State.ACTIVE);
            MethodEffects effects = new MethodEffects(catalog, runtime, config, answers::add);
            try {
                assertThat(run(effects, answers, 1, MethodName.PROBE, props).code()).isEqualTo(ResultCode.NOT_RUNNING);
                Input.MethodDone start = run(effects, answers, 2, MethodName.START, props);
                assertThat(start.code()).as(start.message()).isEqualTo(ResultCode.SUCCESS);
                assertThat(get(props)).isEqualTo(PAGE);
                assertThat(run(effects, answers, 3, MethodName.PROBE, props).code()).isEqualTo(ResultCode.RUNNING);
                Input.MethodDone stop = run(effects, answers, 4, MethodName.STOP, props);
                assertThat(stop.code()).as(stop.message()).isEqualTo(ResultCode.SUCCESS);
                assertThat(run(effects, answers, 5, MethodName.PROBE, props).code()).isEqualTo(ResultCode.NOT_RUNNING);
                assertThat(answers.poll(200, TimeUnit.MILLISECONDS)).isNull();
            } finally {
                killLeftovers(props);
            }
        }
    }

    private static Input.MethodDone run(MethodEffects effects, BlockingQueue<Input.MethodDone> answers, long runId,
            MethodName method, Map<String, String> props) throws InterruptedException {
        long deadline = method == MethodName.START ? System.nanoTime() + TimeUnit.SECONDS.toNanos(90) : Long.MAX_VALUE;
        effects.perform(new Effect.RunMethod(runId, "web", "apache", method, props, 60_000, deadline));
        Input.MethodDone d = answers.poll(90, TimeUnit.SECONDS);
        assertThat(d).as("answer to run " + runId).isNotNull();
        assertThat(d.runId()).isEqualTo(runId);
        return d;
    }

    private void writePlugin() throws IOException {
        TestPlugins.Plugin plugin = new TestPlugins(dir.resolve("plugins")).plugin("apache");
        try (Stream<Path> files = Files.walk(APACHE_TYPES)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                plugin.file(APACHE_TYPES.relativize(f).toString(), Files.readString(f));
            }
        }
        plugin.writeFolder();
    }

    /** A generated configuration on 127.0.0.1 and a free port; folders readable by www-data's workers. */
    private Map<String, String> properties() throws IOException {
        Path root = Files.createDirectories(dir.resolve("web"));
        Path htdocs = Files.createDirectories(root.resolve("htdocs"));
        Files.writeString(htdocs.resolve("index.html"), PAGE);
        for (Path p : List.of(dir, root, htdocs)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(htdocs.resolve("index.html"), PosixFilePermissions.fromString("rw-r--r--"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return Map.of("Server_root", root.toString(), "Listen_address", "127.0.0.1", "Port", Integer.toString(port));
    }

    private static String get(Map<String, String> props) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + props.get("Port") + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Stops an httpd a failed assertion left running, by the pid it wrote. */
    private static void killLeftovers(Map<String, String> props) throws IOException {
        Path pidFile = Path.of(props.get("Server_root"), "run/httpd.pid");
        if (Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            });
        }
    }
}
