package dev.baton.core.ccr;

/**
 * A change a member has durably prepared but not applied: phase one of the two-phase commit.
 * {@code txId} is unique in the cluster (coordinator epoch plus a counter).
 */
public record PreparedChange(String txId, Table table) {
}
