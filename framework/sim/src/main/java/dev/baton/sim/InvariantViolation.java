package dev.baton.sim;

/** A safety or liveness invariant failed in a run; the message names the seed to replay it with. */
public final class InvariantViolation extends RuntimeException {
    public InvariantViolation(String message) {
        super(message);
    }
}
