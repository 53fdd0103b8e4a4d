package dev.baton.runtime.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The processes one method call started: commands it ran (each leads its own session, see
 * {@link ProcessRunner}) and daemons it announced through their pid files. When the call passes
 * its deadline, {@link #killAll()} kills all of them with their trees.
 *
 * <p>A pid file counts only if it was written after the call began and names a process that
 * started after the call began, so a stale file whose pid now belongs to someone else is left
 * alone.
 */
public final class CallProcesses {
    /** Clock granularity of file times and /proc start times. */
    private static final Duration SLACK = Duration.ofSeconds(1);

    private final Instant callStart;
    private final List<Long> commandPids = new ArrayList<>();
    private final List<Path> pidFiles = new ArrayList<>();
    private boolean killed;

    public CallProcesses(Instant callStart) {
        this.callStart = callStart;
    }

    /**
     * Records a command's pid; returns false (and the caller must kill it) when the call was
     * already killed, which closes the race between a launch and the deadline.
     */
    public synchronized boolean addCommand(long pid) {
        if (killed) {
            return false;
        }
        commandPids.add(pid);
        return true;
    }

    public synchronized void addPidFile(Path pidFile) {
        pidFiles.add(pidFile);
    }

    /** Kills every recorded command and pid-file daemon with their trees; returns the number of signals sent. */
    public int killAll() {
        List<Long> targets;
        synchronized (this) {
            killed = true;
            targets = new ArrayList<>(commandPids);
            for (Path f : pidFiles) {
                freshPid(f).ifPresent(targets::add);
            }
        }
        int signalled = 0;
        for (long pid : targets) {
            signalled += ProcessTrees.killTree(pid);
        }
        return signalled;
    }

    public synchronized boolean killed() {
        return killed;
    }

    private Optional<Long> freshPid(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty(); // never read a FIFO here: this runs on the watchdog thread
            }
            Instant written = Files.getLastModifiedTime(pidFile).toInstant();
            if (written.isBefore(callStart.minus(SLACK))) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim().split("\\s+")[0]);
            Optional<Instant> started = ProcessInfo.startTime(pid);
            boolean startedDuringCall = started.map(s -> !s.isBefore(callStart.minus(SLACK))).orElse(false);
            return pid > 1 && startedDuringCall ? Optional.of(pid) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
