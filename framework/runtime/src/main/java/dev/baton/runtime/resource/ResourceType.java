package dev.baton.runtime.resource;

import dev.baton.api.type.PropertyResolver;
import dev.baton.api.type.ResourceTypeDescriptor;
import dev.baton.runtime.js.ContextPool;
import dev.baton.runtime.js.JsModule;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A loaded, validated resource type: its descriptor, its JavaScript module and the pool of
 * contexts its calls run in. Created by the plugin catalog; closed with its plugin.
 */
public final class ResourceType implements AutoCloseable {
    private static final Pattern RESOURCE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    private final ResourceTypeDescriptor descriptor;
    private final String pluginId;
    private final String descriptorFile;
    private final JsModule module;
    private final ContextPool contexts;

    public ResourceType(ResourceTypeDescriptor descriptor, String pluginId, String descriptorFile, JsModule module,
            ContextPool contexts) {
        this.descriptor = Objects.requireNonNull(descriptor);
        this.pluginId = Objects.requireNonNull(pluginId);
        this.descriptorFile = Objects.requireNonNull(descriptorFile);
        this.module = Objects.requireNonNull(module);
        this.contexts = Objects.requireNonNull(contexts);
    }

    public String name() {
        return descriptor.name();
    }

    public ResourceTypeDescriptor descriptor() {
        return descriptor;
    }

    public String pluginId() {
        return pluginId;
    }

    /** The descriptor's path inside its plugin, for messages. */
    public String descriptorFile() {
        return descriptorFile;
    }

    public JsModule module() {
        return module;
    }

    public ContextPool contexts() {
        return contexts;
    }

    /**
     * A resource of this type with the given property values (text, as an operator writes them).
     *
     * @throws InvalidPropertiesException listing every problem, each naming its property
     */
    public Resource newResource(String resourceName, Map<String, String> values) {
        if (resourceName == null || !RESOURCE_NAME.matcher(resourceName).matches()) {
            throw new IllegalArgumentException("resource name '" + resourceName
                    + "' must start with a letter and use letters, digits, '_', '.' or '-' (at most 64)");
        }
        PropertyResolver.Resolution r = PropertyResolver.resolve(descriptor, values);
        if (!r.ok()) {
            throw new InvalidPropertiesException(resourceName, r.problems());
        }
        return new Resource(resourceName, this, r.values());
    }

    @Override
    public void close() {
        contexts.close();
    }

    @Override
    public String toString() {
        return descriptor.name() + " (plugin " + pluginId + ")";
    }
}
