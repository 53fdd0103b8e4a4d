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
 * One long-running {@code ip -n NS -json -batch -} per namespace: each command written to its stdin
 * comes back as exactly one JSON line on its stdout (ip flushes after every batch command). This
 * asks the kernel for the current state without forking a process per question.
 */
final class IpBatchQuery implements AutoCloseable {

  /** The JSON answer for a namespace with a few interfaces is a few KiB; more means something is wrong. */
  static final int MAX_ANSWER_BYTES = 1024 * 1024;

  private final String namespace;
  private final Process ip;
  private final OutputStream commands;
  private final InputStream answers;

  private IpBatchQuery(String namespace, Process ip) {
    this.namespace = namespace;
    this.ip = ip;
    this.commands = ip.getOutputStream();
    this.answers = new BufferedInputStream(ip.getInputStream(), 64 * 1024);
  }

  /** Starts the helper; {@code wrapper} (e.g. chrt or nice) goes before ip, empty for none. */
  static IpBatchQuery start(String namespace, List<String> wrapper, Path errorLog) {
    List<String> argv = new ArrayList<>(wrapper);
    argv.addAll(List.of("ip", "-n", namespace, "-json", "-force", "-batch", "-"));
    try {
      Process ip = new ProcessBuilder(argv)
          .redirectError(Redirect.appendTo(errorLog.toFile()))
          .start();
      return new IpBatchQuery(namespace, ip);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start ip batch helper for " + namespace, e);
    }
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
      throw new UncheckedIOException("ip batch helper for " + namespace + " is gone (exit " + exitCode() + ")", e);
    }
  }

  /** Reads the answer to the oldest command sent: one line. */
  String receive() {
    ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
    try {
      for (int b; (b = answers.read()) != '\n'; ) {
        if (b < 0) {
          throw new IllegalStateException("ip batch helper for " + namespace + " ended (exit " + exitCode() + ")");
        }
        if (line.size() >= MAX_ANSWER_BYTES) {
          throw new IllegalStateException("ip batch helper for " + namespace + " answered more than " + MAX_ANSWER_BYTES + " bytes");
        }
        line.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read from ip batch helper for " + namespace, e);
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
