package dev.baton.core.rgm;

import dev.baton.api.type.MethodName;
import java.util.Objects;

/**
 * One step of a transition graph: run {@code method} of {@code resource} on {@code node}, fence
 * {@code node}, ask {@code node} to halt, or a pseudo step that only joins orderings ("web is down on node 1").
 *
 * @param index    position in its graph
 * @param resource global resource index, -1 for fence and pseudo steps
 * @param text     what it is, for people: "start web on node 2"
 */
public record Action(int index, Kind kind, int node, int resource, MethodName method, String text) {
    public Action {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }

    /** METHOD: run a method; FENCE: power-fence the node; HALT: tell the node to fail fast; PSEUDO: join orderings. */
    public enum Kind { METHOD, FENCE, HALT, PSEUDO }

    public boolean isPseudo() {
        return kind == Kind.PSEUDO;
    }
}
