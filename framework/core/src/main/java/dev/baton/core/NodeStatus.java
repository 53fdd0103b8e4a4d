package dev.baton.core;

import dev.baton.core.ccr.Table;
import dev.baton.core.membership.Epoch;
import dev.baton.core.membership.Membership;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * A node's beliefs at one instant. {@code leaseMembers} is the membership under which its lease
 * counts: the installed members, a newer promised membership, and left-out nodes not yet cleared
 * (whose own leases may still run). The simulator's invariant (a) compares these across nodes.
 */
public record NodeStatus(int nodeId, boolean failed, Optional<Membership> installed, Epoch promised,
                         boolean leaseValid, long leaseValidUntilNanos, SortedSet<Integer> leaseMembers,
                         SortedSet<Integer> awaitingClearance, SortedMap<String, Table> tables,
                         boolean ccrSynced, boolean hasState) {
}
