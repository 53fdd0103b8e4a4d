package dev.baton.core.cluster;

import java.util.List;

/** A cluster configuration that cannot be used; {@link #problems()} names every problem found. */
public final class InvalidClusterConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidClusterConfigException(List<String> problems) {
        super("invalid cluster configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
