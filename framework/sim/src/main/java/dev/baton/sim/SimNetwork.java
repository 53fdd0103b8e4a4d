package dev.baton.sim;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The simulated paths: for every network and every ordered pair of its nodes, whether frames get
 * through, and with what loss, duplication and delay (random delays reorder frames). Cuts are
 * directional so asymmetric partitions (A hears B, B does not hear A) are one call.
 */
public final class SimNetwork {
    /** How one direction of one path behaves. */
    public record LinkProfile(double lossRate, double duplicateRate, long minDelayMicros, long maxDelayMicros) {
        public static final LinkProfile CLEAN = new LinkProfile(0, 0, 100, 1_000);
    }

    private record Key(String network, int from, int to) {
    }

    private final ClusterConfig config;
    private final Map<Key, Boolean> cut = new HashMap<>();
    private final Map<String, LinkProfile> profiles = new HashMap<>();

    public SimNetwork(ClusterConfig config) {
        this.config = config;
    }

    public void cut(String network, int from, int to) {
        cut.put(new Key(network, from, to), true);
    }

    /** Cuts every path from {@code from} to {@code to}, leaving the other direction alone. */
    public void cutOneWay(int from, int to) {
        for (NetworkSpec network : config.networks().values()) {
            if (network.joins(from) && network.joins(to)) {
                cut(network.name(), from, to);
            }
        }
    }

    public void cutBothWays(int a, int b) {
        cutOneWay(a, b);
        cutOneWay(b, a);
    }

    /** The node's adapter on {@code network} is dead: it neither sends nor receives there. */
    public void cutAdapter(String network, int node) {
        NetworkSpec spec = spec(network);
        for (int peer : spec.nodeIds()) {
            if (peer != node) {
                cut(network, node, peer);
                cut(network, peer, node);
            }
        }
    }

    /** Cuts every IP network of the node, leaving serial and disk paths alive. */
    public void cutIpAdapters(int node) {
        config.networks().values().stream().filter(n -> n.kind().isIp() && n.joins(node))
                .forEach(n -> cutAdapter(n.name(), node));
    }

    public void cutNetwork(String network) {
        NetworkSpec spec = spec(network);
        for (int a : spec.nodeIds()) {
            for (int b : spec.nodeIds()) {
                if (a != b) {
                    cut(network, a, b);
                }
            }
        }
    }

    public void healAll() {
        cut.clear();
    }

    public void setProfile(String network, LinkProfile profile) {
        spec(network);
        profiles.put(network, profile);
    }

    public void resetProfiles() {
        profiles.clear();
    }

    public boolean isUp(String network, int from, int to) {
        NetworkSpec spec = config.networks().get(network);
        return spec != null && spec.joins(from) && spec.joins(to) && !cut.containsKey(new Key(network, from, to));
    }

    public LinkProfile profile(String network) {
        return profiles.getOrDefault(network, LinkProfile.CLEAN);
    }

    /** The path a reliable message takes: the first working one, IP networks first, as the transport would. */
    public String routeFor(int from, int to) {
        List<NetworkSpec> ordered = new ArrayList<>(config.networks().values());
        ordered.sort((a, b) -> Boolean.compare(!a.kind().isIp(), !b.kind().isIp()));
        for (NetworkSpec network : ordered) {
            if (isUp(network.name(), from, to)) {
                return network.name();
            }
        }
        return null;
    }

    /** Delivery delays in nanoseconds for one frame: empty when lost, two entries when duplicated. */
    public long[] deliveryDelays(String network, Random random) {
        LinkProfile p = profile(network);
        if (random.nextDouble() < p.lossRate()) {
            return new long[0];
        }
        long first = delayNanos(p, random);
        if (random.nextDouble() < p.duplicateRate()) {
            return new long[] {first, delayNanos(p, random)};
        }
        return new long[] {first};
    }

    private static long delayNanos(LinkProfile p, Random random) {
        long span = Math.max(0, p.maxDelayMicros() - p.minDelayMicros());
        return (p.minDelayMicros() + (span == 0 ? 0 : (long) (random.nextDouble() * span))) * 1_000L;
    }

    private NetworkSpec spec(String network) {
        NetworkSpec spec = config.networks().get(network);
        if (spec == null) {
            throw new IllegalArgumentException("no network named " + network + "; configured: " + config.networks().keySet());
        }
        return spec;
    }
}
