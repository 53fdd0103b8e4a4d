package dev.baton.runtime.descriptor;

import dev.baton.api.type.FileAccess;
import dev.baton.api.type.FileAccessRule;
import dev.baton.api.type.InvalidDescriptorException;
import dev.baton.api.type.MethodName;
import dev.baton.api.type.PropertySpec;
import dev.baton.api.type.PropertyType;
import dev.baton.api.type.ResourceKind;
import dev.baton.api.type.ResourceTypeDescriptor;
import dev.baton.api.type.Tunability;
import dev.baton.runtime.plugin.SourceProblem;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a resource-type descriptor (YAML) into a {@link ResourceTypeDescriptor}, reporting every
 * problem it can find with its file and line. The format is documented in
 * docs/writing-a-resource-type.md ("Descriptor reference").
 */
public final class DescriptorParser {
    private static final List<String> TOP_KEYS = List.of("name", "version", "description", "kind", "module",
            "methods", "standard_properties", "properties", "files");
    private static final List<String> PROPERTY_KEYS = List.of("type", "description", "default", "min", "max",
            "values", "required", "tunable");
    private static final List<String> OVERRIDE_KEYS = List.of("default", "min", "max", "tunable");

    private DescriptorParser() {
    }

    /**
     * A descriptor, or null with at least one problem; and the line of each element, by dotted
     * path ({@code methods.start}, {@code properties.Port.default}), for later checks to cite.
     */
    public record Result(ResourceTypeDescriptor descriptor, List<SourceProblem> problems, Map<String, Integer> lines) {
        public boolean ok() {
            return descriptor != null;
        }

        /** The line of the element at {@code path} or its nearest ancestor; 0 if unknown. */
        public int lineOf(String path) {
            String p = path;
            while (!p.isEmpty()) {
                Integer line = lines.get(p);
                if (line != null) {
                    return line;
                }
                int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
                p = cut < 0 ? "" : p.substring(0, cut);
            }
            return 0;
        }
    }

    public static Result parse(String file, String yamlText) {
        Problems problems = new Problems(file);
        MappingNode root = compose(yamlText, problems);
        if (root == null) {
            return problems.result(null);
        }
        YamlMap top = new YamlMap(root, "", problems);
        top.rejectUnknown(TOP_KEYS);
        String name = top.scalar("name", true);
        ResourceTypeDescriptor.Builder b = ResourceTypeDescriptor.builder(name == null ? "unnamed" : name);
        readIdentity(top, b, problems);
        readMethods(top, b, problems);
        readStandardOverrides(top, b, problems);
        readProperties(top, b, problems);
        readFiles(top, b, problems);
        if (!problems.isEmpty()) {
            return problems.result(null);
        }
        try {
            return problems.result(b.build());
        } catch (InvalidDescriptorException e) {
            problems.add(problems.lineOfPath(e.path()), e.getMessage());
            return problems.result(null);
        }
    }

    private static MappingNode compose(String text, Problems problems) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(1024 * 1024);
        options.setNestingDepthLimit(20);
        try {
            Node root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
            if (root instanceof MappingNode m) {
                return m;
            }
            problems.add(root == null ? 1 : Problems.lineOf(root),
                    "a descriptor is a YAML mapping (name: …, methods: …, properties: …)");
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            problems.add(line, "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            problems.add(0, "not valid YAML: " + e.getMessage());
        }
        return null;
    }

    private static void readIdentity(YamlMap top, ResourceTypeDescriptor.Builder b, Problems problems) {
        String version = top.scalar("version", true);
        if (version != null) {
            b.version(version);
        }
        b.description(top.scalar("description", false));
        String module = top.scalar("module", true);
        if (module != null) {
            b.module(module);
        }
        String kind = top.scalar("kind", false);
        if (kind != null) {
            guarded(problems, top.line("kind"), "kind: ", () -> b.kind(ResourceKind.fromDescriptorName(kind)));
        }
    }

    private static void readMethods(YamlMap top, ResourceTypeDescriptor.Builder b, Problems problems) {
        YamlMap methods = top.map("methods");
        if (methods == null) {
            if (top.value("methods") == null) {
                problems.add(0, "methods: missing; declare at least start, stop and probe with their timeouts");
            }
            return;
        }
        List<String> known = Arrays.stream(MethodName.values()).map(MethodName::jsName).toList();
        for (String key : methods.keys()) {
            var method = MethodName.fromJsName(key);
            if (method.isEmpty()) {
                problems.add(methods.line(key), methods.at(key) + "unknown method (known: " + String.join(", ", known) + ")");
                continue;
            }
            Duration timeout = methodTimeout(methods, key, problems);
            if (timeout != null) {
                b.method(method.get(), timeout);
            }
        }
    }

    /** Reads {@code start: 60s} or {@code start: {timeout: 60s}}. */
    private static Duration methodTimeout(YamlMap methods, String key, Problems problems) {
        String text;
        int line = methods.line(key);
        if (methods.value(key) instanceof ScalarNode) {
            text = methods.scalar(key, true);
        } else {
            YamlMap spec = methods.map(key);
            if (spec == null) {
                return null;
            }
            spec.rejectUnknown(List.of("timeout"));
            text = spec.scalar("timeout", true);
            line = spec.line("timeout") > 0 ? spec.line("timeout") : line;
        }
        if (text == null) {
            return null;
        }
        try {
            return PropertyType.parseDuration(text);
        } catch (IllegalArgumentException e) {
            problems.add(line, methods.at(key) + "timeout " + e.getMessage());
            return null;
        }
    }

    private static void readStandardOverrides(YamlMap top, ResourceTypeDescriptor.Builder b, Problems problems) {
        YamlMap overrides = top.map("standard_properties");
        if (overrides == null) {
            return;
        }
        for (String name : overrides.keys()) {
            YamlMap o = overrides.map(name);
            if (o == null) {
                continue;
            }
            o.rejectUnknown(OVERRIDE_KEYS);
            Tunability tunable = enumValue(o, "tunable", Tunability::fromDescriptorName, problems);
            String dflt = o.scalarOrList("default");
            String min = o.scalar("min", false);
            String max = o.scalar("max", false);
            guarded(problems, overrides.line(name), "", () -> b.standardOverride(name, dflt, min, max, tunable));
        }
    }

    private static void readProperties(YamlMap top, ResourceTypeDescriptor.Builder b, Problems problems) {
        YamlMap props = top.map("properties");
        if (props == null) {
            return;
        }
        for (String name : props.keys()) {
            YamlMap p = props.map(name);
            if (p != null) {
                readProperty(name, p, b, problems);
            }
        }
    }

    private static void readProperty(String name, YamlMap p, ResourceTypeDescriptor.Builder b, Problems problems) {
        p.rejectUnknown(PROPERTY_KEYS);
        String typeText = p.scalar("type", true);
        PropertyType type = typeText == null ? null
                : enumValue(p, "type", PropertyType::fromDescriptorName, problems);
        Tunability tunable = enumValue(p, "tunable", Tunability::fromDescriptorName, problems);
        Boolean required = p.bool("required");
        List<String> values = p.scalarList("values");
        String dflt = p.scalarOrList("default");
        String min = p.scalar("min", false);
        String max = p.scalar("max", false);
        String description = p.scalar("description", false);
        if (type == null) {
            return;
        }
        try {
            b.property(PropertySpec.fromText(name, type, description, dflt, min, max, values,
                    required != null && required, tunable == null ? Tunability.WHEN_DISABLED : tunable, false));
        } catch (InvalidDescriptorException e) {
            String path = e.path().isEmpty() ? "properties." + name : p.child(e.path());
            String message = e.getMessage().substring(e.path().isEmpty() ? 0 : e.path().length() + 2);
            problems.add(problems.lineOfPath(path), path + ": " + message);
        }
    }

    private static void readFiles(YamlMap top, ResourceTypeDescriptor.Builder b, Problems problems) {
        Node files = top.value("files");
        if (files == null) {
            return;
        }
        if (!(files instanceof SequenceNode seq)) {
            problems.add(top.line("files"), "files: expected a list of {path, access} entries");
            return;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            problems.recordLine("files[" + i + "]", Problems.lineOf(item));
            if (!(item instanceof MappingNode m)) {
                problems.add(Problems.lineOf(item), "files[" + i + "]: expected {path: …, access: read|read_write}");
                continue;
            }
            YamlMap entry = new YamlMap(m, "files[" + i + "]", problems);
            entry.rejectUnknown(List.of("path", "access"));
            String path = entry.scalar("path", true);
            FileAccess access = enumValue(entry, "access", FileAccess::fromDescriptorName, problems);
            if (path != null) {
                FileAccess a = access == null ? FileAccess.READ : access;
                guarded(problems, Problems.lineOf(item), "files[" + i + "].", () -> b.fileAccess(new FileAccessRule(path, a)));
            }
        }
    }

    private static <T> T enumValue(YamlMap map, String key, Function<String, T> parse, Problems problems) {
        String text = map.scalar(key, false);
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            problems.add(map.line(key), map.at(key) + e.getMessage());
            return null;
        }
    }

    private static void guarded(Problems problems, int line, String prefix, Runnable action) {
        try {
            action.run();
        } catch (IllegalArgumentException e) {
            int at = e instanceof InvalidDescriptorException ide ? problems.lineOfPath(ide.path()) : 0;
            problems.add(at > 0 ? at : line, prefix + e.getMessage());
        }
    }
}
