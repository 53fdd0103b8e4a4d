package dev.baton.plugins.serial;

import dev.baton.api.spi.DeviceHealth;
import dev.baton.api.spi.HeartbeatPath;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A heartbeat path over a serial line: opaque frames (the daemon encrypts them) framed with a
 * magic, a checked length and a CRC-32C ({@link FrameFormat}), found again after noise, cut or
 * corrupted frames ({@link FrameDecoder}).
 *
 * <p>Health: UNKNOWN until the first good frame arrives; HEALTHY while the last good frame is at
 * most {@code silence} old; UNKNOWN again after a longer silence (the line may be fine and the
 * peer quiet); FAILED for good once the line reported an error or a hang-up (socat or the
 * driver went away), and after {@link #close}. A failed path is not reopened here: the daemon
 * closes it and asks the provider for a new one.
 *
 * <p>Threads: one receiving and one sending thread may use it at once; {@link #close} may come
 * from any thread and ends a waiting {@link #receive} or {@link #send} with a
 * {@link ClosedChannelException}.
 */
public final class SerialHeartbeatPath implements HeartbeatPath {
    private static final Duration LONGEST_WAIT = Duration.ofDays(1);

    private final SerialSettings settings;
    private final SerialLine line;
    private final CounterSet counters = new CounterSet();
    private final FrameDecoder decoder = new FrameDecoder(counters);
    private final byte[] readChunk = new byte[FrameFormat.MAX_WIRE_BYTES];
    private final ReentrantLock receiveLock = new ReentrantLock();
    private volatile long lastGoodFrameNanos;
    private volatile boolean received;
    private volatile IOException failure;
    private volatile boolean closed;

    private SerialHeartbeatPath(SerialSettings settings, SerialLine line) {
        this.settings = settings;
        this.line = line;
    }

    /** Opens the device and configures it; throws when it is missing, not a tty or refuses the speed. */
    public static SerialHeartbeatPath open(SerialSettings settings) throws IOException {
        return new SerialHeartbeatPath(settings, SerialLine.open(settings.device(), settings.speed()));
    }

    @Override
    public String name() {
        return "serial:" + settings.device();
    }

    @Override
    public int maxFrameBytes() {
        return FrameFormat.MAX_PAYLOAD_BYTES;
    }

    public SerialSettings settings() {
        return settings;
    }

    public SerialCounters counters() {
        return counters.snapshot();
    }

    /** Why the path failed, when it did. */
    public Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Sends one frame, waiting at most the {@code sendTimeoutMs} setting for the line to take it.
     *
     * @throws IllegalArgumentException when the frame is longer than {@link #maxFrameBytes()}
     * @throws IOException              when the line fails, hangs up or does not take the frame in time
     *                                  (a frame cut by the timeout is dropped by the receiver)
     */
    @Override
    public void send(byte[] frame) throws IOException {
        byte[] wire = FrameFormat.encode(frame);
        try {
            line.writeFully(wire, settings.sendTimeout().toNanos());
            counters.framesOut.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending on " + name());
        } catch (ClosedChannelException | SerialLine.WriteTimeoutException e) {
            // Not a broken line: closed on purpose, or the peer does not read (health comes from receiving).
            throw e;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public Optional<byte[]> receive(Duration maxWait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + boundedNanos(maxWait);
        receiveLock.lockInterruptibly();
        try {
            boolean readOnce = false;
            while (true) {
                Optional<byte[]> frame = decoder.next();
                if (frame.isPresent()) {
                    lastGoodFrameNanos = System.nanoTime();
                    received = true;
                    return frame;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 && readOnce) {
                    return Optional.empty();
                }
                readInto(Math.max(0, remaining));
                readOnce = true;
            }
        } finally {
            receiveLock.unlock();
        }
    }

    /** A wait in nanoseconds from 0 to a day: the deadline arithmetic must not overflow. */
    private static long boundedNanos(Duration wait) {
        if (wait.isNegative()) {
            return 0;
        }
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT.toNanos() : wait.toNanos();
    }

    private void readInto(long maxWaitNanos) throws IOException, InterruptedException {
        try {
            int n = line.read(readChunk, 0, decoder.freeSpace(), maxWaitNanos);
            decoder.feed(readChunk, 0, n);
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public DeviceHealth health() {
        if (closed || failure != null) {
            return DeviceHealth.FAILED;
        }
        if (!received) {
            return DeviceHealth.UNKNOWN;
        }
        long silentNanos = System.nanoTime() - lastGoodFrameNanos;
        return silentNanos <= settings.silence().toNanos() ? DeviceHealth.HEALTHY : DeviceHealth.UNKNOWN;
    }

    /** Idempotent; a receive or send waiting on the line ends at once. */
    @Override
    public void close() {
        closed = true;
        line.close();
    }

    @Override
    public String toString() {
        return name() + " " + health() + " " + counters();
    }
}
