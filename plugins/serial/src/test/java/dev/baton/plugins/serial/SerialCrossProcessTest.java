package dev.baton.plugins.serial;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The framing between two JVMs over a socat pty pair: this test at ttyA, {@link SerialEchoPeer} at ttyB. */
class SerialCrossProcessTest {
    private static final int FRAMES = 200;

    @TempDir
    Path dir;

    @Test
    void framesCrossBetweenTwoProcessesBothWays() throws Exception {
        try (SocatPair socat = SocatPair.start(dir);
                SerialHeartbeatPath a = SerialHeartbeatPath.open(SerialSettings.of(socat.a()))) {
            Process peer = startPeer(socat.b());
            try (BufferedReader out = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(readLine(out)).isEqualTo("ready");
                exchange(a);
                assertThat(readLine(out)).isEqualTo("counters " + new SerialCounters(FRAMES + 1, FRAMES + 1, 0, 0, 0, 0));
                assertThat(peer.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(peer.exitValue()).isZero();
            } finally {
                peer.destroyForcibly();
            }
            assertThat(a.counters()).isEqualTo(new SerialCounters(FRAMES + 1, FRAMES + 1, 0, 0, 0, 0));
        }
    }

    /** Frames from 2 to 2004 bytes (echoed, up to 2009), each answered by the peer. */
    private static void exchange(SerialHeartbeatPath a) throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < FRAMES; i++) {
            byte[] body = new byte[random.nextInt(1001)];
            random.nextBytes(body);
            String frame = i + ":" + HexFormat.of().formatHex(body);
            a.send(frame.getBytes(StandardCharsets.UTF_8));
            assertThat(receiveText(a)).isEqualTo("echo:" + frame);
        }
        a.send("bye".getBytes(StandardCharsets.UTF_8));
        assertThat(receiveText(a)).isEqualTo("echo:bye");
    }

    private static String receiveText(SerialHeartbeatPath a) throws Exception {
        Optional<byte[]> frame = a.receive(Duration.ofSeconds(10));
        assertThat(frame).as("an answer from the peer process").isPresent();
        return new String(frame.get(), StandardCharsets.UTF_8);
    }

    private static Process startPeer(Path device) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SerialEchoPeer.class.getName(), device.toString(), "60000")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String readLine(BufferedReader out) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(30, TimeUnit.SECONDS);
    }
}
