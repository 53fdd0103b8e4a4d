package dev.baton.plugins.apache;

import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.api.type.PropertyProblem;
import dev.baton.runtime.process.ProcessInfo;
import dev.baton.testkit.PluginHarness;
import dev.baton.testkit.TestResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Apache-specific behaviour beyond the contract, each against a real apache2 on loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApacheTypeTest {
    @TempDir
    Path dir;
    private PluginHarness harness;
    private int n;

    @BeforeAll
    void load() {
        harness = PluginHarness.forModule();
        harness.assertLoaded();
    }

    @AfterAll
    void close() {
        harness.close();
    }

    private Map<String, String> props() throws IOException {
        return new LinkedHashMap<>(ApacheFixture.properties(dir, "r" + (++n)));
    }

    private TestResource create(Map<String, String> props) {
        return harness.create("apache", "web" + n, props);
    }

    @Test
    void startReturnsOnlyOnceTheServerAnswersAndServesThePage() throws Exception {
        Map<String, String> p = props();
        TestResource web = create(p);
        assertThat(web.start().code()).isEqualTo(ResultCode.SUCCESS);
        // No polling here: start promised the server answers.
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + p.get("Port") + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo(ApacheFixture.PAGE);
        assertThat(web.stop().code()).isEqualTo(ResultCode.SUCCESS);
    }

    @Test
    void aFrozenServerIsFailedNotNotRunningAndStopEscalatesToKill() throws Exception {
        Map<String, String> p = props();
        p.put("Probe_http_timeout", "300ms");
        p.put("Graceful_stop_timeout", "200ms");
        p.put("Stop_timeout", "3s");
        TestResource web = create(p);
        assertThat(web.start().code()).isEqualTo(ResultCode.SUCCESS);
        long pid = ApacheFixture.pid(p);
        signalGroup("STOP", pid); // alive, holding its port, answering nothing

        MethodResult probe = web.probe();
        assertThat(probe.code()).as(probe.toString()).isEqualTo(ResultCode.FAILED);
        assertThat(probe.message()).contains("pid " + pid + " is alive").contains("no answer");

        // A stopped process ignores WINCH and TERM until continued; only SIGKILL ends it.
        MethodResult stop = web.stop();
        assertThat(stop.code()).as(stop + " " + stop.log()).isEqualTo(ResultCode.SUCCESS);
        assertThat(stop.message()).contains("killed with SIGKILL");
        assertThat(String.join("\n", stop.log())).contains("sending SIGTERM").contains("sending SIGKILL");
        assertThat(ProcessInfo.alive(pid)).as("pid %d after stop", pid).isFalse();
        assertThat(web.probe().code()).isEqualTo(ResultCode.NOT_RUNNING);
    }

    @Test
    void aStalePidFileNamingAnotherProgramIsNotMistakenForHttpd() throws Exception {
        Map<String, String> p = props();
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Path pidFile = ApacheFixture.pidFile(p.get("Server_root"));
            Files.createDirectories(pidFile.getParent());
            Files.writeString(pidFile, sleeper.pid() + "\n");
            TestResource web = create(p);
            assertThat(web.probe().code()).isEqualTo(ResultCode.NOT_RUNNING);
            assertThat(web.start().code()).isEqualTo(ResultCode.SUCCESS);
            assertThat(ApacheFixture.pid(p)).isNotEqualTo(sleeper.pid());
            assertThat(web.stop().code()).isEqualTo(ResultCode.SUCCESS);
            assertThat(sleeper.isAlive()).as("stop must not touch the process a stale pid file named").isTrue();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void startFailsSoftlyWhenThePortIsTaken() throws Exception {
        Map<String, String> p = props();
        try (ServerSocket squatter = new ServerSocket(Integer.parseInt(p.get("Port")), 1, InetAddress.getLoopbackAddress())) {
            MethodResult start = create(p).start();
            assertThat(start.code()).isEqualTo(ResultCode.FAILED);
            assertThat(start.message()).contains("AH00072"); // httpd: could not bind to address
        }
    }

    @Test
    void startFailsHardWhenTheBinaryCannotRunHere() throws Exception {
        Map<String, String> p = props();
        p.put("Bin", "/nonexistent/apache2");
        MethodResult start = create(p).start();
        assertThat(start.code()).as(start.toString()).isEqualTo(ResultCode.FAILED_HARD);
        assertThat(start.message()).contains("/nonexistent/apache2");
    }

    @Test
    void validateNamesEveryBadProperty() throws Exception {
        Map<String, String> p = props();
        p.put("Bin", "/nonexistent/apache2");
        p.put("Document_root", "/nonexistent/htdocs");
        p.put("Listen_address", "not an address!");
        p.put("Run_user", "no-such-user-here");
        p.put("Probe_url", "ftp://example/");
        p.put("Port", "70000");
        MethodResult framework = harness.validate("apache", p);
        assertThat(framework.code()).isEqualTo(ResultCode.CONFIG_ERROR);
        assertThat(framework.problems()).extracting(PropertyProblem::property).containsExactly("Port");

        p.put("Port", "8080");
        MethodResult r = harness.validate("apache", p);
        assertThat(r.code()).as(r.toString()).isEqualTo(ResultCode.CONFIG_ERROR);
        assertThat(r.problems()).extracting(PropertyProblem::property)
                .containsExactlyInAnyOrder("Bin", "Document_root", "Listen_address", "Run_user", "Probe_url");
    }

    @Test
    void validateChecksAConfigFileOfYourOwn() throws Exception {
        Map<String, String> p = props();
        Path conf = Path.of(p.get("Server_root"), "broken.conf");
        Files.writeString(conf, "Listen 127.0.0.1:8080\n"
                + "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nThisIsNotADirective on\n");
        p.put("Config_file", conf.toString());
        MethodResult r = harness.validate("apache", p);
        assertThat(r.code()).isEqualTo(ResultCode.CONFIG_ERROR);
        assertThat(r.problems()).extracting(PropertyProblem::property).containsExactlyInAnyOrder("Pid_file", "Config_file");
        assertThat(r.problems().stream().filter(x -> x.property().equals("Config_file")).findFirst().orElseThrow()
                .message()).contains("ThisIsNotADirective");
    }

    @Test
    void runsFromAConfigFileOfYourOwn() throws Exception {
        Map<String, String> p = props();
        String root = p.get("Server_root");
        Path conf = Path.of(root, "own.conf");
        Path pidFile = Path.of(root, "own.pid");
        Files.createDirectories(Path.of(root, "logs"));
        Files.writeString(conf, String.join("\n",
                "ServerRoot \"" + root + "\"", "ServerName own", "PidFile \"" + pidFile + "\"",
                "DefaultRuntimeDir \"" + root + "\"", "Mutex file:" + root + " default",
                "ErrorLog \"" + root + "/logs/own-error.log\"", "Listen 127.0.0.1:" + p.get("Port"),
                "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so",
                "LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so",
                "LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so",
                "User www-data", "Group www-data",
                "DocumentRoot \"" + root + "/htdocs\"", "<Directory \"" + root + "/htdocs\">",
                "  Require all granted", "</Directory>", "DirectoryIndex index.html", ""));
        p.put("Config_file", conf.toString());
        p.put("Pid_file", pidFile.toString());
        assertThat(harness.validate("apache", p).code()).isEqualTo(ResultCode.SUCCESS);
        TestResource web = create(p);
        assertThat(web.start().code()).isEqualTo(ResultCode.SUCCESS);
        assertThat(web.probe().code()).isEqualTo(ResultCode.RUNNING);
        assertThat(Files.exists(Path.of(root, "conf/baton-httpd.conf"))).as("no configuration generated").isFalse();
        assertThat(web.stop().code()).isEqualTo(ResultCode.SUCCESS);
        assertThat(web.probe().code()).isEqualTo(ResultCode.NOT_RUNNING);
    }

    @Test
    void probeSeesAWrongStatusAsFailed() throws Exception {
        Map<String, String> p = props();
        TestResource web = create(p);
        assertThat(web.start().code()).isEqualTo(ResultCode.SUCCESS);
        Map<String, String> strict = new LinkedHashMap<>(p);
        strict.put("Probe_url", "http://127.0.0.1:" + p.get("Port") + "/missing.html");
        MethodResult probe = harness.create("apache", "same-server-other-url", strict).probe();
        assertThat(probe.code()).isEqualTo(ResultCode.FAILED);
        assertThat(probe.message()).contains("answered 404, expected 200");
        assertThat(web.stop().code()).isEqualTo(ResultCode.SUCCESS);
    }

    @Test
    void aStartThatNeverSeesTheExpectedAnswerTimesOutAndLeavesNothingRunning() throws Exception {
        Map<String, String> p = props();
        p.put("Probe_url", "http://127.0.0.1:" + p.get("Port") + "/missing.html");
        TestResource web = create(p);
        MethodResult start = web.call(MethodName.START, Duration.ofSeconds(2));
        assertThat(start.code()).isEqualTo(ResultCode.TIMED_OUT);
        assertThat(web.probe().code()).as("the timeout killed the daemon start had launched")
                .isEqualTo(ResultCode.NOT_RUNNING);
    }

    private static void signalGroup(String signal, long pgid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid).inheritIO().start();
        assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }
}
