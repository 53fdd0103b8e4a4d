package dev.baton.sim.scenario;

/** An {@code assert} that did not hold; the runner adds the file and line. */
final class CheckFailed extends RuntimeException {
    CheckFailed(String problem) {
        super(problem);
    }
}
