package dev.baton.plugins.serial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real serial line for tests: socat joining two ptys, {@code DIR/ttyA} and {@code DIR/ttyB}
 * (TESTBED.md). Bytes written to one arrive at the other; {@link #kill} is a cut cable (both
 * ends see a hang-up). Stopped by its own process handle, never by name.
 */
final class SocatPair implements AutoCloseable {
    private static final long START_LIMIT_MS = 10_000;

    private final Process socat;
    private final Path a;
    private final Path b;
    private final Path log;

    private SocatPair(Process socat, Path a, Path b, Path log) {
        this.socat = socat;
        this.a = a;
        this.b = b;
        this.log = log;
    }

    /** Starts socat in {@code dir} and returns once both links exist. */
    static SocatPair start(Path dir) throws IOException, InterruptedException {
        Path a = dir.resolve("ttyA");
        Path b = dir.resolve("ttyB");
        Path log = dir.resolve("socat.log");
        Process p;
        try {
            p = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot start socat (apt-get install socat; it is in .ci/test-packages)", e);
        }
        SocatPair pair = new SocatPair(p, a, b, log);
        pair.awaitLinks();
        return pair;
    }

    private void awaitLinks() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_LIMIT_MS);
        while (!(Files.exists(a) && Files.exists(b) && transferring())) {
            if (!socat.isAlive() || System.nanoTime() - deadline > 0) {
                close();
                throw new IOException("socat did not make its ptys: " + Files.readString(log));
            }
            Thread.sleep(10);
        }
    }

    /** socat -d -d logs "starting data transfer loop" once both ptys are open. */
    private boolean transferring() throws IOException {
        return Files.exists(log) && Files.readString(log).contains("starting data transfer loop");
    }

    Path a() {
        return a;
    }

    Path b() {
        return b;
    }

    long pid() {
        return socat.pid();
    }

    /** SIGKILL: the ptys go away at once, as when a cable is pulled or the helper dies. */
    void kill() throws InterruptedException {
        socat.destroyForcibly();
        socat.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!socat.isAlive()) {
            return;
        }
        socat.destroy();
        try {
            if (!socat.waitFor(5, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            socat.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
