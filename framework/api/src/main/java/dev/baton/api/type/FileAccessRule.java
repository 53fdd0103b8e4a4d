package dev.baton.api.type;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path that a type's methods may read or write through {@code ctx}, written with references
 * to string properties: {@code ${Server_root}} or {@code ${Server_root}/logs}. The rule covers
 * the path itself and, if it is a directory, everything below it.
 *
 * @param pathTemplate an absolute path, or one starting with a property reference
 */
public record FileAccessRule(String pathTemplate, FileAccess access) {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_]*)}");

    public FileAccessRule {
        Objects.requireNonNull(pathTemplate, "pathTemplate");
        Objects.requireNonNull(access, "access");
        if (!pathTemplate.startsWith("/") && !pathTemplate.startsWith("${")) {
            throw new InvalidDescriptorException("path", "'" + pathTemplate
                    + "' must be absolute or start with a property reference such as ${Server_root}");
        }
        String stripped = REFERENCE.matcher(pathTemplate).replaceAll("");
        if (stripped.contains("${")) {
            throw new InvalidDescriptorException("path", "'" + pathTemplate + "' has a malformed ${...} reference");
        }
    }

    /** The property names the template refers to, in order. */
    public List<String> referencedProperties() {
        List<String> names = new ArrayList<>();
        Matcher m = REFERENCE.matcher(pathTemplate);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * The path with references replaced by the resource's values; empty when a referenced
     * property is unset or empty (the rule then grants nothing).
     */
    public Optional<String> expand(ResolvedProperties values) {
        StringBuilder out = new StringBuilder();
        Matcher m = REFERENCE.matcher(pathTemplate);
        while (m.find()) {
            Object v = values.get(m.group(1));
            if (!(v instanceof String s) || s.isEmpty()) {
                return Optional.empty();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(s));
        }
        m.appendTail(out);
        return Optional.of(out.toString());
    }
}
