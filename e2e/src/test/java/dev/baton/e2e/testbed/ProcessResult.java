package dev.baton.e2e.testbed;

import java.util.List;

/**
  * What a short command did: its exit code and its captured output (each stream cut at
  * {@link Commands#OUTPUT_LIMIT_BYTES}). A command that ran out of time was killed and has exit
  * code -1 with {@code timedOut} set.
  */
public record ProcessResult(List<String> argv, int exitCode, String stdout, String stderr, boolean timedOut) {

    public ProcessResult {
        argv = List.copyOf(argv);
    }

    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** This result when the command succeeded; otherwise an error naming the command and its output. */
    public ProcessResult requireOk() {
        if (!ok()) {
            throw new IllegalStateException(describe());
        }
        return this;
    }

    public String describe() {
        String outcome = timedOut ? "timed out" : "exited " + exitCode;
        return String.join(" ", argv) + " " + outcome
                + (stdout.isBlank() ? "" : "\n  stdout: " + stdout.strip())
                + (stderr.isBlank() ? "" : "\n  stderr: " + stderr.strip());
    }
}
