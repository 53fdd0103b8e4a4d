package dev.baton.api.type;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One property of a resource type, standard or extension. Values ({@link #defaultValue()},
 * {@link #min()}, {@link #max()}) are already parsed into the Java type that
 * {@link PropertyType} documents. The constructor enforces the model's rules and throws
 * {@link InvalidDescriptorException} naming the field at fault.
 *
 * @param defaultValue null when the property has no default (then it is required or optional-empty)
 * @param min          null, or the smallest allowed value (int and duration only)
 * @param max          null, or the largest allowed value (int and duration only)
 * @param allowedValues the enum's values; empty for other types
 * @param standard     whether the framework defines this property (timeouts, Retry_count …)
 */
public record PropertySpec(
        String name,
        PropertyType type,
        String description,
        Object defaultValue,
        Object min,
        Object max,
        List<String> allowedValues,
        boolean required,
        Tunability tunability,
        boolean standard) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    public PropertySpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tunability, "tunability");
        description = description == null ? "" : description;
        allowedValues = List.copyOf(allowedValues == null ? List.of() : allowedValues);
        if (!NAME.matcher(name).matches()) {
            throw new InvalidDescriptorException("", "property name '" + name
                    + "' must start with a letter and contain only letters, digits and '_' (at most 64)");
        }
        checkAllowedValues(type, allowedValues);
        checkBounds(type, min, max);
        checkDefault(type, defaultValue, min, max, allowedValues, required);
    }

    /**
     * Builds a spec from the text a descriptor holds, parsing default, min and max with the type.
     *
     * @throws InvalidDescriptorException naming {@code default}, {@code min} or {@code max} when one does not parse
     */
    public static PropertySpec fromText(String name, PropertyType type, String description,
            String defaultText, String minText, String maxText, List<String> allowedValues,
            boolean required, Tunability tunability, boolean standard) {
        List<String> allowed = allowedValues == null ? List.of() : allowedValues;
        if ((minText != null || maxText != null) && !type.isOrdered()) {
            throw new InvalidDescriptorException(minText != null ? "min" : "max",
                    "min and max apply only to int and duration properties, not " + type.descriptorName());
        }
        Object min = parseField("min", type, minText, allowed);
        Object max = parseField("max", type, maxText, allowed);
        Object dflt = parseField("default", type, defaultText, allowed);
        return new PropertySpec(name, type, description, dflt, min, max, allowed, required, tunability, standard);
    }

    private static Object parseField(String field, PropertyType type, String text, List<String> allowed) {
        if (text == null) {
            return null;
        }
        try {
            return type.parse(text, allowed);
        } catch (IllegalArgumentException e) {
            throw new InvalidDescriptorException(field, e.getMessage());
        }
    }

    /** A copy with another default, min, max or tunability (used for standard property overrides). */
    public PropertySpec withOverrides(Object newDefault, Object newMin, Object newMax, Tunability newTunability) {
        return new PropertySpec(name, type, description,
                newDefault != null ? newDefault : defaultValue,
                newMin != null ? newMin : min,
                newMax != null ? newMax : max,
                allowedValues, required,
                newTunability != null ? newTunability : tunability, standard);
    }

    /**
     * Checks a parsed value against the bounds and allowed values; returns null when it fits,
     * otherwise a sentence that quotes the value and the bound.
     */
    public String checkValue(Object value) {
        if (min != null && type.compare(value, min) < 0) {
            return type.format(value) + " is below min " + type.format(min);
        }
        if (max != null && type.compare(value, max) > 0) {
            return type.format(value) + " is above max " + type.format(max);
        }
        return null;
    }

    private static void checkAllowedValues(PropertyType type, List<String> allowedValues) {
        if (type == PropertyType.ENUM && allowedValues.isEmpty()) {
            throw new InvalidDescriptorException("values", "an enum property needs a non-empty list of values");
        }
        if (type != PropertyType.ENUM && !allowedValues.isEmpty()) {
            throw new InvalidDescriptorException("values", "values apply only to enum properties, not "
                    + type.descriptorName());
        }
        Set<String> seen = new HashSet<>();
        for (String v : allowedValues) {
            if (v.isBlank() || !seen.add(v.toLowerCase(Locale.ROOT))) {
                throw new InvalidDescriptorException("values", "enum value '" + v + "' is blank or repeated");
            }
        }
    }

    private static void checkBounds(PropertyType type, Object min, Object max) {
        if ((min != null || max != null) && !type.isOrdered()) {
            throw new InvalidDescriptorException(min != null ? "min" : "max",
                    "min and max apply only to int and duration properties, not " + type.descriptorName());
        }
        if (min != null && max != null && type.compare(min, max) > 0) {
            throw new InvalidDescriptorException("min", "min " + type.format(min) + " is above max " + type.format(max));
        }
    }

    private static void checkDefault(PropertyType type, Object dflt, Object min, Object max,
            List<String> allowed, boolean required) {
        if (dflt == null) {
            return;
        }
        if (required) {
            throw new InvalidDescriptorException("default",
                    "a required property has no default (drop 'required' or the default)");
        }
        if (min != null && type.compare(dflt, min) < 0) {
            throw new InvalidDescriptorException("default", "default " + type.format(dflt)
                    + " is below min " + type.format(min));
        }
        if (max != null && type.compare(dflt, max) > 0) {
            throw new InvalidDescriptorException("default", "default " + type.format(dflt)
                    + " is above max " + type.format(max));
        }
        if (type == PropertyType.ENUM && !allowed.contains((String) dflt)) {
            throw new InvalidDescriptorException("default", "default '" + dflt + "' is not one of " + allowed);
        }
    }
}
