package dev.baton.runtime.guard;

import dev.baton.runtime.process.ProcessRunner;
import dev.baton.runtime.process.ProcessTag;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How batond starts its guard ({@link GuardClient#start}).
 *
 * @param tag              the failfast tag, the same as the method runtime's {@code failfast.tag}
 * @param daemonPid        the process the guard SIGKILLs when it fires: batond itself
 * @param action           EXIT (tests, demos) or REBOOT (production)
 * @param rebootAllowed    the explicit production flag; REBOOT is refused without it
 * @param realtimePriority SCHED_FIFO priority of the guard's two threads, 1-99; 0 asks for none
 * @param javaCommand      the java launcher to run (JDK 21 or later)
 * @param classPath        a class path holding baton-runtime and JNA
 * @param logFile          where the guard's log is appended; null: batond's own stderr
 * @param startTimeout     how long {@link GuardClient#start} waits for the guard's READY
 */
public record GuardSettings(String tag, long daemonPid, FailfastAction action, boolean rebootAllowed,
        int realtimePriority, Path javaCommand, String classPath, Path logFile, Duration startTimeout) {
    /** Above ordinary real-time work, below the kernel's own per-CPU threads (99). */
    public static final int DEFAULT_REALTIME_PRIORITY = 80;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(20);
    /**
     * A small, fixed heap the collector never has to grow, no JIT tier beyond C1 (nothing here is
     * hot enough for C2, and C2 threads would be memory to lock), no hsperfdata file in /tmp.
     */
    public static final List<String> JVM_OPTIONS = List.of("-Xms16m", "-Xmx16m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:+AlwaysPreTouch", "-XX:-UsePerfData", "-Xss512k",
            "--enable-native-access=ALL-UNNAMED");

    public GuardSettings {
        ProcessTag.requireValid(tag);
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(javaCommand, "javaCommand");
        Objects.requireNonNull(classPath, "classPath");
        Objects.requireNonNull(startTimeout, "startTimeout");
        // The same rules the guard applies to its command line, checked before a process is started.
        new GuardOptions(tag, daemonPid, action, rebootAllowed, realtimePriority);
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout " + startTimeout + " is not positive");
        }
    }

    /**
     * This JVM as batond, failfast by EXIT: its pid, its java launcher, its class path; the guard
     * logs to its stderr; the default real-time priority.
     */
    public static GuardSettings forThisDaemon(String tag) {
        return new GuardSettings(tag, ProcessHandle.current().pid(), FailfastAction.EXIT, false,
                DEFAULT_REALTIME_PRIORITY, Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("java.class.path"), null, DEFAULT_START_TIMEOUT);
    }

    /** The same, failfast by REBOOT: production only, this is the explicit flag. Never call it in a test. */
    public GuardSettings withProductionReboot() {
        return new GuardSettings(tag, daemonPid, FailfastAction.REBOOT, true, realtimePriority, javaCommand, classPath,
                logFile, startTimeout);
    }

    /** 0: neither the guard nor batond's writer to it asks for real-time scheduling. */
    public GuardSettings withRealtimePriority(int priority) {
        return new GuardSettings(tag, daemonPid, action, rebootAllowed, priority, javaCommand, classPath, logFile,
                startTimeout);
    }

    public GuardSettings withDaemonPid(long pid) {
        return new GuardSettings(tag, pid, action, rebootAllowed, realtimePriority, javaCommand, classPath, logFile,
                startTimeout);
    }

    public GuardSettings withLogFile(Path file) {
        return new GuardSettings(tag, daemonPid, action, rebootAllowed, realtimePriority, javaCommand, classPath, file,
                startTimeout);
    }

    /** The guard's whole command line, under setsid so signals aimed at batond's process group miss it. */
    public List<String> command() {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessRunner.setsidCommand());
        argv.add(javaCommand.toString());
        argv.addAll(JVM_OPTIONS);
        argv.addAll(List.of("-cp", classPath, GuardMain.class.getName(), "--tag", tag,
                "--daemon-pid", Long.toString(daemonPid), "--action", action.word(),
                "--rt-priority", Integer.toString(realtimePriority)));
        if (rebootAllowed) {
            argv.add("--allow-reboot");
        }
        return argv;
    }
}
