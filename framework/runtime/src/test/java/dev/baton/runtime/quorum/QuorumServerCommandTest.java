package dev.baton.runtime.quorum;

import dev.baton.api.spi.QuorumDevice.CommittedMembership;
import dev.baton.api.spi.QuorumDevice.RaceOutcome;
import dev.baton.api.spi.QuorumDevice.RaceResult;
import dev.baton.runtime.wire.ClusterKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code quorum-server} command: its errors, and the real program in a child JVM, stopped and started again. */
class QuorumServerCommandTest {
    private static final Duration CALL = Duration.ofSeconds(5);
    private static final Pattern LISTENING = Pattern.compile("quorum server listening on /127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void aMissingKeyFileIsAUsageErrorNamingIt() {
        StringWriter err = new StringWriter();
        int exit = QuorumServerCommand.run(new String[] {"--listen", "127.0.0.1:0", "--state", tmp.resolve("qs").toString(),
                "--cluster", "alpha=" + tmp.resolve("missing.key")}, new PrintWriter(err));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("quorum-server: cluster key file " + tmp.resolve("missing.key") + " does not exist");
    }

    @Test
    void aBadListenAddressIsAUsageError() {
        StringWriter err = new StringWriter();
        int exit = QuorumServerCommand.run(new String[] {"--listen", "127.0.0.1", "--state", tmp.toString(), "--cluster", "a=b"},
                new PrintWriter(err));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--listen '127.0.0.1' must be IP:PORT");
    }

    @Test
    void theProgramServesKeepsItsStateAcrossARestartAndStopsOnSigterm() throws Exception {
        Path keyFile = tmp.resolve("alpha.key");
        ClusterKey key = ClusterKey.generate();
        key.save(keyFile);

        Child first = Child.start(List.of("--listen", "127.0.0.1:0", "--state", tmp.resolve("qs").toString(), "--cluster", "alpha=" + keyFile));
        int port = first.port;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try (QuorumServerDevice one = new QuorumServerDevice("qs", address, "alpha", 1, Set.of(1, 2, 3), key, 1)) {
            assertThat(one.race(2, 1, Set.of(1, 2), CALL).outcome()).isEqualTo(RaceOutcome.WON);
            assertThat(one.recordCommittedMembership(new CommittedMembership(2, 1, Set.of(1, 2)), CALL)).isTrue();
        }
        assertThat(first.stop()).as("exit status after SIGTERM").isEqualTo(143);
        assertThat(first.output()).anyMatch(line -> line.contains("quorum server on /127.0.0.1:" + port + " closed"));

        Child second = Child.start(List.of("--listen", "127.0.0.1:" + port, "--state", tmp.resolve("qs").toString(), "--cluster", "alpha=" + keyFile));
        try (QuorumServerDevice three = new QuorumServerDevice("qs", address, "alpha", 3, Set.of(1, 2, 3), key, 2)) {
            RaceResult lost = three.race(3, 3, Set.of(3), CALL);
            assertThat(lost.outcome()).isEqualTo(RaceOutcome.LOST);
            assertThat(lost.lastCommitted()).contains(new CommittedMembership(2, 1, Set.of(1, 2)));
        } finally {
            second.stop();
        }
    }

    /** The server in its own JVM; its stdout is read line by line. Stopped by its own PID. */
    private static final class Child {
        final Process process;
        final List<String> lines = new ArrayList<>();
        Thread drainer;
        int port;

        private Child(Process process) {
            this.process = process;
        }

        static Child start(List<String> args) throws IOException {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), QuorumServer.class.getName()));
            command.addAll(args);
            Child child = new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
            child.awaitListening();
            return child;
        }

        private void awaitListening() throws IOException {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                    drainer = Thread.ofVirtual().start(() -> drain(out));
                    return;
                }
            }
            throw new AssertionError("the server exited before listening: " + lines);
        }

        private void drain(BufferedReader out) {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        int stop() throws InterruptedException {
            // Through the handle: Process.destroy() would also close the pipe the last lines come through.
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            int exit = process.waitFor();
            drainer.join();
            return exit;
        }

        List<String> output() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }
    }
}
