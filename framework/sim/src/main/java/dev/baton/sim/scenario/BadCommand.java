package dev.baton.sim.scenario;

/** A command the runner cannot carry out as written; the runner adds the file and line. */
final class BadCommand extends RuntimeException {
    BadCommand(String problem) {
        super(problem);
    }
}
