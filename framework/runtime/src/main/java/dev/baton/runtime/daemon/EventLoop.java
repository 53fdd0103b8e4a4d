package dev.baton.runtime.daemon;

import dev.baton.core.Effect;
import dev.baton.core.Effects;
import dev.baton.core.Input;
import dev.baton.core.NodeCore;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the core: it takes inputs from a bounded inbox (or a tick when the core
 * asked to be woken), steps the core with {@link System#nanoTime()}, records the input, and performs
 * the effects in the order the core gave them ({@link Effect}). Other threads never touch the core;
 * they offer inputs, or tasks that read it (status), through {@link #offer} and {@link #submit}.
 *
 * <p>The inbox holds {@value #INBOX_CAPACITY} items. Peers' messages that do not fit are dropped and
 * counted (a flood cannot grow memory); answers to the core's own effects ({@link #offerAnswer})
 * wait for room instead, because the core waits for each of them.
 */
final class EventLoop {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    static final int INBOX_CAPACITY = 20_000;
    /** The loop wakes at least this often, so the stall detector always sees it turn. */
    private static final long MAX_WAIT_NANOS = 50_000_000L;

    /** Performs one effect; the loop calls it in order, on its own thread. */
    interface Performer {
        void perform(Effect effect);
    }

    private final NodeCore core;
    private final Recording recording;
    private final Performer performer;
    private final BlockingQueue<Object> inbox = new ArrayBlockingQueue<>(INBOX_CAPACITY);
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastProgressNanos = System.nanoTime();
    /** The core's lease deadline after the last step, for the stall detector (which must not touch the core). */
    private volatile long leaseValidUntilNanos = Long.MIN_VALUE;
    private volatile boolean running = true;
    private volatile boolean started;
    private long wakeAtNanos = Long.MIN_VALUE;

    EventLoop(NodeCore core, Recording recording, Performer performer) {
        this.core = core;
        this.recording = recording;
        this.performer = performer;
    }

    /** A peer's message or other input that may be dropped when the inbox is full. */
    void offer(Input input) {
        if (!inbox.offer(input)) {
            dropped.incrementAndGet();
        }
    }

    /** An answer to one of the core's effects: never dropped (the core waits for it). */
    void offerAnswer(Input input) {
        try {
            inbox.put(input);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code task} on the loop thread between two steps; false when the inbox is full. */
    boolean submit(Runnable task) {
        return inbox.offer(task);
    }

    long droppedInputs() {
        return dropped.get();
    }

    long lastProgressNanos() {
        return lastProgressNanos;
    }

    long leaseValidUntilNanos() {
        return leaseValidUntilNanos;
    }

    /** True once the core booted: start-up (plugins, warm-up) is never a stall. */
    boolean started() {
        return started;
    }

    NodeCore core() {
        return core;
    }

    void stop() {
        running = false;
    }

    /** Runs until {@link #stop}; {@code boot} is the first input. */
    void run(Input.Boot boot) {
        lastProgressNanos = System.nanoTime();
        started = true;
        step(boot);
        while (running) {
            Object next = next();
            lastProgressNanos = System.nanoTime();
            if (next instanceof Runnable task) {
                runTask(task);
            } else {
                step(next == null ? new Input.Tick() : (Input) next);
            }
            lastProgressNanos = System.nanoTime();
        }
    }

    private Object next() {
        long now = System.nanoTime();
        long waitNanos = Math.min(MAX_WAIT_NANOS, wakeAtNanos - now);
        if (waitNanos <= 0) {
            return null; // the wake-up is due: a tick first, even while inputs wait (a flood never starves the timers)
        }
        try {
            return inbox.poll(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            running = false;
            return null;
        }
    }

    private void step(Input input) {
        long now = System.nanoTime();
        recording.record(input, now);
        Effects effects = core.step(input, now);
        wakeAtNanos = effects.wakeAtNanos();
        leaseValidUntilNanos = core.leaseValidUntilNanos();
        for (Effect effect : effects.ordered()) {
            performer.perform(effect);
            if (effect instanceof Effect.Failfast) {
                return; // the performer does not return from a failfast; this is for its tests
            }
        }
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("control task failed: {}", e.toString(), e);
        }
    }
}
