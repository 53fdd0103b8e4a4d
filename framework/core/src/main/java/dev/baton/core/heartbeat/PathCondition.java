package dev.baton.core.heartbeat;

import java.util.Comparator;
import java.util.Objects;

/**
 * A heartbeat-path failure as one node sees it, told apart the way HACMP does: an adapter, a whole
 * network, a node's IP side, or the whole node. Only {@link NodeUnreachable} means the node may be
 * gone; the others say which paths to stop using while the node itself stays a member.
 *
 * <p>{@link #ORDER} sorts causes before consequences (networks, then adapters, then nodes), then by
 * node id and network name, so a set of conditions always iterates the same way.
 */
public sealed interface PathCondition {

    Comparator<PathCondition> ORDER = Comparator.comparingInt(PathCondition::rank)
            .thenComparingInt(PathCondition::nodeOrZero)
            .thenComparing(PathCondition::networkOrEmpty);

    /** No two nodes of the network hear each other on it, though at least two of them are alive. */
    record NetworkDown(String network) implements PathCondition {
        public NetworkDown {
            Objects.requireNonNull(network, "network");
        }

        @Override
        public String toString() {
            return "network " + network + " down";
        }
    }

    /** This node's adapter on the network hears nobody, while other nodes hear each other on it. */
    record LocalAdapterDown(String network) implements PathCondition {
        public LocalAdapterDown {
            Objects.requireNonNull(network, "network");
        }

        @Override
        public String toString() {
            return "local adapter on " + network + " down";
        }
    }

    /** The node is alive, nobody hears it on the network, and the network works for other nodes. */
    record RemoteAdapterDown(int node, String network) implements PathCondition {
        public RemoteAdapterDown {
            Objects.requireNonNull(network, "network");
        }

        @Override
        public String toString() {
            return "node " + node + " adapter on " + network + " down";
        }
    }

    /** The node is heard only on serial or disk paths: it is alive, so it is not failed over. */
    record NodeIpDown(int node) implements PathCondition {
        @Override
        public String toString() {
            return "node " + node + " heard only on non-IP paths: its IP networks are down";
        }
    }

    /** The node is heard on no path at all. */
    record NodeUnreachable(int node) implements PathCondition {
        @Override
        public String toString() {
            return "node " + node + " unreachable";
        }
    }

    private static int rank(PathCondition condition) {
        return switch (condition) {
            case NetworkDown c -> 0;
            case LocalAdapterDown c -> 1;
            case RemoteAdapterDown c -> 2;
            case NodeIpDown c -> 3;
            case NodeUnreachable c -> 4;
        };
    }

    private static int nodeOrZero(PathCondition condition) {
        return switch (condition) {
            case RemoteAdapterDown c -> c.node();
            case NodeIpDown c -> c.node();
            case NodeUnreachable c -> c.node();
            case NetworkDown c -> 0;
            case LocalAdapterDown c -> 0;
        };
    }

    private static String networkOrEmpty(PathCondition condition) {
        return switch (condition) {
            case NetworkDown c -> c.network();
            case LocalAdapterDown c -> c.network();
            case RemoteAdapterDown c -> c.network();
            case NodeIpDown c -> "";
            case NodeUnreachable c -> "";
        };
    }
}
