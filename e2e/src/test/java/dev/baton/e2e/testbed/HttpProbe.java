package dev.baton.e2e.testbed;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
  * Client-side HTTP checks from the testbed's client namespace. A small JVM ({@link HttpProberMain})
  * runs inside {@code cl} for the whole test and the harness talks to it over stdin and stdout, so a
  * request costs a pipe round trip plus the HTTP exchange, not a fork of curl.
  */
public final class HttpProbe implements AutoCloseable {

    /**
      * No single request waits longer than this, so a retry loop notices a new server quickly: a SYN
      * sent to the old holder's MAC is lost and TCP would retransmit it only after a second, so a
      * fresh connection per attempt is what bounds the error of {@link Answer#elapsedNanos} (one
      * request timeout plus the 10 ms pause between attempts).
      */
    public static final Duration MAX_REQUEST_TIMEOUT = Duration.ofMillis(200);
    private static final long RETRY_PAUSE_NANOS = 10_000_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** One request's outcome: an HTTP status and body, or the reason there was none. */
    public record Response(boolean answered, int status, String body, long latencyNanos, String error) {
        public Optional<String> node() {
            return answered ? ApacheSite.nodeIn(body) : Optional.empty();
        }
    }

    /**
      * A 2xx answer after {@code elapsedNanos} (from the awaitAnswer call until the answer arrived),
      * from the node the body names (see {@link ApacheSite}), or empty when it names none.
      */
    public record Answer(long elapsedNanos, Optional<String> node, int status, int attempts, long answeredAtNanos) {}

    private final LineProcess prober;

    private HttpProbe(LineProcess prober) {
        this.prober = prober;
    }

    /** Starts the prober in the testbed's client namespace; closed with the testbed. */
    public static HttpProbe start(Testbed testbed) {
        List<String> argv = Testbed.inNamespace(testbed.clientNs(), javaCommand());
        Path log = testbed.dir().resolve("http-prober.log");
        HttpProbe probe = new HttpProbe(LineProcess.start("http prober in " + testbed.clientNs(), argv, log));
        testbed.track(probe);
        probe.awaitReady(log);
        return probe;
    }

    /** One GET with its own timeout (capped at {@link #MAX_REQUEST_TIMEOUT}). */
    public synchronized Response get(String url, Duration timeout) {
        requireUrl(url);
        long timeoutMs = Math.max(1, Math.min(timeout.toMillis(), MAX_REQUEST_TIMEOUT.toMillis()));
        prober.send("GET " + url + " " + timeoutMs);
        return parse(prober.receive());
    }

    /**
      * Repeats GET until a 2xx answer or until {@code timeout}; fails with the last error then. Use it
      * to time how long a service was unreachable during a failover.
      */
    public Answer awaitAnswer(String url, Duration timeout) {
        long startNanos = System.nanoTime();
        long deadlineNanos = startNanos + timeout.toNanos();
        Response last = null;
        for (int attempt = 1; ; attempt++) {
            long leftNanos = deadlineNanos - System.nanoTime();
            if (leftNanos <= 0) {
                throw new AssertionError("no answer from " + url + " within " + timeout.toMillis() + " ms after "
                        + (attempt - 1) + " attempts; last: " + describe(last));
            }
            last = get(url, Duration.ofNanos(leftNanos));
            if (last.answered() && last.status() / 100 == 2) {
                long now = System.nanoTime();
                return new Answer(now - startNanos, last.node(), last.status(), attempt, now);
            }
            LockSupport.parkNanos(Math.min(RETRY_PAUSE_NANOS, Math.max(0, deadlineNanos - System.nanoTime())));
        }
    }

    @Override
    public void close() throws Exception {
        prober.close();
    }

    private void awaitReady(Path log) {
        // The first line is READY; a JVM that cannot start says why in the log instead.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(START_TIMEOUT);
                prober.close();
            } catch (InterruptedException e) {
                // Ready in time.
            } catch (Exception e) {
                // Closing the prober unblocks receive() below, which then reports the failure.
            }
        });
        try {
            String first = prober.receive();
            if (!first.equals(HttpProberMain.READY)) {
                throw new IllegalStateException("http prober said '" + first + "' instead of " + HttpProberMain.READY + "; see " + log);
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("http prober did not start within " + START_TIMEOUT.toSeconds() + " s; see " + log, e);
        } finally {
            watchdog.interrupt();
        }
    }

    static Response parse(String line) {
        String[] parts = line.split(" ", 4);
        if (parts[0].equals("OK") && parts.length >= 3) {
            String body = parts.length == 4 ? new String(Base64.getDecoder().decode(parts[3]), StandardCharsets.UTF_8) : "";
            return new Response(true, Integer.parseInt(parts[1]), body, Long.parseLong(parts[2]), "");
        }
        if (parts[0].equals("ERR") && parts.length >= 2) {
            String reason = line.split(" ", 3).length == 3 ? line.split(" ", 3)[2] : "";
            return new Response(false, 0, "", Long.parseLong(parts[1]), reason);
        }
        throw new IllegalStateException("http prober answered something unexpected: " + line);
    }

    private static String describe(Response response) {
        if (response == null) {
            return "no attempt";
        }
        return response.answered() ? "HTTP " + response.status() : response.error();
    }

    private static void requireUrl(String url) {
        try {
            var uri = new java.net.URI(url);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null || url.contains(" ")) {
                throw new IllegalArgumentException("want an http://host[:port]/path URL, got '" + url + "'");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: '" + url + "'", e);
        }
    }

    /** This JVM's java, running only the prober class from this module's test classes, small and quick to start. */
    private static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this JVM"));
        String classes = Path.of(codeSource()).toString();
        return List.of(java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classes, HttpProberMain.class.getName());
    }

    private static java.net.URI codeSource() {
        try {
            return HttpProberMain.class.getProtectionDomain().getCodeSource().getLocation().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the prober's classes", e);
        }
    }
}
