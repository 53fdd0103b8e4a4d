package dev.baton.core.rgm;

import java.util.Objects;

/** This resource depends on {@code target}, a resource of the same group. */
public record Dependency(DependencyKind kind, String target) {
    public Dependency {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
    }

    @Override
    public String toString() {
        return kind.configName() + ":" + target;
    }
}
