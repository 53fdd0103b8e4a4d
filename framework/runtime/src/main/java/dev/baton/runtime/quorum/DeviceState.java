package dev.baton.runtime.quorum;

import dev.baton.api.spi.QuorumDevice.RaceOutcome;
import dev.baton.core.membership.Epoch;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One cluster's quorum-device state on the server, and the device semantics as pure functions
 * (the same as the simulator's SimQuorumDevice, which the QuorumDevice SPI describes): every
 * connected node starts registered; a race on behalf of a membership that still holds a
 * registration removes everyone else's, registers the members and makes its epoch the holder; a
 * membership with no registered node loses; a node holds the device while registered and the
 * holder is its epoch; only a registered node may record the committing membership.
 *
 * <p>Immutable: the server computes the next state, stores it durably, and only then answers and
 * adopts it, so a failed write changes nothing.
 *
 * @param floors per node, the newest (incarnation, sequence) of a frame the server accepted
 *               from it; stored with every race and record so a frame recorded on the network
 *               cannot be replayed after the server restarts (its in-memory replay windows are gone)
 */
record DeviceState(SortedSet<Integer> connected, SortedSet<Integer> registered, Optional<Epoch> holder,
                   Optional<Committed> committed, SortedMap<Integer, Floor> floors) {

    DeviceState {
        connected = Collections.unmodifiableSortedSet(new TreeSet<>(connected));
        registered = Collections.unmodifiableSortedSet(new TreeSet<>(registered));
        floors = Collections.unmodifiableSortedMap(new TreeMap<>(floors));
    }

    /** The membership that last committed configuration (amnesia protection). */
    record Committed(Epoch epoch, SortedSet<Integer> members) {
        Committed {
            members = Collections.unmodifiableSortedSet(new TreeSet<>(members));
        }
    }

    /** A frame's place in its sender's order: incarnation first, then sequence number. */
    record Floor(long incarnation, long seq) implements Comparable<Floor> {
        @Override
        public int compareTo(Floor other) {
            int byIncarnation = Long.compare(incarnation, other.incarnation);
            return byIncarnation != 0 ? byIncarnation : Long.compare(seq, other.seq);
        }
    }

    /** What a race decided and the state after it. */
    record Raced(DeviceState next, RaceOutcome outcome, SortedSet<Integer> preempted) {
    }

    /** A device nobody has raced for: every connected node is registered. */
    static DeviceState fresh(Set<Integer> connected) {
        return new DeviceState(new TreeSet<>(connected), new TreeSet<>(connected), Optional.empty(), Optional.empty(), new TreeMap<>());
    }

    /**
     * Follows a change of the configured connected nodes: a node no longer connected loses its
     * registration; a newly connected one starts unregistered (it is registered by the next race
     * its membership wins), so a configuration change can never give a preempted node its key back.
     */
    DeviceState withConnected(Set<Integer> nowConnected) {
        if (connected.equals(nowConnected)) {
            return this;
        }
        SortedSet<Integer> kept = new TreeSet<>(registered);
        kept.retainAll(nowConnected);
        return new DeviceState(new TreeSet<>(nowConnected), kept, holder, committed, floors);
    }

    Raced race(int racer, Epoch epoch, Set<Integer> members) {
        if (!connected.contains(racer)) {
            return new Raced(this, RaceOutcome.UNKNOWN, new TreeSet<>());
        }
        if (members.stream().noneMatch(registered::contains)) {
            return new Raced(this, RaceOutcome.LOST, new TreeSet<>());
        }
        SortedSet<Integer> preempted = new TreeSet<>(registered);
        preempted.removeAll(members);
        SortedSet<Integer> nowRegistered = new TreeSet<>(members);
        nowRegistered.retainAll(connected);
        return new Raced(new DeviceState(connected, nowRegistered, Optional.of(epoch), committed, floors), RaceOutcome.WON, preempted);
    }

    boolean holds(int node, Epoch epoch) {
        return registered.contains(node) && holder.map(epoch::equals).orElse(false);
    }

    /** The state with the committing membership recorded, or empty when {@code node} may not record (not registered). */
    Optional<DeviceState> record(int node, Epoch epoch, Set<Integer> members) {
        if (!registered.contains(node)) {
            return Optional.empty();
        }
        return Optional.of(new DeviceState(connected, registered, holder, Optional.of(new Committed(epoch, new TreeSet<>(members))), floors));
    }

    /** Whether a frame from {@code node} at {@code floor} is newer than every one accepted from it before. */
    boolean isNewer(int node, Floor floor) {
        Floor last = floors.get(node);
        return last == null || floor.compareTo(last) > 0;
    }

    DeviceState withFloor(int node, Floor floor) {
        SortedMap<Integer, Floor> next = new TreeMap<>(floors);
        next.put(node, floor);
        return new DeviceState(connected, registered, holder, committed, next);
    }
}
