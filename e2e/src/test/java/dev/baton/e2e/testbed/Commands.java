package dev.baton.e2e.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs short commands with a timeout and bounded captured output. */
public final class Commands {

    /** Each captured stream keeps at most this much; the rest is read and dropped. */
    public static final int OUTPUT_LIMIT_BYTES = 256 * 1024;

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private Commands() {}

    public static ProcessResult run(List<String> argv) {
        return run(argv, DEFAULT_TIMEOUT, null);
    }

    /** Runs argv, feeding it {@code stdin} (null: none), and kills it when {@code timeout} passes. */
    public static ProcessResult run(List<String> argv, Duration timeout, String stdin) {
        Process process = start(argv);
        CompletableFuture<String> out = capture(process.getInputStream());
        CompletableFuture<String> err = capture(process.getErrorStream());
        feed(process, stdin);
        boolean finished = waitFor(process, timeout);
        if (!finished) {
            process.destroyForcibly();
            waitFor(process, Duration.ofSeconds(5));
        }
        return new ProcessResult(argv, finished ? process.exitValue() : -1, out.join(), err.join(), !finished);
    }

    /** Runs argv and returns its result, or fails naming the command and its output. */
    public static ProcessResult runOk(String... argv) {
        return run(List.of(argv)).requireOk();
    }

    private static Process start(List<String> argv) {
        try {
            return new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", argv), e);
        }
    }

    private static void feed(Process process, String stdin) {
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The command exited without reading its input: its exit code says what happened.
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for " + process.info().command().orElse("a command"), e);
        }
    }

    private static CompletableFuture<String> capture(InputStream stream) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> result.complete(readBounded(stream)));
        return result;
    }

    /** Reads the stream to its end, keeping the first OUTPUT_LIMIT_BYTES. */
    static String readBounded(InputStream stream) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (stream) {
            for (int n; (n = stream.read(buffer)) >= 0; ) {
                int room = OUTPUT_LIMIT_BYTES - kept.size();
                kept.write(buffer, 0, Math.min(room, n));
            }
        } catch (IOException e) {
            // The process went away: keep what arrived.
        }
        return kept.toString(StandardCharsets.UTF_8);
    }
}
