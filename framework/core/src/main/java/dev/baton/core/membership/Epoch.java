package dev.baton.core.membership;

/**
 * A membership's number: a round plus the node that proposed it, so two coordinators can never
 * produce the same epoch. Ordered by round, then coordinator; printed as {@code round.coordinator}.
 */
public record Epoch(long round, int coordinator) implements Comparable<Epoch> {
    /** Before any membership: every real epoch is newer. */
    public static final Epoch NONE = new Epoch(0, 0);

    @Override
    public int compareTo(Epoch other) {
        int byRound = Long.compare(round, other.round);
        return byRound != 0 ? byRound : Integer.compare(coordinator, other.coordinator);
    }

    public boolean isNewerThan(Epoch other) {
        return compareTo(other) > 0;
    }

    public static Epoch parse(String text) {
        int dot = text.indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("an epoch is written round.coordinator, got '" + text + "'");
        }
        return new Epoch(Long.parseLong(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
    }

    @Override
    public String toString() {
        return round + "." + coordinator;
    }
}
