package dev.baton.bench;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.PumpStreamHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The apache probe (pid file, live process, GET / answering 200) done three ways against one
 * real httpd: as Baton's JavaScript probe through the method runtime (warm pooled context, and a
 * fresh context per call), and as a shell script forked through Commons Exec, the way script
 * agents are run (bash with /dev/tcp, and sh with curl, as the OCF apache agent uses). A probe
 * that checks nothing shows what the method runtime itself costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProbeBenchmark {
    static final String BASH_PROBE = """
            #!/bin/bash
            # The apache probe as a shell agent does it: pid file, live process, HTTP status.
            pid=$(cat "$1" 2>/dev/null) || exit 7
            kill -0 "$pid" 2>/dev/null || exit 7
            exec 3<>"/dev/tcp/$2/$3" || exit 1
            printf 'GET / HTTP/1.0\\r\\nHost: %s\\r\\nConnection: close\\r\\n\\r\\n' "$2" >&3
            read -r _ status _ <&3
            [ "$status" = 200 ] || exit 1
            """;
    static final String CURL_PROBE = """
            #!/bin/sh
            pid=$(cat "$1" 2>/dev/null) || exit 7
            kill -0 "$pid" 2>/dev/null || exit 7
            code=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "http://$2:$3/") || exit 1
            [ "$code" = 200 ] || exit 1
            """;

    private ApacheUnderTest warm;
    private ApacheUnderTest fresh;
    private TrivialType trivial;
    private Path bashProbe;
    private Path curlProbe;

    @Setup(Level.Trial)
    public void startApache() throws IOException {
        Path module = Path.of(System.getProperty("baton.apache.module", "plugins/apache"));
        warm = new ApacheUnderTest(module, 4);
        warm.start();
        fresh = new ApacheUnderTest(module, 0);
        fresh.start();
        trivial = new TrivialType();
        bashProbe = script("probe-bash.sh", BASH_PROBE);
        curlProbe = script("probe-curl.sh", CURL_PROBE);
    }

    @TearDown(Level.Trial)
    public void stopApache() {
        warm.close();
        fresh.close();
        trivial.close();
    }

    /** The method runtime alone: executor, deadline, pooled context, ctx, result; no check at all. */
    @Benchmark
    public void jsProbeNothing() {
        trivial.probe();
    }

    @Benchmark
    public void jsProbeWarmContext() {
        warm.probe();
    }

    @Benchmark
    public void jsProbeFreshContext() {
        fresh.probe();
    }

    @Benchmark
    public int shellProbeBash() throws IOException {
        return fork(bashProbe);
    }

    @Benchmark
    public int shellProbeCurl() throws IOException {
        return fork(curlProbe);
    }

    /** Commons Exec, as a script-agent runner would use it; exit 0 or the probe failed. */
    private int fork(Path script) throws IOException {
        CommandLine cl = new CommandLine(script.toString());
        cl.addArgument(warm.pidFile().toString(), false);
        cl.addArgument("127.0.0.1", false);
        cl.addArgument(Integer.toString(warm.port), false);
        @SuppressWarnings("deprecation")
        DefaultExecutor executor = new DefaultExecutor();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        executor.setStreamHandler(new PumpStreamHandler(output));
        return executor.execute(cl); // throws on a non-zero exit: the benchmark then fails loudly
    }

    private Path script(String name, String text) throws IOException {
        Path p = warm.serverRoot.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
