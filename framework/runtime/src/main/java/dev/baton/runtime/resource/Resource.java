package dev.baton.runtime.resource;

import dev.baton.api.type.ResolvedProperties;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One resource on this node: a name, its type and its resolved property values. At most one
 * method runs on a resource at a time; {@link #tryBegin} enforces it.
 */
public final class Resource {
    private final String name;
    private final ResourceType type;
    private final ResolvedProperties properties;
    private final AtomicReference<String> running = new AtomicReference<>();

    Resource(String name, ResourceType type, ResolvedProperties properties) {
        this.name = Objects.requireNonNull(name);
        this.type = Objects.requireNonNull(type);
        this.properties = Objects.requireNonNull(properties);
    }

    public String name() {
        return name;
    }

    public ResourceType type() {
        return type;
    }

    public ResolvedProperties properties() {
        return properties;
    }

    /** Marks a method as running; null on success, else the method already running. */
    public String tryBegin(String method) {
        return running.compareAndExchange(null, method);
    }

    public void end() {
        running.set(null);
    }

    @Override
    public String toString() {
        return name + " (" + type.name() + ")";
    }
}
