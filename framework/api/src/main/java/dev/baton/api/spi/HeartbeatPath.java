package dev.baton.api.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A non-IP heartbeat path (a serial line, a shared disk) opened by a plugin. Blocking: only the
 * runtime's path threads and the simulator call it, never the deterministic core
 * (ARCHITECTURE.md, rules 1). Frames are opaque here: the runtime authenticates and encrypts
 * them before {@link #send} and after {@link #receive}.
 *
 * <p>Declared now so plugins and the core issue can build against it; its first implementation
 * (the serial path) comes with the daemon issue, which may extend it.
 */
public interface HeartbeatPath extends AutoCloseable {
    /** A name for logs and status, e.g. {@code serial:/dev/ttyS0}. */
    String name();

    /** The largest frame {@link #send} accepts. */
    int maxFrameBytes();

    /** Sends one frame; blocks at most until the path accepted it. */
    void send(byte[] frame) throws IOException;

    /** Waits up to {@code maxWait} for one whole frame; empty when none arrived. */
    Optional<byte[]> receive(Duration maxWait) throws IOException, InterruptedException;

    DeviceHealth health();

    @Override
    void close() throws IOException;
}
