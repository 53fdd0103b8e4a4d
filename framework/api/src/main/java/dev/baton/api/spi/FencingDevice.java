package dev.baton.api.spi;

import java.time.Duration;

/**
 * Cuts a departed node off from shared storage or from power. Blocking: called only by the
 * runtime or the simulator when the core emits a fence effect, whose outcome returns to the
 * core as an input (ARCHITECTURE.md, rule 1). Its first implementations (SCSI-3, IPMI) come
 * with their own issues.
 */
public interface FencingDevice extends AutoCloseable {
    /**
     * What a successful fence guarantees. Only {@link #POWER} means the node runs nothing any
     * more; {@link #STORAGE} protects the disks only (ARCHITECTURE.md, rule 3).
     */
    enum Scope { POWER, STORAGE }

    String name();

    Scope scope();

    /** Fences the node, waiting at most {@code timeout}; never throws for a failed fence. */
    FenceOutcome fence(String nodeName, Duration timeout) throws InterruptedException;

    /** Lets a node that rejoined use the device again. */
    FenceOutcome unfence(String nodeName, Duration timeout) throws InterruptedException;

    DeviceHealth check(Duration timeout) throws InterruptedException;

    @Override
    void close();
}
