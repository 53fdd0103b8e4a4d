package dev.baton.runtime.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** What /proc says about a pid. A zombie counts as gone: it runs nothing and holds nothing. */
public final class ProcessInfo {
    private ProcessInfo() {
    }

    /** Whether the pid names a live (non-zombie) process. */
    public static boolean alive(long pid) {
        if (pid <= 0) {
            return false;
        }
        return state(pid).map(s -> s != 'Z' && s != 'X').orElse(false);
    }

    /** The one-letter state from /proc/PID/stat (R, S, D, T, Z …), empty if the pid does not exist. */
    public static Optional<Character> state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            // The command name sits in parentheses and may itself contain ") ", so read after the last one.
            int close = stat.lastIndexOf(") ");
            return close < 0 ? Optional.empty() : Optional.of(stat.charAt(close + 2));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The executable's path, empty if the process is gone or hidden from us. */
    public static Optional<String> command(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().command());
    }

    /** When the process started, empty if unknown. */
    public static Optional<Instant> startTime(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
    }
}
