package dev.baton.api.type;

import java.util.Objects;

/**
 * Something wrong with one property's value, found by the framework (type, bounds, required)
 * or by a type's validate method.
 *
 * @param property the property's name; empty when the problem concerns the resource as a whole
 */
public record PropertyProblem(String property, String message) {
    public PropertyProblem {
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return property.isEmpty() ? message : property + ": " + message;
    }
}
