package dev.baton.runtime.method;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.api.type.PropertyProblem;
import dev.baton.runtime.process.Posix;
import dev.baton.runtime.process.ProcessInfo;
import dev.baton.runtime.process.ProcessRunner;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ctx} object a method receives: its only door to the host. Every member here is
 * documented for plugin authors in docs/writing-a-resource-type.md ("The ctx API"); keep the two
 * in step. Everything is bounded by the call's deadline and the runtime's limits.
 */
public final class JsCtx {
    private static final List<String> EXEC_OPTIONS = List.of("timeoutMs", "env", "cwd", "input", "maxOutputBytes");
    private static final List<String> HTTP_OPTIONS = List.of("timeoutMs", "headers", "maxBodyBytes");
    private static final List<String> READ_OPTIONS = List.of("maxBytes");
    private static final List<String> WRITE_OPTIONS = List.of("mode");
    private static final long SLEEP_DEADLINE_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final String BASE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** The resource's properties, typed; durations in milliseconds. Read-only. */
    @HostAccess.Export
    public final ProxyObject props;
    @HostAccess.Export
    public final String resource;
    @HostAccess.Export
    public final String type;
    @HostAccess.Export
    public final String method;
    @HostAccess.Export
    public final String node;
    @HostAccess.Export
    public final boolean isProbe;
    @HostAccess.Export
    public final JsLog log;

    private final MethodCall call;
    private final MethodServices services;

    JsCtx(MethodCall call, MethodServices services) {
        this.call = call;
        this.services = services;
        this.props = JsValues.properties(call.resource.properties());
        this.resource = call.resource.name();
        this.type = call.resource.type().name();
        this.method = call.method.jsName();
        this.node = call.nodeName;
        this.isProbe = call.method == MethodName.PROBE;
        this.log = new JsLog(call.log);
    }

    // ---- time ----

    /** Milliseconds left before the method is killed. */
    @HostAccess.Export
    public long remainingMs() {
        return call.remainingMs();
    }

    /** Sleeps {@code ms}, or until the deadline if that comes first. */
    @HostAccess.Export
    public void sleep(long ms) {
        // toNanos saturates: ms * 1_000_000 overflows for huge ms and would not sleep at all.
        long wanted = TimeUnit.MILLISECONDS.toNanos(Math.max(0, ms));
        long remaining = Math.max(0, call.remainingNanos());
        // A sleep that reaches the deadline waits for the deadline's interrupt (the margin is only a
        // backstop): waking exactly at the deadline would race the watchdog and could report a result.
        long nanos = wanted < remaining ? wanted : remaining + SLEEP_DEADLINE_MARGIN_NANOS;
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("ctx.sleep: interrupted (the method's deadline passed)");
        }
    }

    // ---- processes ----

    @HostAccess.Export
    public ProxyObject exec(Value argv) {
        return exec(argv, null);
    }

    /**
     * Runs a command (an argument array, never a shell string) and waits for it.
     *
     * @return {exitCode, stdout, stderr, timedOut, truncated, elapsedMs}
     */
    @HostAccess.Export
    public ProxyObject exec(Value argv, Value options) {
        List<String> args = JsOptions.argv("ctx.exec", argv);
        JsOptions o = new JsOptions("ctx.exec", options, EXEC_OPTIONS);
        long remaining = requireTimeLeft("ctx.exec");
        long timeoutMs = o.number("timeoutMs", remaining, 1, Long.MAX_VALUE);
        int maxOut = (int) o.number("maxOutputBytes", services.execDefaultOutputBytes(), 0, services.execMaxOutputBytes());
        String input = o.string("input", null);
        byte[] inputBytes = input == null ? null : input.getBytes(StandardCharsets.UTF_8);
        if (inputBytes != null && inputBytes.length > services.execMaxInputBytes()) {
            throw new IllegalArgumentException("ctx.exec: input of " + inputBytes.length + " bytes is above the limit of "
                    + services.execMaxInputBytes());
        }
        String cwd = o.string("cwd", "/");
        if (!Path.of(cwd).isAbsolute()) {
            throw new IllegalArgumentException("ctx.exec: cwd '" + cwd + "' is not an absolute path");
        }
        ProcessRunner.Request request = new ProcessRunner.Request(args, environment(o.stringMap("env")), Path.of(cwd),
                inputBytes, maxOut, Duration.ofMillis(Math.min(timeoutMs, remaining)));
        call.log.add(MethodLog.Level.DEBUG, "exec " + args);
        try {
            return JsValues.execResult(services.processRunner().run(request, call.processes));
        } catch (IOException e) {
            throw new UncheckedIOException("ctx.exec " + args.get(0) + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", BASE_PATH);
        env.put("LANG", "C.UTF-8");
        env.put("HOME", "/");
        env.put("BATON_RESOURCE", resource);
        env.put("BATON_TYPE", type);
        env.put("BATON_METHOD", method);
        env.put("BATON_NODE", node);
        env.putAll(extra);
        return env;
    }

    /** The pid in a pid file (first word of the file), or null if there is none or it is unreadable. */
    @HostAccess.Export
    public Object readPidFile(String path) {
        Path p = regularOrAbsent("ctx.readPidFile", call.files.check("ctx.readPidFile", path, false));
        try {
            String first = Files.readString(p, StandardCharsets.US_ASCII).trim().split("\\s+")[0];
            long pid = Long.parseLong(first);
            return pid > 1 ? pid : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Whether the pid names a live process (a zombie is not alive). */
    @HostAccess.Export
    public boolean pidAlive(long pid) {
        return ProcessInfo.alive(pid);
    }

    /** The executable's path for a live pid, or null. */
    @HostAccess.Export
    public String pidCommand(long pid) {
        return ProcessInfo.command(pid).orElse(null);
    }

    /** Sends a signal (TERM, KILL, HUP, INT, QUIT, USR1, USR2, WINCH, STOP, CONT) to a pid; false if it is gone. */
    @HostAccess.Export
    public boolean signal(long pid, String signal) {
        refuseOwnProcess("ctx.signal", pid);
        call.log.add(MethodLog.Level.DEBUG, "signal " + signal + " to pid " + pid);
        return Posix.signal(pid, Posix.signalNumber(signal));
    }

    /** Sends a signal to every process of a process group; false if the group is empty. */
    @HostAccess.Export
    public boolean signalGroup(long pgid, String signal) {
        refuseOwnProcess("ctx.signalGroup", pgid);
        if (pgid == Posix.processGroup(ProcessHandle.current().pid())) {
            throw new SecurityException("ctx.signalGroup: " + pgid + " is the Baton daemon's own process group");
        }
        call.log.add(MethodLog.Level.DEBUG, "signal " + signal + " to process group " + pgid);
        return Posix.signalGroup(pgid, Posix.signalNumber(signal));
    }

    /**
     * Announces the pid file of a daemon this method starts: if the method times out, the
     * daemon named there is killed with its tree too.
     */
    @HostAccess.Export
    public void trackPidFile(String path) {
        call.processes.addPidFile(regularOrAbsent("ctx.trackPidFile", call.files.check("ctx.trackPidFile", path, false)));
    }

    private static void refuseOwnProcess(String function, long pid) {
        if (pid == ProcessHandle.current().pid()) {
            throw new SecurityException(function + ": " + pid + " is the Baton daemon itself");
        }
    }

    // ---- network ----

    @HostAccess.Export
    public boolean tcpCheck(String host, int port) {
        return tcpCheck(host, port, Math.min(5_000, call.remainingMs()));
    }

    /** Whether a TCP connection to host:port opens within timeoutMs (and before the deadline). */
    @HostAccess.Export
    public boolean tcpCheck(String host, int port, long timeoutMs) {
        long remaining = requireTimeLeft("ctx.tcpCheck");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("ctx.tcpCheck: port " + port + " is outside 1..65535");
        }
        return Probes.tcpCheck(host, port, (int) Math.min(Math.min(timeoutMs, remaining), Integer.MAX_VALUE));
    }

    @HostAccess.Export
    public ProxyObject httpGet(String url) {
        return httpGet(url, null);
    }

    /**
     * One HTTP GET, redirects not followed. Network failures do not throw: status is 0 and
     * error says why.
     *
     * @return {status, body, truncated, error, elapsedMs}
     */
    @HostAccess.Export
    public ProxyObject httpGet(String url, Value options) {
        JsOptions o = new JsOptions("ctx.httpGet", options, HTTP_OPTIONS);
        long remaining = requireTimeLeft("ctx.httpGet");
        long timeoutMs = Math.min(o.number("timeoutMs", remaining, 1, Long.MAX_VALUE), remaining);
        int maxBody = (int) o.number("maxBodyBytes", services.httpMaxBodyBytes(), 0, services.httpMaxBodyBytes());
        Map<String, Object> r = Probes.httpGet(url, (int) Math.min(timeoutMs, Integer.MAX_VALUE), maxBody,
                o.stringMap("headers"));
        return ProxyObject.fromMap(r);
    }

    // ---- files (only under the descriptor's files: paths) ----

    @HostAccess.Export
    public String readFile(String path) {
        return readFile(path, null);
    }

    /** The file's text (UTF-8), at most maxBytes; null if it does not exist. */
    @HostAccess.Export
    public String readFile(String path, Value options) {
        JsOptions o = new JsOptions("ctx.readFile", options, READ_OPTIONS);
        int max = (int) o.number("maxBytes", services.fileMaxReadBytes(), 0, services.fileMaxReadBytes());
        Path p = regularOrAbsent("ctx.readFile", call.files.check("ctx.readFile", path, false));
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readNBytes(max), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("ctx.readFile " + path + ": " + e.getMessage(), e);
        }
    }

    @HostAccess.Export
    public void writeFile(String path, String content) {
        writeFile(path, content, null);
    }

    /** Replaces the file atomically (a temporary file renamed over it); mode such as "0644". */
    @HostAccess.Export
    public void writeFile(String path, String content, Value options) {
        JsOptions o = new JsOptions("ctx.writeFile", options, WRITE_OPTIONS);
        String mode = o.string("mode", "0644");
        Path p = regularOrAbsent("ctx.writeFile", call.files.check("ctx.writeFile", path, true));
        try {
            Path tmp = Files.createTempFile(p.getParent(), "." + p.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(permissions(mode)));
                Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ctx.writeFile " + path + ": " + e.getMessage(), e);
        }
    }

    @HostAccess.Export
    public boolean fileExists(String path) {
        return Files.exists(call.files.check("ctx.fileExists", path, false));
    }

    /** Creates the directory and its missing parents (mode 0755). */
    @HostAccess.Export
    public void mkdirs(String path) {
        Path p = call.files.check("ctx.mkdirs", path, true);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("ctx.mkdirs " + path + ": " + e.getMessage(), e);
        }
    }

    /** Removes a file or an empty directory; false if it did not exist. */
    @HostAccess.Export
    public boolean removeFile(String path) {
        Path p = call.files.check("ctx.removeFile", path, true);
        try {
            return Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("ctx.removeFile " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses FIFOs, devices and folders: reading a named pipe blocks in a way no deadline
     * interrupts, and /dev/zero never ends.
     */
    private static Path regularOrAbsent(String function, Path p) {
        if (Files.exists(p) && !Files.isRegularFile(p)) {
            throw new IllegalArgumentException(function + ": '" + p + "' is not a regular file");
        }
        return p;
    }

    private static String permissions(String octal) {
        if (!octal.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("ctx.writeFile: mode '" + octal + "' is not octal such as 0644");
        }
        String digits = octal.length() == 4 ? octal.substring(1) : octal;
        StringBuilder s = new StringBuilder();
        for (char c : digits.toCharArray()) {
            int d = c - '0';
            s.append((d & 4) != 0 ? 'r' : '-').append((d & 2) != 0 ? 'w' : '-').append((d & 1) != 0 ? 'x' : '-');
        }
        return s.toString();
    }

    // ---- results ----

    @HostAccess.Export
    public Outcome success() {
        return outcome(ResultCode.SUCCESS, "");
    }

    @HostAccess.Export
    public Outcome success(String message) {
        return outcome(ResultCode.SUCCESS, message);
    }

    @HostAccess.Export
    public Outcome running() {
        return outcome(ResultCode.RUNNING, "");
    }

    @HostAccess.Export
    public Outcome running(String message) {
        return outcome(ResultCode.RUNNING, message);
    }

    @HostAccess.Export
    public Outcome notRunning() {
        return outcome(ResultCode.NOT_RUNNING, "");
    }

    @HostAccess.Export
    public Outcome notRunning(String message) {
        return outcome(ResultCode.NOT_RUNNING, message);
    }

    @HostAccess.Export
    public Outcome degraded(String message) {
        return outcome(ResultCode.DEGRADED, message);
    }

    @HostAccess.Export
    public Outcome failed(String message) {
        return outcome(ResultCode.FAILED, message);
    }

    @HostAccess.Export
    public Outcome failedHard(String message) {
        return outcome(ResultCode.FAILED_HARD, message);
    }

    @HostAccess.Export
    public Outcome configError(String message) {
        return outcome(ResultCode.CONFIG_ERROR, message);
    }

    @HostAccess.Export
    public Outcome configError() {
        return outcome(ResultCode.CONFIG_ERROR, "");
    }

    /** Records a problem with one property (validate); reported problems make validate fail. */
    @HostAccess.Export
    public void problem(String property, String message) {
        call.addProblem(new PropertyProblem(property == null ? "" : property, message == null ? "" : message));
    }

    private Outcome outcome(ResultCode code, String message) {
        // Not clipped here: MethodRuntime clips the final message once, so its "[N more characters]" is right.
        return new Outcome(code, message);
    }

    private long requireTimeLeft(String function) {
        long remaining = call.remainingMs();
        if (remaining <= 0 || call.expired()) {
            throw new IllegalStateException(function + ": the method's deadline has passed");
        }
        return remaining;
    }

    /** {@code ctx.log}: lines tagged with resource and method, bounded per call. */
    public static final class JsLog {
        private final MethodLog log;

        JsLog(MethodLog log) {
            this.log = log;
        }

        private static String text(Value v) {
            return v == null ? "undefined" : v.isString() ? v.asString() : v.toString();
        }

        @HostAccess.Export
        public void debug(Value message) {
            log.add(MethodLog.Level.DEBUG, text(message));
        }

        @HostAccess.Export
        public void info(Value message) {
            log.add(MethodLog.Level.INFO, text(message));
        }

        @HostAccess.Export
        public void warn(Value message) {
            log.add(MethodLog.Level.WARN, text(message));
        }

        @HostAccess.Export
        public void error(Value message) {
            log.add(MethodLog.Level.ERROR, text(message));
        }
    }
}
