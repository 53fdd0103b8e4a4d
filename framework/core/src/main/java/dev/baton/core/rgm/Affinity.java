package dev.baton.core.rgm;

import java.util.Objects;

/**
 * A group's wish about where another group runs (Sun Cluster's RG_affinities). Strong affinities
 * are constraints, weak ones preferences that rank above the Nodelist order.
 */
public record Affinity(Kind kind, String group) {
    public Affinity {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(group, "group");
    }

    public enum Kind {
        /** {@code ++}: only on a node where the target group is online; offline while it is offline. */
        STRONG_POSITIVE("++"),
        /** {@code +}: prefer nodes where the target group is online. */
        WEAK_POSITIVE("+"),
        /** {@code -}: prefer nodes where the target group is not online. */
        WEAK_NEGATIVE("-"),
        /** {@code --}: never on a node where the target group is online. */
        STRONG_NEGATIVE("--");

        private final String symbol;

        Kind(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** Parses {@code ++db}, {@code -web}. */
    public static Affinity parse(String text) {
        for (Kind k : new Kind[] {Kind.STRONG_POSITIVE, Kind.STRONG_NEGATIVE, Kind.WEAK_POSITIVE, Kind.WEAK_NEGATIVE}) {
            if (text.startsWith(k.symbol) && text.length() > k.symbol.length()
                    && Character.isLetterOrDigit(text.charAt(k.symbol.length()))) {
                return new Affinity(k, text.substring(k.symbol.length()));
            }
        }
        throw new IllegalArgumentException("affinity '" + text + "' must be ++group, +group, -group or --group");
    }

    @Override
    public String toString() {
        return kind.symbol + group;
    }
}
