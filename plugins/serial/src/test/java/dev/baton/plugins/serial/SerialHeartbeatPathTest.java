package dev.baton.plugins.serial;

import dev.baton.api.spi.DeviceHealth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static dev.baton.plugins.serial.TestBytes.concat;
import static dev.baton.plugins.serial.TestBytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The serial path over a real socat pty pair (TESTBED.md): ttyA and ttyB are the two ends of one cable. */
class SerialHeartbeatPathTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private SocatPair socat;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void cable() throws Exception {
        socat = SocatPair.start(dir);
    }

    @AfterEach
    void unplug() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        socat.close();
    }

    private SerialHeartbeatPath path(Path device, String... settings) throws IOException {
        Map<String, String> map = new HashMap<>(Map.of(SerialSettings.DEVICE, device.toString()));
        for (int i = 0; i < settings.length; i += 2) {
            map.put(settings[i], settings[i + 1]);
        }
        SerialHeartbeatPath p = SerialHeartbeatPath.open(SerialSettings.parse(map));
        opened.add(p);
        return p;
    }

    /** The other end opened without framing, to put any bytes on the line. */
    private SerialLine raw(Path device) throws IOException {
        SerialLine line = SerialLine.open(device, SerialSettings.DEFAULT_SPEED);
        opened.add(line);
        return line;
    }

    private static void writeRaw(SerialLine line, byte[] bytes) throws Exception {
        for (int at = 0; at < bytes.length; at += FrameFormat.MAX_WIRE_BYTES) {
            byte[] chunk = Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + FrameFormat.MAX_WIRE_BYTES));
            line.writeFully(chunk, TimeUnit.SECONDS.toNanos(5));
        }
    }

    private static String received(SerialHeartbeatPath p) throws Exception {
        Optional<byte[]> frame = p.receive(WAIT);
        assertThat(frame).as("a frame on " + p.name()).isPresent();
        return new String(frame.get(), StandardCharsets.UTF_8);
    }

    @Test
    void framesRoundTripInBothDirections() throws Exception {
        SerialHeartbeatPath a = path(socat.a());
        SerialHeartbeatPath b = path(socat.b());
        byte[] largest = new byte[a.maxFrameBytes()];
        new Random(7).nextBytes(largest);
        for (int i = 0; i < 20; i++) {
            a.send(text("ping " + i));
            assertThat(received(b)).isEqualTo("ping " + i);
            b.send(text("pong " + i));
            assertThat(received(a)).isEqualTo("pong " + i);
        }
        a.send(largest);
        a.send(new byte[0]);
        assertThat(b.receive(WAIT)).get().isEqualTo(largest);
        assertThat(b.receive(WAIT)).get().isEqualTo(new byte[0]);
        assertThat(a.counters()).isEqualTo(new SerialCounters(20, 22, 0, 0, 0, 0));
        assertThat(b.counters()).isEqualTo(new SerialCounters(22, 20, 0, 0, 0, 0));
        assertThat(a.name()).isEqualTo("serial:" + socat.a());
    }

    @Test
    void noiseBetweenFramesIsSkippedAndCounted() throws Exception {
        SerialHeartbeatPath a = path(socat.a());
        byte[] noise = concat(text("AT+RESET\r\nNO CARRIER\r\n"),
                new byte[] {FrameFormat.MAGIC_0, FrameFormat.MAGIC_1, 1, 0, 1, 0, FrameFormat.MAGIC_0});
        writeRaw(raw(socat.b()), concat(noise, FrameFormat.encode(text("first")), noise, noise,
                FrameFormat.encode(text("second"))));
        assertThat(received(a)).isEqualTo("first");
        assertThat(received(a)).isEqualTo("second");
        assertThat(a.counters().resyncBytes()).isEqualTo(3L * noise.length);
        assertThat(a.counters().framesIn()).isEqualTo(2);
    }

    @Test
    void aFrameWithACorruptedCrcIsDropped() throws Exception {
        SerialHeartbeatPath a = path(socat.a());
        byte[] corrupted = FrameFormat.encode(text("corrupted"));
        corrupted[corrupted.length - 1] ^= 0x01;
        writeRaw(raw(socat.b()), concat(corrupted, FrameFormat.encode(text("intact"))));
        assertThat(received(a)).isEqualTo("intact");
        assertThat(a.counters().badCrc()).isEqualTo(1);
        assertThat(a.counters().framesIn()).isEqualTo(1);
    }

    @Test
    void anOversizeLengthHeaderIsRefusedAndTheNextFrameStillArrives() throws Exception {
        SerialHeartbeatPath a = path(socat.a());
        byte[] header = new byte[FrameFormat.HEADER_BYTES];
        FrameFormat.writeHeader(header, 65_000);
        // Were 65000 bytes awaited, "after" would never come: nothing else is sent.
        writeRaw(raw(socat.b()), concat(header, FrameFormat.encode(text("after"))));
        assertThat(received(a)).isEqualTo("after");
        assertThat(a.counters().oversize()).isEqualTo(1);
    }

    @Test
    void aFrameCutShortDoesNotHoldUpTheNextOne() throws Exception {
        SerialHeartbeatPath a = path(socat.a());
        byte[] cut = Arrays.copyOf(FrameFormat.encode(new byte[1800]), 40);
        writeRaw(raw(socat.b()), concat(cut, FrameFormat.encode(text("whole"))));
        assertThat(received(a)).isEqualTo("whole");
        assertThat(a.counters().truncated()).isEqualTo(1);
    }

    @Test
    void receiveReturnsEmptyWhenNothingIsSent() throws Exception {
        SerialHeartbeatPath a = path(socat.a());
        path(socat.b());
        assertThat(a.receive(Duration.ofMillis(200))).isEmpty();
        assertThat(a.receive(Duration.ZERO)).isEmpty();
        assertThat(a.receive(Duration.ofMillis(-5))).isEmpty();
        assertThat(a.health()).isEqualTo(DeviceHealth.UNKNOWN);
    }

    @Test
    void aZeroWaitStillTakesWhatHasArrived() throws Exception {
        SerialHeartbeatPath a = path(socat.a());
        path(socat.b()).send(text("waiting"));
        await().atMost(WAIT).until(() -> a.receive(Duration.ZERO).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(""), "waiting"::equals);
    }

    @Test
    void healthIsUnknownThenHealthyThenUnknownAfterSilence() throws Exception {
        SerialHeartbeatPath a = path(socat.a(), SerialSettings.SILENCE_MS, "200");
        SerialHeartbeatPath b = path(socat.b());
        assertThat(a.health()).isEqualTo(DeviceHealth.UNKNOWN);
        b.send(text("beat"));
        assertThat(received(a)).isEqualTo("beat");
        assertThat(a.health()).isEqualTo(DeviceHealth.HEALTHY);
        await().atMost(WAIT).until(() -> a.health() == DeviceHealth.UNKNOWN);
    }

    @Test
    void aKilledSocatIsAHangUpAndTheHealthFails() throws Exception {
        SerialHeartbeatPath a = path(socat.a());
        SerialHeartbeatPath b = path(socat.b());
        b.send(text("beat"));
        assertThat(received(a)).isEqualTo("beat");
        CompletableFuture<Optional<byte[]>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return a.receive(Duration.ofSeconds(30));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        socat.kill();
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(EOFException.class)
                .hasMessageContaining("hung up");
        assertThat(a.health()).isEqualTo(DeviceHealth.FAILED);
        assertThat(a.failure()).isPresent();
        assertThatThrownBy(() -> b.send(text("into the void"))).isInstanceOf(IOException.class);
        assertThat(b.health()).isEqualTo(DeviceHealth.FAILED);
    }

    @Test
    void closeEndsAWaitingReceive() throws Exception {
        SerialHeartbeatPath a = path(socat.a());
        CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                a.receive(ChronoUnit.FOREVER.getDuration());
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        Thread.sleep(100);
        a.close();
        a.close();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(ClosedChannelException.class);
        assertThat(a.health()).isEqualTo(DeviceHealth.FAILED);
        assertThatThrownBy(() -> a.send(text("late"))).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void sendGivesUpWhenTheOtherEndDoesNotRead() throws Exception {
        SerialHeartbeatPath a = path(socat.a(), SerialSettings.SEND_TIMEOUT_MS, "200");
        raw(socat.b());
        byte[] frame = new byte[a.maxFrameBytes()];
        IOException refused = null;
        // The pty and socat buffers hold some hundred kilobytes; 100 MB is far beyond them.
        for (int i = 0; i < 50_000 && refused == null; i++) {
            try {
                a.send(frame);
            } catch (IOException e) {
                refused = e;
            }
        }
        assertThat(refused).isNotNull().hasMessageContaining("is the other end reading?");
        // A slow peer is not a broken line.
        assertThat(a.failure()).isEmpty();
    }

    @Test
    void theSpeedIsSetOnTheTty() throws Exception {
        path(socat.a(), SerialSettings.SPEED, "9600");
        assertThat(stty(socat.a())).isEqualTo("9600");
        SerialLine b = raw(socat.b());
        assertThat(b.currentSpeed()).isEqualTo(BaudRate.B115200);
        assertThat(stty(socat.b())).isEqualTo("115200");
    }

    private static String stty(Path device) throws Exception {
        Process p = new ProcessBuilder("stty", "-F", device.toString(), "speed").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void aMissingDeviceIsAClearError() {
        Path missing = dir.resolve("no-such-tty");
        assertThatThrownBy(() -> path(missing)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot open serial device " + missing).hasMessageContaining("No such file");
    }

    @Test
    void aFileThatIsNotATtyIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> path(file)).isInstanceOf(IOException.class).hasMessageContaining("is not a tty");
    }
}
