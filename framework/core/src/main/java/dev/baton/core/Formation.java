package dev.baton.core;

import dev.baton.core.ccr.CcrReplica;
import dev.baton.core.ccr.PreparedChange;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.membership.Epoch;
import dev.baton.core.membership.Membership;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a coordinator decides once every proposed member accepted (and the device race or the
 * two-node fence, if any, is done): whether the membership is quorate and why, how long members
 * must wait for each node left out, and the configuration repository's recovery. A pure function
 * of the accepts and the configuration; {@link NodeCore} sends the result as a Commit.
 */
final class Formation {
    private final ClusterConfig config;
    private final Epoch epoch;
    private final SortedSet<Integer> members;
    private final SortedMap<Integer, Message.Accept> accepts;
    private final Set<Integer> alreadyPending;
    private final boolean overrideAmnesia;
    private final boolean seenPeerSinceBoot;

    Formation(ClusterConfig config, Epoch epoch, SortedSet<Integer> members, SortedMap<Integer, Message.Accept> accepts,
              Set<Integer> alreadyPending, boolean overrideAmnesia, boolean seenPeerSinceBoot) {
        this.config = config;
        this.epoch = epoch;
        this.members = members;
        this.accepts = accepts;
        this.alreadyPending = alreadyPending;
        this.overrideAmnesia = overrideAmnesia;
        this.seenPeerSinceBoot = seenPeerSinceBoot;
    }

    Membership decideQuorum(Optional<Input.DeviceRaceResult> race, boolean fencedPeer) {
        boolean won = race.map(r -> r.outcome() == Input.RaceOutcome.WON).orElse(false);
        SortedSet<Integer> stateful = new TreeSet<>();
        accepts.forEach((node, accept) -> {
            if (accept.hasState() || overrideAmnesia) {
                stateful.add(node);
            }
        });
        String amnesia = amnesiaRefusal(race, stateful);
        int votes = config.votesOf(stateful) + (won ? config.deviceVotes() : 0);
        String tally = votes + " of " + config.totalVotes() + " votes" + (won ? " with the quorum device" : "")
                + (stateful.size() < members.size() ? " (nodes without configuration do not count: " + without(members, stateful) + ")" : "");
        if (amnesia != null) {
            return new Membership(epoch, members, false, won, amnesia);
        }
        if (config.twoNodeMode() && members.size() == 1) {
            return twoNodeAlone(members, fencedPeer && !stateful.isEmpty());
        }
        boolean quorate = config.isQuorate(stateful, won);
        String raceNote = race.map(r -> r.outcome() == Input.RaceOutcome.WON ? "" : "; the device race was " + r.outcome()).orElse("");
        return new Membership(epoch, members, quorate, won, (quorate ? "" : "not a majority: ") + tally + raceNote);
    }

    /**
     * Two-node mode: alone, a node is quorate only once it fenced its peer, and it tries that only
     * after seeing the peer once since it booted (corosync's wait_for_all), or two nodes that
     * boot apart would fence each other in turn.
     */
    private Membership twoNodeAlone(SortedSet<Integer> members, boolean fenced) {
        String reason = fenced ? "two-node mode: the peer was power-fenced"
                : seenPeerSinceBoot ? "two-node mode: alone, and the peer is not fenced"
                : "two-node mode: alone, and the peer was not seen since this node booted (wait for all)";
        return new Membership(epoch, members, fenced, false, reason);
    }

    private static SortedSet<Integer> without(Set<Integer> all, Set<Integer> some) {
        SortedSet<Integer> rest = new TreeSet<>(all);
        rest.removeAll(some);
        return rest;
    }

    /** Amnesia protection: the device names the membership that last committed; one of it must be here with its configuration. */
    private String amnesiaRefusal(Optional<Input.DeviceRaceResult> race, Set<Integer> stateful) {
        Optional<Input.CommittedRecord> record = race.flatMap(Input.DeviceRaceResult::lastCommitted);
        if (record.isEmpty() || overrideAmnesia) {
            return null;
        }
        boolean present = record.get().members().stream().anyMatch(stateful::contains);
        return present ? null : "amnesia protection: none of " + new TreeSet<>(record.get().members())
                + ", the membership that last committed configuration (epoch " + record.get().epoch()
                + "), is present with its configuration; wait for one of them or override";
    }

    /**
     * For each node left out: how long members must wait before it surely runs nothing. The wait
     * counts from each accepting member's last acknowledgement to it (rule 2). After a won device
     * race, every other node connected to the device is waited out from now: one may have renewed
     * on the device's votes alone until its key was removed, by this race or by an earlier one
     * whose coordinator died before anyone learnt of it. A node power fencing covers waits for
     * its fence only.
     */
    SortedMap<Integer, Long> clearanceWaits(boolean won, boolean fencedPeer) {
        SortedMap<Integer, Long> waits = new TreeMap<>();
        long clearanceMs = config.timing().clearanceMs();
        accepts.values().forEach(a -> a.ackAgeMs().forEach((node, ageMs) -> {
            if (!members.contains(node)) {
                waits.merge(node, Math.max(0, clearanceMs - ageMs), Math::max);
            }
        }));
        accepts.values().forEach(a -> a.pendingClearanceMs().forEach((node, remainingMs) -> {
            if (!members.contains(node)) {
                waits.merge(node, remainingMs == Message.Commit.FENCE_REQUIRED ? Long.MAX_VALUE : remainingMs, Math::max);
            }
        }));
        waits.replaceAll((node, ms) -> ms == Long.MAX_VALUE ? Message.Commit.FENCE_REQUIRED : ms);
        if (won) {
            config.quorumDevice().get().connectedNodeIds().stream()
                    .filter(node -> !members.contains(node))
                    .forEach(node -> waits.merge(node, clearanceMs, Math::max));
        }
        for (int node : config.nodeIds()) {
            boolean wasInPlay = waits.containsKey(node) || alreadyPending.contains(node);
            if (!members.contains(node) && wasInPlay && powerFenced(node)) {
                waits.put(node, Message.Commit.FENCE_REQUIRED);
            }
        }
        if (fencedPeer) {
            waits.clear();
        }
        return waits;
    }

    private boolean powerFenced(int node) {
        return config.fencing().map(f -> f.powerFences(node)).orElse(false);
    }

    /** The configuration repository's recovery decision from every accepter's state. */
    CcrReplica.Recovery recovery() {
        return CcrReplica.recover(versionsByNode(), preparedByNode(), rolledBackByNode());
    }

    private SortedMap<Integer, Map<String, TableVersion>> versionsByNode() {
        SortedMap<Integer, Map<String, TableVersion>> versions = new TreeMap<>();
        accepts.forEach((node, a) -> versions.put(node, a.tables()));
        return versions;
    }

    private SortedMap<Integer, Set<TableVersion>> rolledBackByNode() {
        SortedMap<Integer, Set<TableVersion>> rolledBack = new TreeMap<>();
        accepts.forEach((node, a) -> rolledBack.put(node, a.rolledBack()));
        return rolledBack;
    }

    private SortedMap<Integer, Optional<PreparedChange>> preparedByNode() {
        SortedMap<Integer, Optional<PreparedChange>> prepared = new TreeMap<>();
        accepts.forEach((node, a) -> prepared.put(node, a.prepared()));
        return prepared;
    }
}
