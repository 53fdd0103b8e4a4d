package dev.baton.runtime.guard;

import com.sun.jna.LastErrorException;

/**
 * Asks the kernel for what keeps a watchdog timely on a busy machine (ARCHITECTURE.md,
 * "Timeliness"): all memory locked, so no page fault waits for swap or reclaim, and the
 * calling thread under SCHED_FIFO, so ordinary load cannot starve it. Both may be refused
 * (containers answer EPERM even to root); callers log the answer and carry on, which is why
 * these return a result instead of throwing.
 */
public final class Realtime {
    private static final String MLOCKALL = "mlockall(MCL_CURRENT|MCL_FUTURE)";
    private static final String MLOCKALL_ONFAULT = "mlockall(MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT)";

    private Realtime() {
    }

    /**
     * Locks every page this process has touched and will touch. MCL_ONFAULT matters for a JVM:
     * without it the kernel populates and pins every mapping, the JDK's whole 140 MB module image
     * included, though the process reads a few megabytes of it. A kernel older than 4.4 refuses
     * the flag (EINVAL); then everything is locked the classic way.
     */
    public static RealtimeResult tryLockMemory() {
        int flags = GuardNative.MCL_CURRENT | GuardNative.MCL_FUTURE;
        try {
            GuardNative.mlockall(flags | GuardNative.MCL_ONFAULT);
            return RealtimeResult.granted(MLOCKALL_ONFAULT);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != GuardNative.EINVAL) {
                return RealtimeResult.refused(MLOCKALL_ONFAULT, e.getErrorCode(), GuardNative.describe(e));
            }
        } catch (LinkageError e) {
            return RealtimeResult.refused(MLOCKALL_ONFAULT, -1, "no native access: " + e.getMessage());
        }
        try {
            GuardNative.mlockall(flags);
            return RealtimeResult.granted(MLOCKALL);
        } catch (LastErrorException e) {
            return RealtimeResult.refused(MLOCKALL, e.getErrorCode(), GuardNative.describe(e));
        }
    }

    /**
     * Puts the calling thread (only it: the thread's own id, not the process) under SCHED_FIFO at
     * {@code priority}; processes and threads it starts later begin under the normal scheduler
     * (SCHED_RESET_ON_FORK), so an {@code ip} command cannot hog a CPU.
     *
     * @param priority 1 (lowest) to 99
     */
    public static RealtimeResult trySetFifo(int priority) {
        if (priority < 1 || priority > 99) {
            throw new IllegalArgumentException("SCHED_FIFO priority " + priority + " is not 1-99");
        }
        String request = "sched_setscheduler(SCHED_FIFO, " + priority + ")";
        try {
            int tid = GuardNative.gettid();
            GuardNative.sched_setscheduler(tid, GuardNative.SCHED_FIFO | GuardNative.SCHED_RESET_ON_FORK,
                    new int[] {priority});
            return RealtimeResult.granted(request + " for thread " + tid);
        } catch (LastErrorException e) {
            return RealtimeResult.refused(request, e.getErrorCode(), GuardNative.describe(e));
        } catch (LinkageError | UnsupportedOperationException e) {
            return RealtimeResult.refused(request, -1, "no native access: " + e.getMessage());
        }
    }
}
