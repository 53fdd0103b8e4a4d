package dev.baton.e2e.testbed;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
  * A long-running helper process that answers each line written to its stdin with exactly one line
  * on its stdout, so a question costs a pipe round trip instead of a fork: the serving observer's
  * {@code ip -n NS -json -batch -} (ip flushes after every batch command) and the HTTP prober.
  */
final class LineProcess implements AutoCloseable {

    /** Answers are a few KiB; more means something is wrong. */
    static final int MAX_ANSWER_BYTES = 1024 * 1024;

    private final String name;
    private final Process ip;
    private final OutputStream commands;
    private final InputStream answers;

    private LineProcess(String name, Process ip) {
        this.name = name;
        this.ip = ip;
        this.commands = ip.getOutputStream();
        this.answers = new BufferedInputStream(ip.getInputStream(), 64 * 1024);
    }

    /** Starts argv; {@code name} names the helper in errors, its stderr goes to errorLog. */
    static LineProcess start(String name, List<String> argv, Path errorLog) {
        try {
            Process process = new ProcessBuilder(argv)
                    .redirectError(Redirect.appendTo(errorLog.toFile()))
                    .start();
            return new LineProcess(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", argv), e);
        }
    }

    /** One {@code ip -n NS -json -batch -} for a namespace; {@code wrapper} (chrt, nice) goes before ip. */
    static LineProcess ipBatch(String namespace, List<String> wrapper, Path errorLog) {
        List<String> argv = new ArrayList<>(wrapper);
        argv.addAll(List.of("ip", "-n", namespace, "-json", "-force", "-batch", "-"));
        return start("ip batch helper for " + namespace, argv, errorLog);
    }

    long pid() {
        return ip.pid();
    }

    /** Sends a command (one line, no newline) without waiting for the answer. */
    void send(String command) {
        try {
            commands.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " is gone (exit " + exitCode() + ")", e);
        }
    }

    /** Reads the answer to the oldest command sent: one line. */
    String receive() {
        ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
        try {
            for (int b; (b = answers.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IllegalStateException(name + " ended (exit " + exitCode() + ")");
                }
                if (line.size() >= MAX_ANSWER_BYTES) {
                    throw new IllegalStateException(name + " answered more than " + MAX_ANSWER_BYTES + " bytes");
                }
                line.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read from " + name, e);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private String exitCode() {
        return ip.isAlive() ? "still running" : String.valueOf(ip.exitValue());
    }

    @Override
    public void close() throws Exception {
        try {
            commands.close();
        } catch (IOException e) {
            // Already gone: the kill below is what matters.
        }
        Teardown.killTree(ip.toHandle(), java.time.Duration.ofSeconds(5));
    }
}
