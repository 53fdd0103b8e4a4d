package dev.baton.runtime.guard;

import java.util.Set;

/**
 * The guard's decisions, as a pure state machine: commands from batond, the end of its stdin and
 * clock ticks come in with the current time; what to do comes out. It never reads a clock or
 * touches a process, so every rule below is tested without either.
 *
 * <pre>
 * AWAITING_HELLO --HELLO, clocks agree--&gt; WATCHING --ARM--&gt; ARMED --DISARM--&gt; DISARMED --ARM--&gt; ARMED
 * WATCHING, ARMED: end of stdin without BYE fires (batond died)
 * ARMED: the deadline passing fires (batond stalled, or its lease ran out)
 * ARMED: an ARM or DISARM arriving after the deadline fires too: a late renewal never revives a lease
 * DISARMED: end of stdin leaves quietly (nothing runs here)
 * any: BYE leaves quietly
 * </pre>
 * Exactly one {@link Fire} or {@link Leave} is ever returned; after it, everything is {@link Continue}.
 */
final class GuardState {
    /** How far the guard's clock may read past batond's HELLO value: startup time, with room. */
    static final long CLOCK_TOLERANCE_NANOS = 5_000_000_000L;
    static final int EXIT_CLEAN = 0;
    static final int EXIT_REFUSED = 2;

    enum Mode { AWAITING_HELLO, WATCHING, ARMED, DISARMED, DONE }

    sealed interface Decision {
    }

    /** Nothing to do. */
    record Continue() implements Decision {
    }

    /** The clocks agree: tell batond the guard is ready. */
    record Ready() implements Decision {
    }

    /** Kill everything now. */
    record Fire(String reason) implements Decision {
    }

    /** Exit without killing. */
    record Leave(String reason, int exitCode) implements Decision {
    }

    private static final Continue CONTINUE = new Continue();

    private Mode mode = Mode.AWAITING_HELLO;
    private long deadlineNanos;
    private Set<String> addresses = Set.of();

    synchronized Mode mode() {
        return mode;
    }

    synchronized Set<String> addresses() {
        return addresses;
    }

    synchronized Decision onCommand(GuardCommand command, long nowNanos) {
        if (mode == Mode.DONE) {
            return CONTINUE;
        }
        if (mode == Mode.AWAITING_HELLO) {
            return command instanceof GuardCommand.Hello h ? hello(h.nanoTime(), nowNanos)
                    : leave("the first line was " + command.line() + ", not HELLO", EXIT_REFUSED);
        }
        if (command instanceof GuardCommand.Addrs a) {
            addresses = a.addresses();
            return CONTINUE;
        }
        if (command instanceof GuardCommand.Bye) {
            return leave("batond said BYE", EXIT_CLEAN);
        }
        Decision late = onTick(nowNanos);
        if (late != CONTINUE) {
            return late;
        }
        if (command instanceof GuardCommand.Arm arm) {
            return arm(arm.deadlineNanos(), nowNanos);
        }
        if (command instanceof GuardCommand.Disarm) {
            mode = Mode.DISARMED;
        }
        return CONTINUE; // a repeated HELLO changes nothing
    }

    synchronized Decision onEof(long nowNanos) {
        return switch (mode) {
            case DONE -> CONTINUE;
            case AWAITING_HELLO -> leave("stdin closed before HELLO", EXIT_REFUSED);
            case DISARMED -> leave("batond closed stdin while disarmed", EXIT_CLEAN);
            case WATCHING, ARMED -> fire("batond is gone: stdin closed without BYE");
        };
    }

    synchronized Decision onTick(long nowNanos) {
        if (mode == Mode.ARMED && nowNanos - deadlineNanos >= 0) {
            return fire("the armed deadline passed " + (nowNanos - deadlineNanos) / 1_000 + " us ago without a newer ARM");
        }
        return CONTINUE;
    }

    /** How long the watcher may sleep: to the deadline, but never longer than {@code maxNanos}. */
    synchronized long nanosToNextCheck(long nowNanos, long maxNanos) {
        if (mode != Mode.ARMED) {
            return maxNanos;
        }
        return Math.max(0, Math.min(maxNanos, deadlineNanos - nowNanos));
    }

    private Decision hello(long batondNanos, long nowNanos) {
        long aheadNanos = nowNanos - batondNanos;
        if (aheadNanos < 0) {
            return leave("the guard's clock reads " + (-aheadNanos) + " ns earlier than batond's HELLO: the two"
                    + " JVMs do not share CLOCK_MONOTONIC (another time namespace?)", EXIT_REFUSED);
        }
        if (aheadNanos > CLOCK_TOLERANCE_NANOS) {
            return leave("the guard's clock reads " + aheadNanos / 1_000_000 + " ms later than batond's HELLO,"
                    + " more than " + CLOCK_TOLERANCE_NANOS / 1_000_000 + " ms: the clocks are not comparable",
                    EXIT_REFUSED);
        }
        mode = Mode.WATCHING;
        return new Ready();
    }

    private Decision arm(long newDeadlineNanos, long nowNanos) {
        deadlineNanos = newDeadlineNanos;
        mode = Mode.ARMED;
        return onTick(nowNanos); // a deadline already past fires at once
    }

    private Decision fire(String reason) {
        mode = Mode.DONE;
        return new Fire(reason);
    }

    private Decision leave(String reason, int exitCode) {
        mode = Mode.DONE;
        return new Leave(reason, exitCode);
    }
}
