package dev.baton.testkit;

import dev.baton.api.method.MethodResult;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.method.MethodRejectedException;
import dev.baton.runtime.method.MethodRuntime;
import dev.baton.runtime.resource.Resource;

import java.time.Duration;

/** A resource created by a {@link PluginHarness}, with one call per method. */
public final class TestResource {
    private final MethodRuntime runtime;
    private final Resource resource;

    TestResource(MethodRuntime runtime, Resource resource) {
        this.runtime = runtime;
        this.resource = resource;
    }

    public Resource resource() {
        return resource;
    }

    public String name() {
        return resource.name();
    }

    /** A property's typed value (durations as {@link Duration}, ints as Long). */
    public Object property(String name) {
        return resource.properties().get(name);
    }

    public MethodResult start() {
        return call(MethodName.START);
    }

    public MethodResult stop() {
        return call(MethodName.STOP);
    }

    public MethodResult probe() {
        return call(MethodName.PROBE);
    }

    public MethodResult validate() {
        return call(MethodName.VALIDATE);
    }

    public MethodResult call(MethodName method) {
        return runtime.call(resource, method);
    }

    /** Calls a method with another timeout than the resource's own {@code <Method>_timeout}. */
    public MethodResult call(MethodName method, Duration timeout) {
        return runtime.call(resource, method, MethodRuntime.CallOptions.withTimeout(timeout));
    }

    void stopQuietly() {
        try {
            runtime.call(resource, MethodName.STOP);
        } catch (MethodRejectedException | IllegalStateException e) {
            // Best effort at teardown: the test already reported what went wrong.
        }
    }

    @Override
    public String toString() {
        return resource.toString();
    }
}
