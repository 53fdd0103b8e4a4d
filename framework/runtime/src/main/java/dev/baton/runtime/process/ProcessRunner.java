package dev.baton.runtime.process;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteStreamHandler;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Runs one command through Commons Exec, the way {@code ctx.exec} promises: an argument list
 * (never a shell string), its own session (through {@code setsid}, so the whole tree can be
 * killed by process group), bounded output that is always drained, optional stdin, and a
 * timeout after which the command and everything it started are SIGKILLed.
 *
 * <p>A runner built with a failfast tag adds {@code BATON_TAG=<tag>} to every command's
 * environment ({@link ProcessTag}); the guard kills by it. Methods may not set that variable.
 */
public final class ProcessRunner {
    private static final Duration PUMP_JOIN = Duration.ofSeconds(2);

    private final String setsid;
    private final ScheduledExecutorService timer;
    /** Empty: commands carry no tag. */
    private final String tag;

    /** A runner whose commands carry no failfast tag. */
    public ProcessRunner(ScheduledExecutorService timer) {
        this(timer, "");
    }

    /**
     * @param timer runs timeout kills; never blocked for long
     * @param tag   the failfast tag every command carries as {@code BATON_TAG}; empty for none
     */
    public ProcessRunner(ScheduledExecutorService timer, String tag) {
        this.timer = Objects.requireNonNull(timer);
        this.tag = tag.isEmpty() ? "" : ProcessTag.requireValid(tag);
        this.setsid = findSetsid();
    }

    /** What to run. {@code input} may be null (stdin is then empty). */
    public record Request(List<String> argv, Map<String, String> env, Path cwd, byte[] input,
            int maxOutputBytes, Duration timeout) {
        public Request {
            argv = List.copyOf(argv);
            env = Map.copyOf(env);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("argv is empty: give at least the program");
            }
        }
    }

    /**
     * What happened. {@code exitCode} is the program's, or 128+signal when a signal ended it;
     * 127 when the program could not be found or executed.
     */
    public record Outcome(int exitCode, String stdout, String stderr, boolean timedOut,
            boolean stdoutTruncated, boolean stderrTruncated, long elapsedMs) {
    }

    /**
     * Runs the command and waits for it.
     *
     * @param processes where the command's pid is recorded for the method's own deadline
     * @throws IOException when the command could not be started at all
     */
    @SuppressWarnings("deprecation") // setters of DefaultExecutor; see LaunchingExecutor
    public Outcome run(Request request, CallProcesses processes) throws IOException {
        if (!Files.isDirectory(request.cwd())) {
            throw new IOException("working directory " + request.cwd() + " does not exist");
        }
        Map<String, String> env = environment(request.env());
        long startNanos = System.nanoTime();
        BoundedCapture out = new BoundedCapture(request.maxOutputBytes());
        BoundedCapture err = new BoundedCapture(request.maxOutputBytes());
        AtomicBoolean timedOut = new AtomicBoolean();
        AtomicLong pid = new AtomicLong(-1);
        List<ScheduledFuture<?>> killers = new ArrayList<>();
        LaunchingExecutor executor = new LaunchingExecutor(launched -> {
            pid.set(launched);
            if (!processes.addCommand(launched)) {
                timedOut.set(true);
                ProcessTrees.killTree(launched);
                return;
            }
            killers.add(timer.schedule(() -> {
                timedOut.set(true);
                ProcessTrees.killTree(launched);
            }, request.timeout().toNanos(), TimeUnit.NANOSECONDS));
        });
        executor.setStreamHandler(new CaptureStreams(out, err, request.input()));
        executor.setWorkingDirectory(request.cwd().toFile());
        executor.setExitValues(null);
        int exit;
        try {
            exit = executor.execute(commandLine(request.argv()), env);
        } finally {
            killers.forEach(k -> k.cancel(false));
        }
        if (exit == org.apache.commons.exec.Executor.INVALID_EXITVALUE) {
            exit = -1; // the waiting thread was interrupted: the method's deadline passed
        }
        boolean killedByDeadline = processes.killed();
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        return new Outcome(exit, out.text(), err.text(), timedOut.get() || killedByDeadline,
                out.truncated(), err.truncated(), elapsedMs);
    }

    private Map<String, String> environment(Map<String, String> requested) {
        if (requested.containsKey(ProcessTag.ENV)) {
            // A method naming another node's tag would hand its processes to that node's guard.
            throw new IllegalArgumentException(ProcessTag.ENV + " is set by the runtime (the failfast tag);"
                    + " a method may not set it");
        }
        if (tag.isEmpty()) {
            return requested;
        }
        Map<String, String> env = new HashMap<>(requested);
        env.put(ProcessTag.ENV, tag);
        return env;
    }

    private CommandLine commandLine(List<String> argv) {
        CommandLine cl = new CommandLine(setsid);
        // addArgument(arg, false): Commons Exec must not quote or split what the method gave us.
        argv.forEach(a -> cl.addArgument(a, false));
        return cl;
    }

    /** The setsid program: a command started through it leads its own session and process group. */
    public static String setsidCommand() {
        return findSetsid();
    }

    private static String findSetsid() {
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("setsid (util-linux) is missing; Baton needs it to kill a command's whole tree");
    }

    /** Tells the caller each launched pid before anything can wait on it. */
    private static final class LaunchingExecutor extends DefaultExecutor {
        private final LongConsumer onLaunch;

        @SuppressWarnings("deprecation") // the Builder cannot be subclassed; the plain constructor can
        LaunchingExecutor(LongConsumer onLaunch) {
            super();
            this.onLaunch = onLaunch;
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, File dir) throws IOException {
            Process p = super.launch(command, env, dir);
            onLaunch.accept(p.pid());
            return p;
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, Path dir) throws IOException {
            Process p = super.launch(command, env, dir);
            onLaunch.accept(p.pid());
            return p;
        }
    }

    /** Drains stdout and stderr into bounded captures and feeds stdin, each on a virtual thread. */
    private static final class CaptureStreams implements ExecuteStreamHandler {
        private final BoundedCapture out;
        private final BoundedCapture err;
        private final byte[] input;
        private final List<Thread> threads = new ArrayList<>();
        private InputStream stdout;
        private InputStream stderr;
        private OutputStream stdin;

        CaptureStreams(BoundedCapture out, BoundedCapture err, byte[] input) {
            this.out = out;
            this.err = err;
            this.input = input;
        }

        @Override
        public void setProcessInputStream(OutputStream os) {
            this.stdin = os;
        }

        @Override
        public void setProcessErrorStream(InputStream is) {
            this.stderr = is;
        }

        @Override
        public void setProcessOutputStream(InputStream is) {
            this.stdout = is;
        }

        @Override
        public void start() {
            threads.add(Thread.ofVirtual().name("exec-stdout").start(() -> drain(stdout, out)));
            threads.add(Thread.ofVirtual().name("exec-stderr").start(() -> drain(stderr, err)));
            threads.add(Thread.ofVirtual().name("exec-stdin").start(this::feed));
        }

        private void feed() {
            try (OutputStream os = stdin) {
                if (input != null) {
                    os.write(input);
                }
            } catch (IOException e) {
                // The command closed its stdin or exited early; what it did not read is lost.
            }
        }

        private static void drain(InputStream in, BoundedCapture sink) {
            byte[] buf = new byte[16 * 1024];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    sink.write(buf, 0, n);
                }
            } catch (IOException e) {
                // Stream closed under us: the process is gone.
            }
        }

        @Override
        public void stop() {
            for (Thread t : threads) {
                try {
                    if (!t.join(PUMP_JOIN)) {
                        t.interrupt();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
