package dev.baton.runtime.wire;

/**
 * A frame {@link Opener#open} dropped, and why. Thrown once per bad datagram, possibly at a
 * flood's rate, so it carries no stack trace (filling one costs more than the check that failed).
 */
public final class RejectedFrameException extends Exception {
    /** Why a frame was dropped; {@link Counters} counts each. */
    public enum Reason {
        /** Not a frame of this version: too short, wrong magic or version, sequence 0. */
        MALFORMED,
        /** The tag did not verify: another key, or bytes changed on the way. */
        UNAUTHENTICATED,
        /** A sequence number already accepted on this stream, or older than the replay window. */
        REPLAYED,
        /** From an incarnation of the sender older than one already heard: a restarted node's old self, or a replay. */
        STALE_INCARNATION,
        /** Longer than {@link FrameFormat#MAX_FRAME_BYTES}. */
        TOO_LARGE
    }

    private final Reason reason;

    public RejectedFrameException(Reason reason, String message) {
        super(reason + ": " + message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
