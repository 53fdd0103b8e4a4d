package dev.baton.runtime.quorum;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.runtime.state.StateFileException;
import dev.baton.runtime.state.StateText;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Node-id sets as text, {@code 1,2,3} (empty: no nodes), each id in 1..{@link ClusterConfig#MAX_NODE_ID}. */
final class NodeSets {
    private NodeSets() {
    }

    static String format(Collection<Integer> nodes) {
        return nodes.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
    }

    static SortedSet<Integer> parse(String text, String what) throws StateFileException {
        SortedSet<Integer> nodes = new TreeSet<>();
        if (text.isEmpty()) {
            return nodes;
        }
        for (String part : text.split(",", -1)) {
            nodes.add(nodeId(part, what));
        }
        return nodes;
    }

    static int nodeId(String text, String what) throws StateFileException {
        try {
            int id = Integer.parseInt(text);
            if (id >= 1 && id <= ClusterConfig.MAX_NODE_ID) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below with the same words as an id out of range
        }
        throw new StateFileException(what + ": '" + StateText.abbreviate(text) + "' is not a node id (1.." + ClusterConfig.MAX_NODE_ID + ")");
    }
}
