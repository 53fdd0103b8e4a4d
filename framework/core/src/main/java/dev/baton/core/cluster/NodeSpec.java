package dev.baton.core.cluster;

/** One configured node: a small integer id (1..{@link ClusterConfig#MAX_NODE_ID}), a name and its quorum votes. */
public record NodeSpec(int id, String name, int votes) {
    public static NodeSpec of(int id, String name) {
        return new NodeSpec(id, name, 1);
    }
}
