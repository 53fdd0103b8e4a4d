package dev.baton.runtime.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key: its name in {@code baton.properties}, its type and its default. All
 * keys are declared in {@link ConfigKeys}.
 */
public final class ConfigKey<T> {
    private final String name;
    private final T defaultValue;
    private final Function<String, T> parser;
    private final String description;

    ConfigKey(String name, T defaultValue, Function<String, T> parser, String description) {
        this.name = Objects.requireNonNull(name);
        this.defaultValue = defaultValue;
        this.parser = parser;
        this.description = description;
    }

    public String name() {
        return name;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** Parses a configured value; the message names the key and the bad text. */
    T parse(String text) {
        try {
            return parser.apply(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("configuration key " + name + ": cannot use '" + text + "': "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
