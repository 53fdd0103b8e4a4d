package dev.baton.runtime.plugin;

import java.util.Objects;

/**
 * A problem found in one of a plugin's files.
 *
 * @param file a path relative to the plugin ({@code types/apache.yaml}) or the plugin's location
 * @param line 1-based; 0 when no line applies
 */
public record SourceProblem(String file, int line, String message) {
    public SourceProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
