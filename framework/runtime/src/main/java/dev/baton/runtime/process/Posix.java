package dev.baton.runtime.process;

import java.util.TreeSet;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.util.Locale;
import java.util.Map;

/**
 * The few POSIX calls Java lacks: signals to a pid or a process group. Linux only (signal
 * numbers are Linux x86-64 and arm64 ones). Direct JNA mapping: no shell, no fork.
 */
public final class Posix {
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("USR2", 12), Map.entry("TERM", 15), Map.entry("CONT", 18),
            Map.entry("STOP", 19), Map.entry("WINCH", 28));
    public static final int SIGKILL = 9;

    static {
        if (!Platform.isLinux()) {
            throw new IllegalStateException("Baton's process control runs on Linux only");
        }
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Posix() {
    }

    private static native int kill(int pid, int signal);

    private static native int getpgid(int pid);

    /** The signal number for a name such as {@code TERM} or {@code SIGTERM}. */
    public static int signalNumber(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        Integer number = SIGNALS.get(n.startsWith("SIG") ? n.substring(3) : n);
        if (number == null) {
            throw new IllegalArgumentException("unknown signal '" + name + "' (known: " + String.join(", ",
                    new TreeSet<>(SIGNALS.keySet())) + ")");
        }
        return number;
    }

    /** Sends a signal to one process; false if it does not exist (or is not ours to signal). */
    public static boolean signal(long pid, int signal) {
        requireRealPid(pid);
        return kill((int) pid, signal) == 0;
    }

    /** Sends a signal to every process of a process group; false if the group is empty. */
    public static boolean signalGroup(long pgid, int signal) {
        requireRealPid(pgid);
        return kill(-(int) pgid, signal) == 0;
    }

    /** The process group of a process, or -1 if it does not exist. */
    public static long processGroup(long pid) {
        requireRealPid(pid);
        return getpgid((int) pid);
    }

    private static void requireRealPid(long pid) {
        // 0 and -1 address every process of the caller's group or every process there is.
        if (pid <= 1 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("refusing to signal pid " + pid);
        }
    }
}
