package dev.baton.runtime.guard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;

/**
 * A stand-in for batond in its own JVM, for tests that need batond to really die (SIGKILL) or to
 * live in a network namespace: it starts a guard through {@link GuardClient} exactly as batond
 * would, prints {@code GUARD <pid> <report>}, then obeys lines on stdin, answering each with OK:
 * {@code ADDRS a,b}, {@code ARM <ms from now>}, {@code DISARM}, {@code BYE}; OK means the guard's pipe holds it.
 *
 * <p>Arguments: tag, guard log file.
 */
public final class GuardDaemonStandIn {
    private GuardDaemonStandIn() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        GuardClient guard = GuardClient.start(GuardSettings.forThisDaemon(args[0]).withLogFile(Path.of(args[1])));
        System.out.println("GUARD " + guard.pid() + " " + guard.startReport());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.split(" ", 2);
            switch (words[0]) {
                case "ADDRS" -> guard.addresses(new LinkedHashSet<>(Arrays.asList(words[1].split(","))));
                case "ARM" -> guard.arm(System.nanoTime() + Long.parseLong(words[1]) * 1_000_000);
                case "DISARM" -> guard.disarm();
                case "BYE" -> guard.close();
                default -> throw new IllegalArgumentException(line);
            }
            if (!guard.awaitWritten(Duration.ofSeconds(10))) {
                throw new IllegalStateException("the guard did not take '" + line + "' within 10 s");
            }
            System.out.println("OK");
        }
    }
}
