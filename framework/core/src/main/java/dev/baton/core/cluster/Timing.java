package dev.baton.core.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Every time constant the membership core uses, in milliseconds, with the defaults in one place.
 *
 * <p>How they relate (docs/design/membership.md, "Timing"): a peer is lost after
 * {@code heartbeatIntervalMs × missThreshold} without a heartbeat; a lease lasts {@code leaseMs}
 * from the sending of the last heartbeat a quorate set acknowledged, so it must outlast detection
 * plus one reconfiguration or survivors that need the quorum device would lapse while they
 * re-form; survivors wait {@code leaseMs + failfastBoundMs + driftMarginMs} after their last
 * acknowledgement to a lost node before anything may take over its work. The defaults are
 * provisional: the daemon issue measures them on real machines.
 *
 * @param heartbeatIntervalMs  how often a node sends a heartbeat on every path
 * @param missThreshold        heartbeats missed in a row before a path counts as down
 * @param leaseMs              how long a quorum lease lasts after the acknowledged heartbeat was sent
 * @param failfastBoundMs      how long a node may take to kill everything once its lease ends
 * @param driftMarginMs        added to every wait that compares two nodes' clocks
 * @param reconfigTimeoutMs    how long a coordinator waits for accepts or prepares before retrying
 * @param deviceCheckIntervalMs how often a member re-reads the quorum device while its lease needs the device's votes
 * @param fenceRetryMs         pause between attempts to fence a lost node
 * @param maxStepGapMs         a gap between two steps longer than this is reported as a stall (time beyond the
 *                              wake-up the core asked for never counts as waiting for other nodes, stall or not)
 */
public record Timing(
        long heartbeatIntervalMs,
        int missThreshold,
        long leaseMs,
        long failfastBoundMs,
        long driftMarginMs,
        long reconfigTimeoutMs,
        long deviceCheckIntervalMs,
        long fenceRetryMs,
        long maxStepGapMs) {

    public static final Timing DEFAULTS = new Timing(100, 5, 650, 100, 25, 150, 100, 500, 250);

    public long detectionMs() {
        return heartbeatIntervalMs * missThreshold;
    }

    /** How long after its last acknowledgement to a lost node a survivor must wait before that node surely runs nothing. */
    public long clearanceMs() {
        return leaseMs + failfastBoundMs + driftMarginMs;
    }

    public Timing withLease(long newLeaseMs, long newFailfastBoundMs, long newDriftMarginMs) {
        return new Timing(heartbeatIntervalMs, missThreshold, newLeaseMs, newFailfastBoundMs, newDriftMarginMs,
                reconfigTimeoutMs, deviceCheckIntervalMs, fenceRetryMs, maxStepGapMs);
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        positive(problems, "heartbeatIntervalMs", heartbeatIntervalMs);
        positive(problems, "missThreshold", missThreshold);
        positive(problems, "leaseMs", leaseMs);
        positive(problems, "failfastBoundMs", failfastBoundMs);
        positive(problems, "reconfigTimeoutMs", reconfigTimeoutMs);
        positive(problems, "deviceCheckIntervalMs", deviceCheckIntervalMs);
        positive(problems, "fenceRetryMs", fenceRetryMs);
        if (driftMarginMs < 0) {
            problems.add("timing.driftMarginMs must be >= 0, got " + driftMarginMs);
        }
        if (leaseMs <= detectionMs()) {
            problems.add("timing.leaseMs (" + leaseMs + ") must exceed detection time heartbeatIntervalMs × missThreshold ("
                    + detectionMs() + "), or survivors lose their lease before they can re-form");
        }
        if (deviceCheckIntervalMs >= leaseMs) {
            problems.add("timing.deviceCheckIntervalMs (" + deviceCheckIntervalMs + ") must be below leaseMs (" + leaseMs + ")");
        }
        if (maxStepGapMs <= heartbeatIntervalMs) {
            problems.add("timing.maxStepGapMs (" + maxStepGapMs + ") must exceed heartbeatIntervalMs (" + heartbeatIntervalMs + ")");
        }
        return problems;
    }

    private static void positive(List<String> problems, String name, long value) {
        if (value <= 0) {
            problems.add("timing." + name + " must be > 0, got " + value);
        }
    }
}
