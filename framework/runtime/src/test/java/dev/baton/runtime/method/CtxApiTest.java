package dev.baton.runtime.method;

import com.sun.net.httpserver.HttpServer;
import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;
import dev.baton.runtime.method.MethodRuntimeTest.Env;
import dev.baton.runtime.resource.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import static dev.baton.runtime.method.MethodRuntimeTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The ctx API as a method sees it: properties, identity, commands, network checks. */
class CtxApiTest {
    @TempDir
    Path dir;

    /** A start method that runs {@code body} and returns {@code ctx.success(JSON.stringify(<expression>))}. */
    private MethodResult start(String extra, String body, Map<String, String> props) throws IOException {
        return start(BatonConfig.defaults(), extra, body, props);
    }

    private MethodResult start(BatonConfig config, String extra, String body, Map<String, String> props) throws IOException {
        try (Env env = Env.load(dir, config, extra, "export function start(ctx) {\n" + body + "\n}\n")) {
            return env.call(env.resource("r1", props), MethodName.START, Duration.ofSeconds(60));
        }
    }

    private MethodResult exec(String argvAndOptions) throws IOException {
        return start("", "const r = ctx.exec(" + argvAndOptions + ");\nreturn ctx.success(JSON.stringify(r));", Map.of());
    }

    private static void assertFailed(MethodResult r, String messagePart) {
        assertThat(r.code()).as(r.toString()).isEqualTo(ResultCode.FAILED);
        assertThat(r.message()).contains(messagePart);
    }

    // ---- properties and identity ----

    private static final String TYPED = """
            properties:
              Port: {type: int, default: 8080}
              Debug: {type: boolean, default: true}
              Mode: {type: enum, values: [fast, safe], default: safe}
              Hosts: {type: string_list, default: [alpha, beta, gamma]}
              Grace: {type: duration, default: 90s}
              Name: {type: string}
            """;

    @Test
    void propertiesArriveTypedAsJavaScriptValues() throws IOException {
        Map<String, Object> r = json(start(TYPED, """
                const p = ctx.props;
                return ctx.success(JSON.stringify({
                  port: typeof p.Port, portPlusOne: p.Port + 1,
                  debug: typeof p.Debug, debugValue: p.Debug,
                  mode: p.Mode, hostsIsArray: Array.isArray(p.Hosts) || typeof p.Hosts.length === "number",
                  hostsLength: p.Hosts.length, secondHost: p.Hosts[1], joined: Array.from(p.Hosts).join("+"),
                  grace: p.Grace, graceType: typeof p.Grace, retry: p.Retry_count, startTimeout: p.Start_timeout,
                  nameSet: p.Name !== undefined && p.Name !== null}));
                """, Map.of("Mode", "FAST")));
        assertThat(r).containsEntry("port", "number").containsEntry("portPlusOne", 8081)
                .containsEntry("debug", "boolean").containsEntry("debugValue", true)
                .containsEntry("mode", "fast").containsEntry("hostsIsArray", true)
                .containsEntry("hostsLength", 3).containsEntry("secondHost", "beta")
                .containsEntry("joined", "alpha+beta+gamma")
                .containsEntry("grace", 90_000).containsEntry("graceType", "number")
                .containsEntry("retry", 2).containsEntry("startTimeout", 5_000)
                .containsEntry("nameSet", false);
    }

    @Test
    void propertiesAreReadOnly() throws IOException {
        MethodResult r = start(TYPED, "ctx.props.Port = 1; return ctx.success();", Map.of());
        assertThat(r.code()).isEqualTo(ResultCode.FAILED);
        assertThat(r.message()).isEqualTo("types/t.js:2: ctx.props is read-only")
                .as("property values are not dumped into the message").doesNotContain("8080");
    }

    @Test
    void listPropertiesAreReadOnlyToo() throws IOException {
        MethodResult r = start(TYPED, "ctx.props.Hosts[0] = 'x'; return ctx.success();", Map.of());
        assertFailed(r, "read-only");
    }

    @Test
    void identityFieldsDescribeTheCall() throws IOException {
        BatonConfig config = BatonConfig.defaults().with(ConfigKeys.NODE_NAME, "node-7");
        try (Env env = Env.load(dir, config, "", """
                function who(ctx) { return [ctx.resource, ctx.type, ctx.method, ctx.node, ctx.isProbe].join(" "); }
                export function start(ctx) { return ctx.success(who(ctx)); }
                export function probe(ctx) { return ctx.running(who(ctx)); }
                """)) {
            Resource r = env.resource("web1", Map.of());
            assertThat(env.runtime.nodeName()).isEqualTo("node-7");
            assertThat(env.call(r, MethodName.START).message()).isEqualTo("web1 t start node-7 false");
            assertThat(env.call(r, MethodName.PROBE).message()).isEqualTo("web1 t probe node-7 true");
        }
    }

    @Test
    void nodeNameDefaultsToTheHostName() throws IOException {
        try (MethodRuntime rt = new MethodRuntime(BatonConfig.defaults())) {
            assertThat(rt.nodeName()).isNotBlank().isEqualTo(InetAddress.getLocalHost().getHostName());
        }
    }

    @Test
    void theSandboxHidesHostClassesAndProcesses() throws IOException {
        Map<String, Object> r = json(start("", """
                let java;
                try { java = String(Java.type("java.lang.Runtime")); } catch (e) { java = "refused"; }
                return ctx.success(JSON.stringify({java: java, require: typeof require, process: typeof process}));
                """, Map.of()));
        assertThat(r).containsEntry("java", "refused").containsEntry("require", "undefined")
                .containsEntry("process", "undefined");
    }

    // ---- ctx.exec ----

    @Test
    void execPassesArgumentsWithoutAShell() throws IOException {
        Map<String, Object> r = json(exec("[\"printf\", \"%s|%s\", \"a 'b' \\\"c\\\"\", \"$HOME; *\"]"));
        assertThat(r).containsEntry("exitCode", 0).containsEntry("stdout", "a 'b' \"c\"|$HOME; *")
                .containsEntry("stderr", "").containsEntry("timedOut", false).containsEntry("truncated", false);
    }

    @Test
    void execGivesAMinimalEnvironmentPlusTheOneAskedFor() throws IOException {
        Map<String, Object> r = json(exec("[\"env\"], {env: {FOO: \"bar baz\", N: 3}}"));
        List<String> lines = Arrays.asList(((String) r.get("stdout")).split("\n"));
        assertThat(lines).contains("FOO=bar baz", "N=3", "HOME=/", "LANG=C.UTF-8", "BATON_RESOURCE=r1",
                "BATON_TYPE=t", "BATON_METHOD=start");
        assertThat(lines).extracting(l -> l.substring(0, l.indexOf('='))).containsExactlyInAnyOrder(
                "PATH", "LANG", "HOME", "BATON_RESOURCE", "BATON_TYPE", "BATON_METHOD", "BATON_NODE", "FOO", "N");
    }

    @Test
    void execTagsEveryCommandWithTheConfiguredFailfastTag() throws IOException {
        BatonConfig tagged = BatonConfig.defaults().with(ConfigKeys.FAILFAST_TAG, "node-3");
        Map<String, Object> r = json(start(tagged, "", "return ctx.success(JSON.stringify(ctx.exec([\"env\"])));",
                Map.of()));
        assertThat(((String) r.get("stdout")).split("\n")).contains("BATON_TAG=node-3");
    }

    @Test
    void aMethodCannotSetTheFailfastTag() throws IOException {
        assertFailed(start("", "ctx.exec([\"true\"], {env: {BATON_TAG: \"other-node\"}}); return ctx.success();",
                Map.of()), "BATON_TAG is set by the runtime");
    }

    @Test
    void execRunsInTheGivenWorkingDirectory() throws IOException {
        Path cwd = Files.createDirectories(dir.resolve("work dir"));
        Map<String, Object> r = json(exec("[\"pwd\"], {cwd: \"" + cwd + "\"}"));
        assertThat(((String) r.get("stdout")).trim()).isEqualTo(cwd.toRealPath().toString());
    }

    @Test
    void execRunsInRootByDefault() throws IOException {
        assertThat(((String) json(exec("[\"pwd\"]")).get("stdout")).trim()).isEqualTo("/");
    }

    @Test
    void execFeedsInputToStdin() throws IOException {
        Map<String, Object> r = json(exec("[\"cat\"], {input: \"hello\\nworld ü\"}"));
        assertThat(r).containsEntry("stdout", "hello\nworld ü");
    }

    @Test
    void execReportsExitCodesAndStderr() throws IOException {
        Map<String, Object> r = json(exec("[\"sh\", \"-c\", \"echo oops >&2; exit 3\"]"));
        assertThat(r).containsEntry("exitCode", 3).containsEntry("stderr", "oops\n").containsEntry("stdout", "");
    }

    @Test
    void aProgramThatDoesNotExistExitsWith127() throws IOException {
        Map<String, Object> byName = json(exec("[\"no-such-program-baton\"]"));
        assertThat(byName).containsEntry("exitCode", 127);
        assertThat((String) byName.get("stderr")).contains("no-such-program-baton");
        assertThat(json(exec("[\"/nonexistent/prog\", \"x\"]"))).containsEntry("exitCode", 127);
    }

    @Test
    void numbersInArgvAreWrittenAsText() throws IOException {
        assertThat(json(exec("[\"echo\", 42, 1.5]"))).containsEntry("stdout", "42 1.5\n");
    }

    @Test
    void gigabytesOfOutputAreDrainedAndTruncated() throws IOException {
        MethodResult result = start("", """
                const r = ctx.exec(["sh", "-c", "head -c 3000000000 /dev/zero"], {maxOutputBytes: 1000});
                return ctx.success(JSON.stringify({exitCode: r.exitCode, truncated: r.truncated,
                    stdoutLength: r.stdout.length, timedOut: r.timedOut}));
                """, Map.of());
        assertThat(json(result)).containsEntry("exitCode", 0).containsEntry("truncated", true)
                .containsEntry("stdoutLength", 1000).containsEntry("timedOut", false);
    }

    @Test
    void endlessOutputIsBoundedUntilTheExecTimeout() throws IOException {
        MethodResult result = start("", """
                const r = ctx.exec(["yes"], {maxOutputBytes: 4096, timeoutMs: 1000});
                return ctx.success(JSON.stringify({truncated: r.truncated, stdoutLength: r.stdout.length,
                    timedOut: r.timedOut, head: r.stdout.substring(0, 4)}));
                """, Map.of());
        assertThat(json(result)).containsEntry("truncated", true).containsEntry("stdoutLength", 4096)
                .containsEntry("timedOut", true).containsEntry("head", "y\ny\n");
    }

    @Test
    void outputAboveTheDefaultLimitIsTruncatedWithoutAsking() throws IOException {
        BatonConfig config = BatonConfig.defaults().with(ConfigKeys.EXEC_DEFAULT_OUTPUT_BYTES, 10);
        MethodResult r = start(config, "", """
                const r = ctx.exec(["echo", "0123456789abcdef"]);
                return ctx.success(JSON.stringify({stdout: r.stdout, truncated: r.truncated}));
                """, Map.of());
        assertThat(json(r)).containsEntry("stdout", "0123456789").containsEntry("truncated", true);
    }

    @Test
    void execOptionsAreCheckedStrictly() throws IOException {
        assertFailed(exec("[\"true\"], {timeout: 5}"), "ctx.exec: unknown option 'timeout' (known: timeoutMs, env, cwd, input, maxOutputBytes)");
        assertFailed(exec("[\"true\"], {maxOutputBytes: 999999999}"), "option maxOutputBytes = 999999999 is outside 0..16777216");
        assertFailed(exec("[\"true\"], {timeoutMs: \"5s\"}"), "option timeoutMs must be a whole number");
        assertFailed(exec("[\"true\"], {cwd: \"relative\"}"), "cwd 'relative' is not an absolute path");
        assertFailed(exec("[\"true\"], {cwd: \"/no/such/dir\"}"), "working directory /no/such/dir does not exist");
        assertFailed(exec("\"ls -l\""), "the first argument is the command as an array");
        assertFailed(exec("[\"echo\", {}]"), "argv[1] must be a string");
    }

    @Test
    void inputAboveTheLimitIsRefused() throws IOException {
        BatonConfig config = BatonConfig.defaults().with(ConfigKeys.EXEC_MAX_INPUT_BYTES, 4);
        MethodResult r = start(config, "", "ctx.exec(['cat'], {input: 'hello'}); return ctx.success();", Map.of());
        assertFailed(r, "input of 5 bytes is above the limit of 4");
    }

    @Test
    void signalAndPidHelpersRefuseTheDaemonItself() throws IOException {
        long self = ProcessHandle.current().pid();
        MethodResult r = start("", "ctx.signal(" + self + ", 'TERM'); return ctx.success();", Map.of());
        assertFailed(r, self + " is the Baton daemon itself");
        MethodResult alive = start("", "return ctx.success(String(ctx.pidAlive(" + self + ")) + ' ' + ctx.pidAlive(999999999));",
                Map.of());
        assertThat(alive.message()).isEqualTo("true false");
        assertFailed(start("", "ctx.signal(2, 'BOGUS'); return ctx.success();", Map.of()), "unknown signal 'BOGUS'");
    }

    // ---- network ----

    private static final String NET = """
            properties:
              Port: {type: int}
              Url: {type: string}
            """;

    @Test
    void tcpCheckSeesAnOpenPortAndAClosedOne() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (ServerSocket open = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             Env env = Env.load(dir, NET, """
                     export function probe(ctx) {
                       return ctx.tcpCheck("127.0.0.1", ctx.props.Port, 2000) ? ctx.running("open") : ctx.notRunning("closed");
                     }
                     """)) {
            Resource up = env.resource("up", Map.of("Port", Integer.toString(open.getLocalPort())));
            Resource down = env.resource("down", Map.of("Port", Integer.toString(closedPort)));
            assertThat(env.call(up, MethodName.PROBE).code()).isEqualTo(ResultCode.RUNNING);
            assertThat(env.call(down, MethodName.PROBE).code()).isEqualTo(ResultCode.NOT_RUNNING);
        }
    }

    @Test
    void tcpCheckRefusesAnImpossiblePort() throws IOException {
        assertFailed(start("", "ctx.tcpCheck('127.0.0.1', 70000); return ctx.success();", Map.of()),
                "port 70000 is outside 1..65535");
    }

    private static HttpServer httpServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String header = exchange.getRequestHeaders().getFirst("X-Check");
            byte[] body = switch (path) {
                case "/hello" -> "hello world".getBytes(StandardCharsets.UTF_8);
                case "/echo" -> ("X-Check=" + header).getBytes(StandardCharsets.UTF_8);
                default -> "nope".getBytes(StandardCharsets.UTF_8);
            };
            exchange.sendResponseHeaders(path.equals("/hello") || path.equals("/echo") ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private MethodResult httpGet(String url, String options) throws IOException {
        return start(NET, """
                const r = ctx.httpGet(ctx.props.Url%s);
                return ctx.success(JSON.stringify(r));
                """.formatted(options.isEmpty() ? "" : ", " + options), Map.of("Url", url));
    }

    private static String base(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void httpGetReturnsStatusAndBody() throws IOException {
        HttpServer server = httpServer();
        try {
            Map<String, Object> ok = json(httpGet(base(server) + "/hello", ""));
            assertThat(ok).containsEntry("status", 200).containsEntry("body", "hello world")
                    .containsEntry("truncated", false).containsEntry("error", null);
            Map<String, Object> missing = json(httpGet(base(server) + "/missing", ""));
            assertThat(missing).containsEntry("status", 404).containsEntry("body", "nope");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpGetTruncatesTheBody() throws IOException {
        HttpServer server = httpServer();
        try {
            Map<String, Object> r = json(httpGet(base(server) + "/hello", "{maxBodyBytes: 5}"));
            assertThat(r).containsEntry("status", 200).containsEntry("body", "hello").containsEntry("truncated", true);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpGetSendsTheGivenHeaders() throws IOException {
        HttpServer server = httpServer();
        try {
            Map<String, Object> r = json(httpGet(base(server) + "/echo", "{headers: {'X-Check': 'yes'}}"));
            assertThat(r).containsEntry("body", "X-Check=yes");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpGetOnAClosedPortIsStatusZeroNotAnException() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Map<String, Object> r = json(httpGet("http://127.0.0.1:" + closedPort + "/", ""));
        assertThat(r).containsEntry("status", 0).containsEntry("error", "connection refused").containsEntry("body", "");
    }

    /** Answers 200 at once, then sends its body a byte every 100 ms for 30 s. */
    static HttpServer drippingServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setExecutor(Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon().unstarted(r)));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 300; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // The client gave up: that is the point.
            }
        });
        server.start();
        return server;
    }

    @Test
    void httpGetStopsReadingADrippingBodyAtItsTimeout() throws IOException {
        HttpServer server = drippingServer();
        try {
            MethodResult result = httpGet(base(server) + "/", "{timeoutMs: 700}");
            Map<String, Object> r = json(result);
            assertThat(r).containsEntry("status", 200).containsEntry("truncated", true)
                    .containsEntry("error", "timed out reading the body");
            assertThat((String) r.get("body")).isNotEmpty().matches("x+");
            assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(10));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpGetRefusesAnUnknownOption() throws IOException {
        assertFailed(httpGet("http://127.0.0.1:1/", "{maxBody: 5}"),
                "ctx.httpGet: unknown option 'maxBody' (known: timeoutMs, headers, maxBodyBytes)");
    }

    @Test
    void httpGetRefusesOtherSchemes() throws IOException {
        assertFailed(httpGet("file:///etc/passwd", ""), "only http and https URLs");
    }
}
