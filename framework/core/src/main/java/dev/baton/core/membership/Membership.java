package dev.baton.core.membership;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An agreed membership. {@code quorate} says whether it may run anything at all;
 * {@code holdsDevice} whether it won the quorum device's race (its votes count toward leases);
 * {@code quorumReason} says in words why it is or is not quorate.
 */
public record Membership(Epoch epoch, SortedSet<Integer> members, boolean quorate, boolean holdsDevice, String quorumReason) {
    public Membership {
        members = Collections.unmodifiableSortedSet(new TreeSet<>(members));
    }

    public int coordinator() {
        return members.first();
    }

    public boolean contains(int nodeId) {
        return members.contains(nodeId);
    }

    @Override
    public String toString() {
        return "epoch " + epoch + " " + members + (quorate ? " quorate" : " not quorate")
                + (holdsDevice ? " (holds device)" : "") + ": " + quorumReason;
    }
}
