package dev.baton.core.ccr;

import dev.baton.core.membership.Epoch;

/**
 * A table's version: the epoch that committed it, its generation, and the checksum of its content.
 * Versions compare by epoch, then generation (ARCHITECTURE.md rule 6: never by generation alone);
 * two copies with equal epoch and generation must carry equal checksums, or the repository forked.
 */
public record TableVersion(Epoch epoch, long generation, long checksum) implements Comparable<TableVersion> {
    /**
     * A total order for sets of versions: {@link #compareTo} ranks versions and ignores the
     * checksum, so two different tables' versions of one epoch and generation would collide in a
     * sorted set ordered by it.
     */
    public static final java.util.Comparator<TableVersion> TOTAL_ORDER =
            java.util.Comparator.<TableVersion>naturalOrder().thenComparingLong(TableVersion::checksum);

    /** The version of a table that does not exist yet. */
    public static final TableVersion NONE = new TableVersion(Epoch.NONE, 0, 0);

    @Override
    public int compareTo(TableVersion other) {
        int byEpoch = epoch.compareTo(other.epoch);
        return byEpoch != 0 ? byEpoch : Long.compare(generation, other.generation);
    }

    public boolean isNewerThan(TableVersion other) {
        return compareTo(other) > 0;
    }

    public boolean sameVersionAs(TableVersion other) {
        return compareTo(other) == 0;
    }

    @Override
    public String toString() {
        return epoch + "/" + generation + "/" + Long.toHexString(checksum);
    }
}
