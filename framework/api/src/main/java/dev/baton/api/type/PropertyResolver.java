package dev.baton.api.type;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns property values written as text into {@link ResolvedProperties}, reporting every
 * problem at once (unknown names, missing required values, values that do not parse or fall
 * outside their bounds), each naming its property. Names match ignoring case.
 */
public final class PropertyResolver {
    private PropertyResolver() {
    }

    /** The outcome: values are usable only when {@link #problems()} is empty. */
    public record Resolution(ResolvedProperties values, List<PropertyProblem> problems) {
        public Resolution {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Resolves the values given for a new resource; unspecified properties take their defaults. */
    public static Resolution resolve(ResourceTypeDescriptor type, Map<String, String> given) {
        List<PropertyProblem> problems = new ArrayList<>();
        Map<String, String> byDeclaredName = canonicalNames(type, given, problems);
        Map<String, Object> values = new LinkedHashMap<>();
        for (PropertySpec spec : type.properties().values()) {
            String text = byDeclaredName.get(spec.name());
            boolean unset = text == null || text.isEmpty();
            Object value = unset ? spec.defaultValue() : parseValue(spec, text, problems);
            if (value != null) {
                values.put(spec.name(), value);
            } else if (spec.required() && unset) {
                problems.add(new PropertyProblem(spec.name(), "required, and no value was given"));
            }
        }
        ResolvedProperties resolved = new ResolvedProperties(values);
        checkFilePaths(type, resolved, problems);
        return new Resolution(resolved, problems);
    }

    /** A property used in a {@code files:} rule is a path, and paths must be absolute. */
    private static void checkFilePaths(ResourceTypeDescriptor type, ResolvedProperties values,
            List<PropertyProblem> problems) {
        for (FileAccessRule rule : type.fileAccess()) {
            rule.expand(values).filter(path -> !path.startsWith("/")).ifPresent(path -> {
                String property = rule.referencedProperties().get(0);
                problems.add(new PropertyProblem(property, "'" + values.get(property)
                        + "' is not an absolute path (the type uses it as a file path)"));
            });
        }
    }

    /**
     * Resolves a change to an existing resource: the new values must parse, and each changed
     * property's tunability must allow the change in the resource's state.
     */
    public static Resolution resolveUpdate(ResourceTypeDescriptor type, ResolvedProperties current,
            Map<String, String> changes, boolean resourceEnabled) {
        List<PropertyProblem> problems = new ArrayList<>();
        Map<String, String> byDeclaredName = canonicalNames(type, changes, problems);
        Map<String, Object> values = new LinkedHashMap<>(current.asMap());
        byDeclaredName.forEach((name, text) -> {
            PropertySpec spec = type.properties().get(name);
            if (!spec.tunability().allowsChange(resourceEnabled)) {
                problems.add(new PropertyProblem(name, "cannot change " + describeTunability(spec.tunability())));
                return;
            }
            if (text == null || text.isEmpty()) {
                revertToDefault(spec, values, problems);
                return;
            }
            Object value = parseValue(spec, text, problems);
            if (value != null) {
                values.put(name, value);
            }
        });
        ResolvedProperties resolved = new ResolvedProperties(values);
        checkFilePaths(type, resolved, problems);
        return new Resolution(resolved, problems);
    }

    private static void revertToDefault(PropertySpec spec, Map<String, Object> values, List<PropertyProblem> problems) {
        if (spec.required()) {
            problems.add(new PropertyProblem(spec.name(), "required, cannot be emptied"));
        } else if (spec.defaultValue() != null) {
            values.put(spec.name(), spec.defaultValue());
        } else {
            values.remove(spec.name());
        }
    }

    private static String describeTunability(Tunability t) {
        return switch (t) {
            case AT_CREATION -> "after the resource is created (tunable: at_creation)";
            case WHEN_DISABLED -> "while the resource is enabled; disable it first (tunable: when_disabled)";
            case ANYTIME -> "";
        };
    }

    private static Map<String, String> canonicalNames(ResourceTypeDescriptor type, Map<String, String> given,
            List<PropertyProblem> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            var spec = type.property(e.getKey());
            if (spec.isEmpty()) {
                problems.add(new PropertyProblem(e.getKey(), "unknown property of type " + type.name()
                        + suggestion(type, e.getKey())));
            } else if (out.put(spec.get().name(), e.getValue()) != null) {
                problems.add(new PropertyProblem(spec.get().name(), "given twice (names are compared ignoring case)"));
            }
        }
        return out;
    }

    /** Parses one value; empty text means "unset" (the default applies) and yields null. */
    private static Object parseValue(PropertySpec spec, String text, List<PropertyProblem> problems) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            Object value = spec.type().parse(text, spec.allowedValues());
            String outOfBounds = spec.checkValue(value);
            if (outOfBounds != null) {
                problems.add(new PropertyProblem(spec.name(), outOfBounds));
                return null;
            }
            return value;
        } catch (IllegalArgumentException e) {
            problems.add(new PropertyProblem(spec.name(), e.getMessage()));
            return null;
        }
    }

    private static String suggestion(ResourceTypeDescriptor type, String unknown) {
        String best = null;
        int bestDistance = 3;
        for (String name : type.properties().keySet()) {
            int d = editDistance(unknown.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = name;
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitution, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
