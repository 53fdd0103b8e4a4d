package dev.baton.e2e.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
  * A serial line between two nodes: a socat pty pair whose ends appear as symlinks {@code endA} and
  * {@code endB} (bytes written to one arrive at the other, raw, no echo). {@link #cut()} kills socat
  * by PID: both ends see end-of-file, as when a cable is pulled. A pty lives outside network
  * namespaces, so a daemon in any node namespace can open either end.
  */
public final class SerialLink implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

    private final String name;
    private final Path endA;
    private final Path endB;
    private final Process socat;

    private SerialLink(String name, Path endA, Path endB, Process socat) {
        this.name = name;
        this.endA = endA;
        this.endB = endB;
        this.socat = socat;
    }

    /** Starts socat with ends {@code dir/NAME-A} and {@code dir/NAME-B}; returns once both exist. */
    public static SerialLink open(Path dir, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("serial link name must match " + NAME + ", got '" + name + "'");
        }
        Path endA = dir.resolve(name + "-A");
        Path endB = dir.resolve(name + "-B");
        Process socat = start(List.of("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + endA, "pty,raw,echo=0,link=" + endB), dir.resolve(name + "-socat.log"));
        SerialLink link = new SerialLink(name, endA, endB, socat);
        try {
            link.awaitEnds();
            return link;
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    public Path endA() {
        return endA;
    }

    public Path endB() {
        return endB;
    }

    public long socatPid() {
        return socat.pid();
    }

    public boolean isConnected() {
        return socat.isAlive();
    }

    /** Kills socat (SIGKILL, by PID) and waits for it: both ends read end-of-file. Idempotent. */
    public void cut() {
        socat.destroyForcibly();
        try {
            if (!socat.waitFor(EXIT_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("socat pid " + socat.pid() + " of serial link " + name + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cutting serial link " + name, e);
        }
    }

    @Override
    public void close() {
        cut();
        deleteQuietly(endA);
        deleteQuietly(endB);
    }

    private void awaitEnds() {
        long deadlineNanos = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!(Files.exists(endA) && Files.exists(endB))) {
            if (!socat.isAlive()) {
                throw new IllegalStateException("socat for serial link " + name + " exited with " + socat.exitValue()
                        + " before its ends appeared; see " + endA.resolveSibling(name + "-socat.log"));
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException("serial link " + name + ": ends " + endA + ", " + endB
                        + " did not appear within " + READY_TIMEOUT.toMillis() + " ms");
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    private static Process start(List<String> argv, Path logFile) {
        try {
            return new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start socat (apt-get install socat)", e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // socat usually removes its links itself; a leftover one dies with the run folder.
        }
    }

    @Override
    public String toString() {
        return "SerialLink " + name + " (" + endA + " <-> " + endB + ", socat pid " + socat.pid() + ")";
    }
}
