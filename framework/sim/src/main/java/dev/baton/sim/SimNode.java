package dev.baton.sim;

import dev.baton.core.Input;
import dev.baton.core.NodeCore;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One simulated machine: its daemon (the real {@link NodeCore}), its disk, its own monotonic clock
 * (offset and drift, with jumps), its guard process and whether it runs services.
 *
 * <p>States: the machine is up, crashed (off) or frozen (nothing on it runs, the guard included);
 * the daemon is running, dead (the guard survives it) or paused (stop-the-world: inputs queue).
 */
public final class SimNode {
    public enum Machine { UP, CRASHED, FROZEN }

    public enum Daemon { RUNNING, DEAD, PAUSED }

    static final int MAX_QUEUED_WHILE_PAUSED = 100_000;

    final int id;
    final SimDisk disk = new SimDisk();
    final Deque<Input> pausedInputs = new ArrayDeque<>();
    NodeCore core;
    Machine machine = Machine.UP;
    Daemon daemon = Daemon.DEAD;
    long clockOffsetNanos;
    long driftPpm;
    long wakeToken;
    long freezeToken;
    long stepWindowSecond = -1;
    int stepsInWindow;
    /** What was due while the machine was frozen (a reboot, the end of a daemon pause) happens when it thaws. */
    final java.util.List<Runnable> onThaw = new java.util.ArrayList<>();
    long guardDeadlineLocalNanos = Long.MIN_VALUE;
    long guardToken;
    boolean running;
    long leaseDeadlineRealNanos = Long.MIN_VALUE;
    long leaseUntilLocalNanos = Long.MIN_VALUE;
    java.util.SortedSet<Integer> leaseMembers = new java.util.TreeSet<>();
    long thawedAtRealNanos = Long.MIN_VALUE;
    int incarnation;

    SimNode(int id, long clockOffsetNanos, long driftPpm) {
        this.id = id;
        this.clockOffsetNanos = clockOffsetNanos;
        this.driftPpm = driftPpm;
    }

    /** This node's monotonic clock at real time {@code realNanos}. */
    public long localNanos(long realNanos) {
        return clockOffsetNanos + realNanos + realNanos / 1_000_000L * driftPpm;
    }

    /** The earliest real time at which this node's clock reads at least {@code localNanos}. */
    public long realNanosAt(long localNanos) {
        long estimate = (long) ((localNanos - clockOffsetNanos) / (1.0 + driftPpm / 1_000_000.0));
        long lo = Math.max(0, estimate - 1_000_000_000L);
        long hi = Math.max(lo, estimate + 1_000_000_000L);
        while (localNanos(hi) < localNanos) {
            hi += (hi - lo) + 1;
        }
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (localNanos(mid) >= localNanos) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The running daemon's core, when there is one (tests and tools read its RGM state). */
    public java.util.Optional<NodeCore> core() {
        return daemonAlive() ? java.util.Optional.of(core) : java.util.Optional.empty();
    }

    public boolean daemonAlive() {
        return machine == Machine.UP && daemon == Daemon.RUNNING && core != null;
    }

    public int id() {
        return id;
    }

    public Machine machine() {
        return machine;
    }

    public Daemon daemon() {
        return daemon;
    }

    public boolean running() {
        return running;
    }

    public SimDisk disk() {
        return disk;
    }

    public java.util.SortedSet<Integer> leaseMembers() {
        return leaseMembers;
    }
}
