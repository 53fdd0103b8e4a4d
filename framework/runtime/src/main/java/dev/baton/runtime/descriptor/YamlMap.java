package dev.baton.runtime.descriptor;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML mapping read for a descriptor: keys in order with their lines, duplicates and unknown
 * keys reported, scalars read with type checks. Problems go to the shared {@link Problems}.
 */
final class YamlMap {
    private final String path;
    private final Problems problems;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final int nodeLine;

    YamlMap(MappingNode node, String path, Problems problems) {
        this.path = path;
        this.problems = problems;
        this.nodeLine = Problems.lineOf(node);
        for (NodeTuple t : node.getValue()) {
            addEntry(t);
        }
    }

    private void addEntry(NodeTuple t) {
        int line = Problems.lineOf(t.getKeyNode());
        if (!(t.getKeyNode() instanceof ScalarNode key)) {
            problems.add(line, at("") + "keys must be plain names");
            return;
        }
        String name = key.getValue();
        if (entries.containsKey(name)) {
            problems.add(line, at(name) + "duplicate key (first at line "
                    + Problems.lineOf(entries.get(name).getKeyNode()) + ")");
            return;
        }
        entries.put(name, t);
        problems.recordLine(child(name), line);
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    String at(String key) {
        String p = key.isEmpty() ? path : child(key);
        return p.isEmpty() ? "" : p + ": ";
    }

    Set<String> keys() {
        return entries.keySet();
    }

    int line(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? 0 : Problems.lineOf(t.getKeyNode());
    }

    Node value(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    /** Reports every key outside {@code allowed}, naming the allowed ones. */
    void rejectUnknown(List<String> allowed) {
        for (String k : entries.keySet()) {
            if (!allowed.contains(k)) {
                problems.add(line(k), at(k) + "unknown key (allowed here: " + String.join(", ", allowed) + ")");
            }
        }
    }

    /** A scalar's text; null (and a problem when required) if absent or not a scalar. */
    String scalar(String key, boolean required) {
        Node v = value(key);
        if (v == null) {
            if (required) {
                problems.add(nodeLine, at(key) + "missing");
            }
            return null;
        }
        if (!(v instanceof ScalarNode s)) {
            problems.add(line(key), at(key) + "expected a single value, not a " + kind(v));
            return null;
        }
        return s.getValue();
    }

    /** A scalar, or a sequence of scalars joined with commas (for string_list defaults). */
    String scalarOrList(String key) {
        Node v = value(key);
        if (v instanceof SequenceNode) {
            List<String> items = scalarList(key);
            return items == null ? null : String.join(",", items);
        }
        return scalar(key, false);
    }

    List<String> scalarList(String key) {
        Node v = value(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof SequenceNode seq)) {
            problems.add(line(key), at(key) + "expected a list such as [a, b], not a " + kind(v));
            return null;
        }
        List<String> items = new ArrayList<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof ScalarNode s)) {
                problems.add(Problems.lineOf(item), at(key) + "list items must be single values");
                return null;
            }
            items.add(s.getValue());
        }
        return items;
    }

    Boolean bool(String key) {
        String text = scalar(key, false);
        if (text == null) {
            return null;
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        problems.add(line(key), at(key) + "'" + text + "' is not true or false");
        return null;
    }

    /** The nested mapping under {@code key}; null (and a problem if present but not a mapping) otherwise. */
    YamlMap map(String key) {
        Node v = value(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof MappingNode m)) {
            problems.add(line(key), at(key) + "expected a mapping (key: value lines), not a " + kind(v));
            return null;
        }
        return new YamlMap(m, child(key), problems);
    }

    static String kind(Node n) {
        return switch (n.getNodeId()) {
            case scalar -> "single value";
            case sequence -> "list";
            case mapping -> "mapping";
            default -> n.getNodeId().name();
        };
    }
}
