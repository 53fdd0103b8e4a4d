package dev.baton.runtime.guard;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.util.Map;

/**
 * The libc calls the guard needs beyond {@code dev.baton.runtime.process.Posix}: memory locking,
 * thread scheduling and reboot. Direct JNA mapping; each call reports errno through
 * {@link LastErrorException}. Linux x86-64 and arm64 only.
 */
final class GuardNative {
    static final int MCL_CURRENT = 1;
    static final int MCL_FUTURE = 2;
    /** Linux 4.4 and later: lock pages as they are touched instead of populating every mapping. */
    static final int MCL_ONFAULT = 4;
    static final int EINVAL = 22;
    static final int SCHED_FIFO = 1;
    /** Or'ed into the policy: children (the {@code ip} commands) start under the normal scheduler. */
    static final int SCHED_RESET_ON_FORK = 0x40000000;
    /** LINUX_REBOOT_CMD_RESTART / RB_AUTOBOOT: restart at once, no sync. */
    static final int RB_AUTOBOOT = 0x01234567;
    private static final Map<Integer, String> ERRNO_NAMES = Map.of(1, "EPERM", 3, "ESRCH", 11, "EAGAIN",
            12, "ENOMEM", 22, "EINVAL", 38, "ENOSYS");

    static {
        if (!Platform.isLinux()) {
            throw new IllegalStateException("the Baton guard runs on Linux only");
        }
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private GuardNative() {
    }

    static native int mlockall(int flags) throws LastErrorException;

    static native int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;

    static native long syscall(long number) throws LastErrorException;

    static native int reboot(int howto) throws LastErrorException;

    /** The calling thread's kernel id (what sched_setscheduler takes to mean one thread). */
    static int gettid() {
        long number;
        if (Platform.isIntel() && Platform.is64Bit()) {
            number = 186;
        } else if (Platform.isARM() && Platform.is64Bit()) {
            number = 178;
        } else {
            throw new UnsupportedOperationException("SYS_gettid is not known for " + Platform.ARCH);
        }
        return (int) syscall(number);
    }

    /** {@code EPERM (Operation not permitted)} from an errno and the message JNA built with strerror. */
    static String describe(LastErrorException e) {
        String text = e.getMessage();
        // JNA's message reads "[errno] strerror text".
        int close = text == null ? -1 : text.indexOf("] ");
        String strerror = close < 0 ? String.valueOf(text) : text.substring(close + 2);
        return ERRNO_NAMES.getOrDefault(e.getErrorCode(), "errno " + e.getErrorCode()) + " (" + strerror + ")";
    }
}
