package dev.baton.sim.scenario;

/**
 * A scenario could not run as written or did not hold: an unknown command, a bad argument, an
 * {@code assert} that failed or a simulator invariant that broke. The message starts with
 * {@code file:line:} so an editor or a terminal jumps straight to it.
 */
public final class ScenarioFailure extends RuntimeException {
    private final String file;
    private final int line;

    public ScenarioFailure(String file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public ScenarioFailure(String file, int line, String problem, Throwable cause) {
        super(file + ":" + line + ": " + problem, cause);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }
}
