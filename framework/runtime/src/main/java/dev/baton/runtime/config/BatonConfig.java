package dev.baton.runtime.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, immutable configuration: values given for {@link ConfigKeys}, defaults for the rest.
 * Unknown keys and unparsable values are refused when the configuration is built, all at once.
 */
public final class BatonConfig {
    private final Map<String, Object> values;

    private BatonConfig(Map<String, Object> values) {
        this.values = Map.copyOf(values);
    }

    public static BatonConfig defaults() {
        return new BatonConfig(Map.of());
    }

    /**
     * Reads the given settings.
     *
     * @throws IllegalArgumentException listing every unknown key and bad value
     */
    public static BatonConfig from(Map<String, String> settings) {
        Map<String, ConfigKey<?>> known = new HashMap<>();
        ConfigKeys.all().forEach(k -> known.put(k.name(), k));
        Map<String, Object> values = new HashMap<>();
        Set<String> problems = new TreeSet<>();
        settings.forEach((name, text) -> {
            ConfigKey<?> key = known.get(name);
            if (key == null) {
                problems.add("unknown configuration key " + name);
                return;
            }
            try {
                values.put(name, key.parse(text));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new BatonConfig(values);
    }

    public static BatonConfig from(Properties properties) {
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(n -> map.put(n, properties.getProperty(n)));
        return from(map);
    }

    /** A copy with one more value; for tests and tools. */
    public <T> BatonConfig with(ConfigKey<T> key, T value) {
        Map<String, Object> copy = new HashMap<>(values);
        copy.put(key.name(), value);
        return new BatonConfig(copy);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        Object v = values.get(key.name());
        return v == null ? key.defaultValue() : (T) v;
    }
}
