package dev.baton.runtime.daemon;

import dev.baton.api.spi.HeartbeatPath;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes frames to a serial path on its own thread, so a slow or hung line never blocks the event
 * loop. The queue is short: a heartbeat that waited behind a dozen others is stale anyway.
 */
final class SerialWriter implements AutoCloseable {
    static final int QUEUE_FRAMES = 16;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private final HeartbeatPath path;
    private final TransportCounters counters;
    private final Thread thread;

    SerialWriter(HeartbeatPath path, TransportCounters counters) {
        this.path = path;
        this.counters = counters;
        this.thread = Thread.ofPlatform().daemon().name("serial-out-" + path.name()).start(this::run);
    }

    void offer(byte[] frame) {
        if (!queue.offer(frame)) {
            counters.queueOverflow.incrementAndGet();
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                byte[] frame = queue.poll(1, TimeUnit.SECONDS);
                if (frame != null) {
                    path.send(frame);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                counters.serialErrors.incrementAndGet();
                Transport.sleepQuietly(100);
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
