package dev.baton.api.type;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A resource type as its descriptor declares it: identity, the methods it implements with their
 * default timeouts, every property (standard ones first, then extension ones, in declaration
 * order) and the paths its methods may touch. Build one with {@link #builder(String)}; the
 * builder enforces the model's rules and throws {@link InvalidDescriptorException} naming the
 * element at fault.
 */
public final class ResourceTypeDescriptor {
    private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");

    private final String name;
    private final String version;
    private final String description;
    private final ResourceKind kind;
    private final String module;
    private final Map<MethodName, Duration> methodTimeouts;
    private final Map<String, PropertySpec> properties;
    private final List<FileAccessRule> fileAccess;

    private ResourceTypeDescriptor(Builder b, Map<String, PropertySpec> properties) {
        this.name = b.name;
        this.version = b.version;
        this.description = b.description;
        this.kind = b.kind;
        this.module = b.module;
        this.methodTimeouts = Collections.unmodifiableMap(new EnumMap<>(b.methodTimeouts));
        this.properties = Collections.unmodifiableMap(properties);
        this.fileAccess = List.copyOf(b.fileAccess);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public String description() {
        return description;
    }

    public ResourceKind kind() {
        return kind;
    }

    /** The JavaScript module implementing the methods, relative to the descriptor's folder. */
    public String module() {
        return module;
    }

    /** Implemented methods and their default timeouts. */
    public Map<MethodName, Duration> methodTimeouts() {
        return methodTimeouts;
    }

    public boolean implementsMethod(MethodName method) {
        return methodTimeouts.containsKey(method);
    }

    /** Every property, standard first, keyed by its declared name. */
    public Map<String, PropertySpec> properties() {
        return properties;
    }

    /** The property with this name, matched ignoring case as Sun Cluster does. */
    public Optional<PropertySpec> property(String anyCaseName) {
        PropertySpec exact = properties.get(anyCaseName);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (PropertySpec p : properties.values()) {
            if (p.name().equalsIgnoreCase(anyCaseName)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public List<FileAccessRule> fileAccess() {
        return fileAccess;
    }

    @Override
    public String toString() {
        return name + " " + version;
    }

    /** Collects a descriptor's parts; {@link #build()} checks them together. */
    public static final class Builder {
        private final String name;
        private String version = "1.0.0";
        private String description = "";
        private ResourceKind kind = ResourceKind.FAILOVER;
        private String module;
        private final Map<MethodName, Duration> methodTimeouts = new EnumMap<>(MethodName.class);
        private final Map<String, StandardOverride> standardOverrides = new LinkedHashMap<>();
        private final List<PropertySpec> extensionProperties = new ArrayList<>();
        private final List<FileAccessRule> fileAccess = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder version(String v) {
            this.version = v;
            return this;
        }

        public Builder description(String d) {
            this.description = d == null ? "" : d;
            return this;
        }

        public Builder kind(ResourceKind k) {
            this.kind = k;
            return this;
        }

        public Builder module(String m) {
            this.module = m;
            return this;
        }

        public Builder method(MethodName method, Duration defaultTimeout) {
            if (methodTimeouts.putIfAbsent(method, defaultTimeout) != null) {
                throw new InvalidDescriptorException("methods." + method.jsName(), "method declared twice");
            }
            return this;
        }

        /**
         * Changes a standard property's default, min, max (written as text, parsed with the
         * property's type) or tunability; null leaves a part as it is.
         */
        public Builder standardOverride(String property, String defaultText, String minText, String maxText,
                Tunability tunability) {
            if (standardOverrides.putIfAbsent(property, new StandardOverride(defaultText, minText, maxText, tunability)) != null) {
                throw new InvalidDescriptorException("standard_properties." + property, "duplicate override");
            }
            return this;
        }

        public Builder property(PropertySpec spec) {
            if (spec.standard()) {
                throw new InvalidDescriptorException("properties." + spec.name(), "extension properties cannot be standard");
            }
            extensionProperties.add(spec);
            return this;
        }

        public Builder fileAccess(FileAccessRule rule) {
            fileAccess.add(rule);
            return this;
        }

        public ResourceTypeDescriptor build() {
            checkIdentity();
            Map<String, PropertySpec> all = new LinkedHashMap<>();
            standardProperties().forEach(p -> all.put(p.name(), p));
            addExtensions(all);
            checkFileAccess(all);
            return new ResourceTypeDescriptor(this, all);
        }

        private void checkIdentity() {
            if (!TYPE_NAME.matcher(name).matches()) {
                throw new InvalidDescriptorException("name", "'" + name
                        + "' must be lower case letters, digits, '_', '.' or '-', starting with a letter (at most 64)");
            }
            if (version == null || !VERSION.matcher(version).matches()) {
                throw new InvalidDescriptorException("version", "'" + version + "' is not a version such as 1.2.0");
            }
            if (module == null || module.isBlank()) {
                throw new InvalidDescriptorException("module", "missing: name the JavaScript module, e.g. module: "
                        + name + ".js");
            }
            for (MethodName required : MethodName.REQUIRED) {
                if (!methodTimeouts.containsKey(required)) {
                    throw new InvalidDescriptorException("methods", "every type implements start, stop and probe; "
                            + required.jsName() + " is missing");
                }
            }
        }

        private List<PropertySpec> standardProperties() {
            List<PropertySpec> specs = new ArrayList<>();
            methodTimeouts.forEach((m, t) -> specs.add(applyTimeoutDefault(m, t)));
            specs.addAll(StandardProperties.common());
            Map<String, StandardOverride> pending = new HashMap<>(standardOverrides);
            List<PropertySpec> result = new ArrayList<>();
            for (PropertySpec spec : specs) {
                StandardOverride o = pending.remove(spec.name());
                result.add(o == null ? spec : o.applyTo(spec));
            }
            if (!pending.isEmpty()) {
                String unknown = pending.keySet().iterator().next();
                throw new InvalidDescriptorException("standard_properties." + unknown, "not a standard property of this type (known: "
                        + String.join(", ", StandardProperties.names(methodTimeouts.keySet())) + ")");
            }
            return result;
        }

        private PropertySpec applyTimeoutDefault(MethodName m, Duration t) {
            try {
                return StandardProperties.timeout(m, t);
            } catch (InvalidDescriptorException e) {
                // e's message starts with its own path ("default: "); keep only the sentence.
                String sentence = e.getMessage().substring(e.path().isEmpty() ? 0 : e.path().length() + 2);
                throw new InvalidDescriptorException("methods." + m.jsName() + ".timeout",
                        sentence.replace("default", "timeout"));
            }
        }

        private void addExtensions(Map<String, PropertySpec> all) {
            Map<String, String> lowerNames = new HashMap<>();
            all.keySet().forEach(n -> lowerNames.put(n.toLowerCase(Locale.ROOT), n));
            for (PropertySpec p : extensionProperties) {
                String clash = lowerNames.putIfAbsent(p.name().toLowerCase(Locale.ROOT), p.name());
                if (clash != null) {
                    String what = all.get(clash).standard() ? "the standard property " : "property ";
                    throw new InvalidDescriptorException("properties." + p.name(), "duplicate: " + what + "'" + clash
                            + "' already exists (names are compared ignoring case)");
                }
                all.put(p.name(), p);
            }
        }

        private void checkFileAccess(Map<String, PropertySpec> all) {
            for (int i = 0; i < fileAccess.size(); i++) {
                for (String ref : fileAccess.get(i).referencedProperties()) {
                    PropertySpec p = all.get(ref);
                    if (p == null || p.type() != PropertyType.STRING) {
                        throw new InvalidDescriptorException("files[" + i + "].path", "${" + ref
                                + "} must name a string property of this type");
                    }
                }
            }
        }
    }

    private record StandardOverride(String defaultText, String minText, String maxText, Tunability tunability) {
        PropertySpec applyTo(PropertySpec spec) {
            try {
                if (spec.name().endsWith("_timeout") && defaultText != null) {
                    throw new InvalidDescriptorException("default", "set a method's default timeout in methods."
                            + spec.name().substring(0, spec.name().length() - "_timeout".length()).toLowerCase(Locale.ROOT)
                            + ".timeout");
                }
                return spec.withOverrides(parse(spec, "default", defaultText), parse(spec, "min", minText),
                        parse(spec, "max", maxText), tunability);
            } catch (InvalidDescriptorException e) {
                String field = e.path().isEmpty() ? "" : "." + e.path();
                String message = e.getMessage().substring(e.path().isEmpty() ? 0 : e.path().length() + 2);
                throw new InvalidDescriptorException("standard_properties." + spec.name() + field, message);
            }
        }

        private static Object parse(PropertySpec spec, String field, String text) {
            if (text == null) {
                return null;
            }
            if (!field.equals("default") && !spec.type().isOrdered()) {
                throw new InvalidDescriptorException(field, "min and max apply only to int and duration properties");
            }
            try {
                return spec.type().parse(text, spec.allowedValues());
            } catch (IllegalArgumentException e) {
                throw new InvalidDescriptorException(field, e.getMessage());
            }
        }
    }
}
