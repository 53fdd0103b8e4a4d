package dev.baton.e2e.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
  * Gives the serving observer's sampler thread and ip helpers precedence over the daemons under
  * test: real-time (SCHED_FIFO 10) where the host allows it, else nice -10, else nothing, each
  * fallback noted. The system property {@code baton.e2e.observerScheduling} (realtime, nice, none)
  * forces one level, to measure what each buys. Both real-time users block between samples, and the
  * kernel's real-time throttling bounds them anyway, so they cannot starve the machine.
  */
final class Scheduling {

    static final String PROPERTY = "baton.e2e.observerScheduling";
    private static final String RT_PRIORITY = "10";
    private static final String NICENESS = "-10";

    private Scheduling() {}

    /** The command prefix for helper processes. */
    static List<String> wrapperForHelpers(List<String> notes) {
        String wanted = System.getProperty(PROPERTY, "realtime");
        if (wanted.equals("realtime") && works(List.of("chrt", "-f", RT_PRIORITY, "true"))) {
            notes.add("ip helpers: SCHED_FIFO " + RT_PRIORITY);
            return List.of("chrt", "-f", RT_PRIORITY);
        }
        if (!wanted.equals("none") && works(List.of("nice", "-n", NICENESS, "true"))) {
            notes.add("ip helpers: nice " + NICENESS);
            return List.of("nice", "-n", NICENESS);
        }
        notes.add("ip helpers: default scheduling");
        return List.of();
    }

    /** Raises the calling thread (by its kernel thread id) the same way. */
    static void boostCurrentThread(List<String> notes) {
        String wanted = System.getProperty(PROPERTY, "realtime");
        String tid = currentTid();
        if (tid == null || wanted.equals("none")) {
            notes.add("sampler: default scheduling" + (tid == null ? " (no /proc/thread-self)" : ""));
        } else if (wanted.equals("realtime") && works(List.of("chrt", "-f", "-p", RT_PRIORITY, tid))) {
            notes.add("sampler: SCHED_FIFO " + RT_PRIORITY);
        } else if (works(List.of("renice", "-n", NICENESS, "-p", tid))) {
            notes.add("sampler: nice " + NICENESS);
        } else {
            notes.add("sampler: default scheduling (chrt and renice refused)");
        }
    }

    private static String currentTid() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The command exits 0 and complains about nothing (nice only warns when it is refused). */
    private static boolean works(List<String> argv) {
        try {
            ProcessResult result = Commands.run(argv, Commands.DEFAULT_TIMEOUT, null);
            return result.ok() && result.stderr().isBlank();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
