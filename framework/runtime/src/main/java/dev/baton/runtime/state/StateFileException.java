package dev.baton.runtime.state;

/** A state file that cannot be used: malformed, truncated, or failing its checksum. The message names the problem. */
public final class StateFileException extends Exception {
    public StateFileException(String message) {
        super(message);
    }
}
