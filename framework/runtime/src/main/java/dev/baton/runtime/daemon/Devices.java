package dev.baton.runtime.daemon;

import dev.baton.api.spi.QuorumDevice;
import dev.baton.core.Effect;
import dev.baton.core.Input;
import dev.baton.core.membership.Epoch;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs the core's device effects on one thread of their own, since every device call blocks,
 * and hands each answer back as an input (ARCHITECTURE.md rule 1). Without a configured device or
 * fencing, the answer is the safe one: a race counts as lost, a fence as failed. The queue is
 * bounded; an effect that does not fit is answered at once as failed.
 */
final class Devices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Devices.class);
    private static final int QUEUE = 64;

    private final int self;
    private final Optional<QuorumDevice> quorum;
    private final Duration timeout;
    private final Consumer<Input> inbox;
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), Thread.ofPlatform().daemon().name("devices").factory());

    Devices(int self, Optional<QuorumDevice> quorum, Duration timeout, Consumer<Input> inbox) {
        this.self = self;
        this.quorum = quorum;
        this.timeout = timeout;
        this.inbox = inbox;
    }

    void perform(Effect effect) {
        try {
            executor.execute(() -> inbox.accept(answer(effect)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("device queue full; answering {} as failed", effect);
            inbox.accept(failed(effect));
        }
    }

    private Input answer(Effect effect) {
        try {
            return switch (effect) {
                case Effect.RaceDevice r -> race(r);
                case Effect.CheckDevice c -> new Input.DeviceCheckResult(c.issuedAtNanos(), c.epoch(), quorum.isPresent()
                        && quorum.get().holds(self, c.epoch().round(), c.epoch().coordinator(), timeout));
                case Effect.RecordCommittedMembership m -> new Input.DeviceRecordResult(m.epoch(), quorum.isPresent()
                        && quorum.get().recordCommittedMembership(new QuorumDevice.CommittedMembership(
                        m.epoch().round(), m.epoch().coordinator(), m.members()), timeout));
                case Effect.Fence f -> new Input.FenceResult(f.node(), false, "no fencing device is configured");
                default -> throw new IllegalArgumentException("not a device effect: " + effect);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(effect);
        } catch (RuntimeException e) {
            LOG.warn("device call {} failed: {}", effect, e.toString());
            return failed(effect);
        }
    }

    private Input race(Effect.RaceDevice r) throws InterruptedException {
        if (quorum.isEmpty()) {
            return new Input.DeviceRaceResult(r.epoch(), Input.RaceOutcome.LOST, Optional.empty(), java.util.Set.of());
        }
        QuorumDevice.RaceResult result = quorum.get().race(r.epoch().round(), r.epoch().coordinator(), r.members(), timeout);
        return new Input.DeviceRaceResult(r.epoch(), Input.RaceOutcome.valueOf(result.outcome().name()),
                result.lastCommitted().map(c -> new Input.CommittedRecord(new Epoch(c.epochRound(), c.epochCoordinator()),
                        c.nodeIds())), result.preempted());
    }

    private static Input failed(Effect effect) {
        return switch (effect) {
            case Effect.RaceDevice r -> new Input.DeviceRaceResult(r.epoch(), Input.RaceOutcome.UNKNOWN, Optional.empty(),
                    java.util.Set.of());
            case Effect.CheckDevice c -> new Input.DeviceCheckResult(c.issuedAtNanos(), c.epoch(), false);
            case Effect.RecordCommittedMembership m -> new Input.DeviceRecordResult(m.epoch(), false);
            case Effect.Fence f -> new Input.FenceResult(f.node(), false, "fencing queue full");
            default -> throw new IllegalArgumentException("not a device effect: " + effect);
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
        quorum.ifPresent(QuorumDevice::close);
    }
}
