package dev.baton.core.heartbeat;

import java.util.Objects;

/** A path condition that appeared ({@code down}) or cleared (not {@code down}), as {@link PathMonitor} reports it. */
public record PathEvent(PathCondition condition, boolean down) {
    public PathEvent {
        Objects.requireNonNull(condition, "condition");
    }

    public static PathEvent down(PathCondition condition) {
        return new PathEvent(condition, true);
    }

    public static PathEvent up(PathCondition condition) {
        return new PathEvent(condition, false);
    }

    @Override
    public String toString() {
        return (down ? "DOWN: " : "UP: ") + condition;
    }
}
