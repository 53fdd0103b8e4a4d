package dev.baton.runtime.daemon;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the event loop from a thread of its own: when the loop has not turned for longer than the
 * heartbeat timeout (interval × misses), peers already count this node as lost and will soon run its
 * groups, so a node holding a quorum lease fails fast rather than wake up later believing it still
 * serves (issue 5 item 1; the guard covers the case where the whole daemon, this thread included,
 * stops). A node without a lease runs no failover resource, so its stall is only logged: failing
 * fast would turn a slow disk during start-up into a restart loop.
 * The loop turns at least every 50 ms even when idle, so a quiet loop is never taken for a stall.
 */
final class StallDetector {
    private static final Logger LOG = LoggerFactory.getLogger(StallDetector.class);
    private static final long CHECK_EVERY_MS = 10;

    private final EventLoop loop;
    private final long limitNanos;
    private final Consumer<String> failfast;
    private final boolean realtime;

    StallDetector(EventLoop loop, long limitMs, boolean realtime, Consumer<String> failfast) {
        this.realtime = realtime;
        this.loop = loop;
        this.limitNanos = limitMs * 1_000_000L;
        this.failfast = failfast;
    }

    void start() {
        Thread.ofPlatform().daemon().name("stall-detector").priority(Thread.MAX_PRIORITY).start(this::watch);
    }

    private void waitForProgress(long stalledSince) {
        while (loop.lastProgressNanos() == stalledSince) {
            Transport.sleepQuietly(CHECK_EVERY_MS);
        }
    }

    private void watch() {
        if (realtime) {
            dev.baton.runtime.guard.Realtime.trySetFifo(Batond.EVENT_LOOP_PRIORITY); // a starved watcher reports nothing
        }
        long worstNanos = 0;
        while (true) {
            Transport.sleepQuietly(CHECK_EVERY_MS);
            if (!loop.started()) {
                continue;
            }
            long gap = System.nanoTime() - loop.lastProgressNanos();
            if (gap > limitNanos) {
                String reason = "event loop stalled for " + gap / 1_000_000 + " ms (limit " + limitNanos / 1_000_000 + " ms)";
                if (loop.leaseValidUntilNanos() > loop.lastProgressNanos()) {
                    LOG.error(reason);
                    failfast.accept(reason);
                    return;
                }
                // Without a lease this node runs no failover resource: nothing to stop, and peers already
                // treat it as absent. Say so once per stall and keep watching.
                LOG.warn("{}, while holding no lease: nothing to stop", reason);
                waitForProgress(loop.lastProgressNanos());
            }
            if (gap > worstNanos && gap > limitNanos / 4) {
                worstNanos = gap;
                LOG.warn("event loop slow: {} ms without a turn (limit {} ms)", gap / 1_000_000, limitNanos / 1_000_000);
            }
        }
    }
}
