package dev.baton.runtime.descriptor;

import dev.baton.runtime.plugin.SourceProblem;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Problems found in one descriptor file, and the line of every element seen, by dotted path. */
final class Problems {
    private final String file;
    private final List<SourceProblem> list = new ArrayList<>();
    private final Map<String, Integer> lines = new HashMap<>();

    Problems(String file) {
        this.file = file;
    }

    void add(int line, String message) {
        list.add(new SourceProblem(file, line, message));
    }

    void recordLine(String path, int line) {
        lines.putIfAbsent(path, line);
    }

    /** The line of the element at {@code path}, or of its nearest recorded ancestor; 0 if none. */
    int lineOfPath(String path) {
        return result(null).lineOf(path);
    }

    DescriptorParser.Result result(dev.baton.api.type.ResourceTypeDescriptor descriptor) {
        return new DescriptorParser.Result(descriptor, descriptor == null ? List.copyOf(list) : List.of(), Map.copyOf(lines));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<SourceProblem> list() {
        return List.copyOf(list);
    }

    static int lineOf(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
