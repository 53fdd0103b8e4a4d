package dev.baton.core.rgm;

import dev.baton.api.type.FailoverMode;
import dev.baton.api.type.MethodName;
import dev.baton.api.type.PropertySpec;
import dev.baton.api.type.ResourceKind;
import dev.baton.api.type.StandardProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the resource group configuration from its text form, the content of the CCR table
 * {@value #TABLE} and of the configuration part of scenario files:
 *
 * <pre>
 * group web failover nodes=1,2,3 failback=true pingpong=10m
 *   resource web-ip  type=logical_hostname tier=network network=public
 *   resource web-fs  type=filesystem tier=storage
 *   resource web     type=apache depends=strong:web-fs Retry_count=3 port=8080
 * group db scalable nodes=1,2,3 desired=2 max=3 rg_depends=web affinity=--web
 * </pre>
 *
 * Group keys: nodes, failback, pingpong, auto_start, max, desired, rg_depends, affinity (Sun
 * Cluster's names, such as Nodelist or Pingpong_interval, are accepted too). Resource keys: type,
 * tier, network, depends, enabled, monitored, methods (optional methods the type implements),
 * the standard properties (Retry_count, Retry_interval, Failover_mode, Thorough_probe_interval,
 * Start_timeout …); any other key is a property of the type. Durations need a unit (ms, s, m, h).
 * Every error names the line.
 */
public final class RgmConfigText {
    public static final String TABLE = "rgm";
    private static final int MAX_LINE_CHARS = 4096;
    private static final List<String> RESOURCE_KEYS = List.of("type", "tier", "network", "enabled", "monitored", "depends",
            "methods", StandardProperties.RETRY_COUNT, StandardProperties.RETRY_INTERVAL,
            StandardProperties.THOROUGH_PROBE_INTERVAL, StandardProperties.FAILOVER_MODE);
    private static final Pattern NAMED = Pattern.compile("\\b(groups \\[|group |resource )([A-Za-z0-9][A-Za-z0-9_.-]*)");

    private final String source;
    private final List<GroupBuilder> groups = new ArrayList<>();
    /** Where each group and resource is defined (the last definition of a name), to name the line of a later error. */
    private final Map<String, Integer> lineOf = new HashMap<>();

    private RgmConfigText(String source) {
        this.source = source;
    }

    /** Parses and validates; {@code source} names the file or table in error messages. */
    public static RgmConfig parse(String text, String source) {
        return parse(text, source, null);
    }

    /** As {@link #parse(String, String)}, and refuses Nodelists naming nodes outside {@code clusterNodes}. */
    public static RgmConfig parse(String text, String source, Collection<Integer> clusterNodes) {
        RgmConfigText p = new RgmConfigText(source);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            p.line(lines[i], i + 1);
        }
        List<GroupSpec> specs = p.groups.stream().map(GroupBuilder::build).toList();
        try {
            RgmConfig config = new RgmConfig(specs);
            if (clusterNodes != null) {
                config.requireNodes(clusterNodes);
            }
            return config;
        } catch (InvalidRgmConfigException e) {
            throw new InvalidRgmConfigException(p.where(e.getMessage()) + e.getMessage());
        }
    }

    /**
     * A whole-configuration check names the group or resource it is about first ("group web: …",
     * "resource x (group web): …", "… a cycle among groups [a, b]"): its line is where to look.
     */
    private String where(String message) {
        Matcher m = NAMED.matcher(message);
        Integer lineNo = m.find() ? lineOf.get((m.group(1).startsWith("resource") ? "resource " : "group ") + m.group(2)) : null;
        return source + (lineNo == null ? "" : " line " + lineNo) + ": ";
    }

    private void line(String raw, int lineNo) {
        String text = stripComment(raw).strip();
        if (text.isEmpty()) {
            return;
        }
        try {
            if (raw.length() > MAX_LINE_CHARS) {
                throw new IllegalArgumentException("line longer than " + MAX_LINE_CHARS + " characters");
            }
            List<String> words = Words.split(text);
            switch (words.get(0)) {
                case "group" -> {
                    groups.add(group(words));
                    lineOf.put("group " + words.get(1), lineNo);
                }
                case "resource" -> {
                    if (groups.isEmpty()) {
                        throw new IllegalArgumentException("resource before any group");
                    }
                    groups.get(groups.size() - 1).resources.add(resource(words));
                    lineOf.put("resource " + words.get(1), lineNo);
                }
                default -> throw new IllegalArgumentException("expected 'group' or 'resource', found '" + words.get(0) + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidRgmConfigException(source + " line " + lineNo + ": " + e.getMessage());
        }
    }

    /** Cuts the line at the first {@code #} outside double quotes ({@code banner="no #1"} keeps its hash). */
    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static GroupBuilder group(List<String> words) {
        if (words.size() < 3) {
            throw new IllegalArgumentException("expected: group NAME failover|scalable nodes=…");
        }
        GroupBuilder g = new GroupBuilder(name(words.get(1)), ResourceKind.fromDescriptorName(words.get(2)));
        Set<String> seen = new java.util.HashSet<>();
        for (Map.Entry<String, String> kv : pairs(words.subList(3, words.size())).entrySet()) {
            String key = groupKey(kv.getKey());
            once(seen, key);
            g.set(key, kv.getValue());
        }
        if (g.nodelist.isEmpty()) {
            throw new IllegalArgumentException("group " + g.name + " needs nodes=…");
        }
        return g;
    }

    private static ResourceSpec resource(List<String> words) {
        if (words.size() < 2) {
            throw new IllegalArgumentException("expected: resource NAME type=…");
        }
        ResourceBuilder r = new ResourceBuilder(name(words.get(1)));
        Set<String> seen = new java.util.HashSet<>();
        for (Map.Entry<String, String> kv : pairs(words.subList(2, words.size())).entrySet()) {
            String key = resourceKey(kv.getKey());
            once(seen, key);
            r.set(key, kv.getValue());
        }
        if (r.type == null) {
            throw new IllegalArgumentException("resource " + r.name + " needs type=…");
        }
        return r.build();
    }

    /**
     * The RGM's own resource keys in their canonical spelling, whatever the case
     * ({@code failover_mode=hard} must not silently become a property of the type); other keys
     * are the type's and keep their case.
     */
    private static String resourceKey(String key) {
        if (key.equalsIgnoreCase("probe_interval")) {
            return StandardProperties.THOROUGH_PROBE_INTERVAL;
        }
        for (String known : RESOURCE_KEYS) {
            if (known.equalsIgnoreCase(key)) {
                return known;
            }
        }
        for (MethodName m : MethodName.values()) {
            if (m.timeoutProperty().equalsIgnoreCase(key)) {
                return m.timeoutProperty();
            }
        }
        return key;
    }

    /** A key given twice under two spellings (nodes= and Nodelist=) must not let the last one silently win. */
    private static void once(Set<String> seen, String canonicalKey) {
        if (!seen.add(canonicalKey)) {
            throw new IllegalArgumentException(canonicalKey + " is set twice");
        }
    }

    private static String name(String word) {
        if (!word.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("'" + word + "' is not a name (letters, digits, _ . -; at most 64)");
        }
        return word;
    }

    private static Map<String, String> pairs(List<String> words) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, found '" + w + "'");
            }
            if (out.put(w.substring(0, eq), w.substring(eq + 1)) != null) {
                throw new IllegalArgumentException(w.substring(0, eq) + " is set twice");
            }
        }
        return out;
    }

    private static String groupKey(String key) {
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "nodes", "nodelist" -> "nodes";
            case "failback" -> "failback";
            case "pingpong", "pingpong_interval" -> "pingpong";
            case "auto_start", "auto_start_on_new_cluster" -> "auto_start";
            case "max", "maximum_primaries" -> "max";
            case "desired", "desired_primaries" -> "desired";
            case "rg_depends", "rg_dependencies" -> "rg_depends";
            case "affinity", "rg_affinities" -> "affinity";
            default -> throw new IllegalArgumentException("unknown group property '" + key
                    + "' (known: nodes, failback, pingpong, auto_start, max, desired, rg_depends, affinity)");
        };
    }

    static long durationMs(String key, String value) {
        var m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)").matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + "=" + value + ": a duration needs a unit, such as 500ms, 10s, 5m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
    }

    static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException(key + "=" + value + ": expected true or false");
        };
    }

    static int integer(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + ": expected a whole number");
        }
    }

    static List<String> list(String value) {
        return value.isEmpty() ? List.of() : List.of(value.split(","));
    }

    private static final class GroupBuilder {
        final String name;
        final ResourceKind kind;
        final List<ResourceSpec> resources = new ArrayList<>();
        List<Integer> nodelist = List.of();
        boolean failback = RgmDefaults.FAILBACK;
        long pingpongMs = RgmDefaults.PINGPONG_INTERVAL_MS;
        boolean autoStart = RgmDefaults.AUTO_START_ON_NEW_CLUSTER;
        Integer max;
        Integer desired;
        List<String> rgDepends = List.of();
        List<Affinity> affinities = List.of();

        GroupBuilder(String name, ResourceKind kind) {
            this.name = name;
            this.kind = kind;
        }

        void set(String key, String value) {
            switch (key) {
                case "nodes" -> nodelist = list(value).stream().map(v -> integer(key, v)).toList();
                case "failback" -> failback = bool(key, value);
                case "pingpong" -> pingpongMs = durationMs(key, value);
                case "auto_start" -> autoStart = bool(key, value);
                case "max" -> max = integer(key, value);
                case "desired" -> desired = integer(key, value);
                case "rg_depends" -> rgDepends = list(value);
                default -> affinities = list(value).stream().map(Affinity::parse).toList();
            }
        }

        GroupSpec build() {
            boolean failover = kind == ResourceKind.FAILOVER;
            int maxPrimaries = max != null ? max : failover ? 1 : nodelist.size();
            int desiredPrimaries = desired != null ? desired : failover ? 1 : maxPrimaries;
            return new GroupSpec(name, kind, nodelist, failback, maxPrimaries, desiredPrimaries, rgDepends,
                    affinities, pingpongMs, autoStart, resources);
        }
    }

    private static final class ResourceBuilder {
        final String name;
        String type;
        Tier tier = Tier.APPLICATION;
        Optional<String> network = Optional.empty();
        boolean enabled = true;
        boolean monitored = true;
        List<Dependency> deps = List.of();
        FailoverMode mode = FailoverMode.SOFT;
        int retryCount = RgmDefaults.RETRY_COUNT;
        long retryIntervalMs = RgmDefaults.RETRY_INTERVAL_MS;
        long probeIntervalMs = RgmDefaults.PROBE_INTERVAL_MS;
        final Map<MethodName, Long> timeouts = new EnumMap<>(MethodName.class);
        Set<MethodName> optional = EnumSet.noneOf(MethodName.class);
        final Map<String, String> properties = new LinkedHashMap<>();

        ResourceBuilder(String name) {
            this.name = name;
        }

        void set(String key, String value) {
            switch (key) {
                case "type" -> type = name(value);
                case "tier" -> tier = Tier.valueOf(enumName("tier", value, "network, storage, application"));
                case "network" -> network = Optional.of(name(value));
                case "enabled" -> enabled = bool(key, value);
                case "monitored" -> monitored = bool(key, value);
                case "depends" -> deps = list(value).stream().map(ResourceBuilder::dependency).toList();
                case "methods" -> optional = methods(value);
                case "Retry_count" -> retryCount = integer(key, value);
                case "Retry_interval" -> retryIntervalMs = standardDurationMs(key, value);
                case "Thorough_probe_interval" -> probeIntervalMs = standardDurationMs(key, value);
                case "Failover_mode" -> mode = FailoverMode.valueOf(enumName(key, value,
                        "NONE, SOFT, HARD, RESTART_ONLY, LOG_ONLY"));
                default -> other(key, value);
            }
        }

        private void other(String key, String value) {
            for (MethodName m : MethodName.values()) {
                if (m.timeoutProperty().equals(key)) {
                    timeouts.put(m, boundedMs(key, value, StandardProperties.MIN_METHOD_TIMEOUT,
                            StandardProperties.MAX_METHOD_TIMEOUT));
                    return;
                }
            }
            if (!key.matches("[A-Za-z][A-Za-z0-9_]{0,63}")) {
                throw new IllegalArgumentException("'" + key + "' is not a property name");
            }
            properties.put(key, value);
        }

        /** A duration within the bounds the api module gives the standard property. */
        private static long standardDurationMs(String key, String value) {
            PropertySpec spec = StandardProperties.common().stream().filter(p -> p.name().equals(key)).findFirst()
                    .orElseThrow();
            return boundedMs(key, value, (Duration) spec.min(), (Duration) spec.max());
        }

        private static long boundedMs(String key, String value, Duration min, Duration max) {
            long ms = durationMs(key, value);
            if (ms < min.toMillis() || ms > max.toMillis()) {
                throw new IllegalArgumentException(key + "=" + value + ": must be between "
                        + Scheduler.duration(min.toMillis()) + " and " + Scheduler.duration(max.toMillis()));
            }
            return ms;
        }

        private static String enumName(String key, String value, String known) {
            String upper = value.toUpperCase(Locale.ROOT);
            if (!List.of(known.toUpperCase(Locale.ROOT).split(", ")).contains(upper)) {
                throw new IllegalArgumentException(key + "=" + value + ": expected one of " + known);
            }
            return upper;
        }

        private static Dependency dependency(String text) {
            int colon = text.indexOf(':');
            String kind = colon < 0 ? "strong" : text.substring(0, colon);
            String target = colon < 0 ? text : text.substring(colon + 1);
            return new Dependency(DependencyKind.valueOf(enumName("depends", kind,
                    "STRONG, WEAK, RESTART, OFFLINE_RESTART")), name(target));
        }

        private static Set<MethodName> methods(String value) {
            Set<MethodName> out = EnumSet.noneOf(MethodName.class);
            for (String m : list(value)) {
                out.add(MethodName.fromJsName(m).filter(x -> x == MethodName.PRENET_START || x == MethodName.POSTNET_STOP)
                        .orElseThrow(() -> new IllegalArgumentException("methods=" + value
                                + ": only prenet_start and postnet_stop are optional here")));
            }
            return out;
        }

        ResourceSpec build() {
            return new ResourceSpec(name, type, tier, network, enabled, monitored, deps, mode, retryCount,
                    retryIntervalMs, probeIntervalMs, timeouts, optional, properties);
        }
    }
}
