package dev.baton.api.type;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resource's property values after parsing and defaulting: every property of the type is
 * present, typed as {@link PropertyType} documents, or absent when it is optional and has no
 * default. Immutable.
 */
public final class ResolvedProperties {
    private final Map<String, Object> values;

    public ResolvedProperties(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The value, or null when the property is unset. */
    public Object get(String name) {
        return values.get(name);
    }

    public boolean isSet(String name) {
        return values.containsKey(name);
    }

    public String getString(String name) {
        return (String) values.get(name);
    }

    public long getInt(String name) {
        return (Long) values.get(name);
    }

    public boolean getBoolean(String name) {
        return (Boolean) values.get(name);
    }

    public Duration getDuration(String name) {
        return (Duration) values.get(name);
    }

    @SuppressWarnings("unchecked")
    public List<String> getStringList(String name) {
        return (List<String>) values.get(name);
    }

    /** All set values in declaration order. */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolvedProperties other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
