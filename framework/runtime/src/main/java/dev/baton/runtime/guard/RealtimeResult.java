package dev.baton.runtime.guard;

/**
 * What the kernel answered to a request for real-time treatment: granted, or refused with the
 * reason (EPERM is the usual answer inside containers, even to root).
 *
 * @param request what was asked, e.g. {@code mlockall(MCL_CURRENT|MCL_FUTURE)}
 * @param errno   0 when granted; -1 when refused before reaching the kernel (no native library)
 * @param error   empty when granted, else the errno name and text, e.g. {@code EPERM (Operation not permitted)}
 */
public record RealtimeResult(String request, boolean granted, int errno, String error) {
    static RealtimeResult granted(String request) {
        return new RealtimeResult(request, true, 0, "");
    }

    static RealtimeResult refused(String request, int errno, String error) {
        return new RealtimeResult(request, false, errno, error);
    }

    /** One line for the log. */
    public String describe() {
        return request + ": " + (granted ? "granted" : "refused: " + error);
    }
}
