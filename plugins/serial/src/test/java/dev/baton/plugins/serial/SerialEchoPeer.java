package dev.baton.plugins.serial;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The far end of {@link SerialCrossProcessTest}, run in its own JVM: opens a serial path, says
 * "ready", answers each frame with "echo:" + the frame until "bye" comes, then prints its
 * counters. Gives up (exit 2) after a time limit so a broken test leaves nothing running.
 *
 * <p>Usage: {@code java -cp <test classpath> dev.baton.plugins.serial.SerialEchoPeer DEVICE LIMIT_MS}
 */
public final class SerialEchoPeer {
    private SerialEchoPeer() {
    }

    public static void main(String[] args) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMillis(Long.parseLong(args[1])).toNanos();
        try (SerialHeartbeatPath path = SerialHeartbeatPath.open(SerialSettings.of(Path.of(args[0])))) {
            System.out.println("ready");
            System.out.flush();
            while (System.nanoTime() - deadline < 0) {
                Optional<byte[]> frame = path.receive(Duration.ofMillis(100));
                if (frame.isEmpty()) {
                    continue;
                }
                String text = new String(frame.get(), StandardCharsets.UTF_8);
                path.send(("echo:" + text).getBytes(StandardCharsets.UTF_8));
                if (text.equals("bye")) {
                    System.out.println("counters " + path.counters());
                    return;
                }
            }
        }
        System.out.println("gave up waiting for bye");
        System.exit(2);
    }
}
