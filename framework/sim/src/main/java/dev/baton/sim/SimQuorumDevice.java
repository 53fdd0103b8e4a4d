package dev.baton.sim;

import dev.baton.core.Input;
import dev.baton.core.membership.Epoch;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A quorum disk with SCSI-3 persistent-reservation semantics: every connected node starts
 * registered; a race on behalf of a membership that still holds a registration preempts (removes)
 * the keys of everyone outside it and registers its members; a membership none of whose nodes is
 * registered loses. A check passes while the node is registered and the last granted race is its
 * epoch's: any later race, even one that registers the node again, ends the old epoch's hold. The disk also keeps the membership that last
 * committed configuration (amnesia protection). Requests are serialized: the device decides.
 */
public final class SimQuorumDevice {
    private final SortedSet<Integer> connected;
    private final SortedSet<Integer> registered;
    private Optional<Input.CommittedRecord> record = Optional.empty();
    private boolean available = true;
    private Optional<Epoch> holder = Optional.empty();

    public SimQuorumDevice(Set<Integer> connected) {
        this.connected = new TreeSet<>(connected);
        this.registered = new TreeSet<>(connected);
    }

    public Input.DeviceRaceResult race(int racer, Epoch epoch, Set<Integer> members) {
        if (!available || !connected.contains(racer)) {
            return new Input.DeviceRaceResult(epoch, Input.RaceOutcome.UNKNOWN, Optional.empty(), Set.of());
        }
        if (members.stream().noneMatch(registered::contains)) {
            return new Input.DeviceRaceResult(epoch, Input.RaceOutcome.LOST, record, Set.of());
        }
        SortedSet<Integer> preempted = new TreeSet<>(registered);
        preempted.removeAll(members);
        registered.clear();
        members.stream().filter(connected::contains).forEach(registered::add);
        holder = Optional.of(epoch);
        return new Input.DeviceRaceResult(epoch, Input.RaceOutcome.WON, record, preempted);
    }

    public boolean isRegistered(int node) {
        return available && registered.contains(node);
    }

    /** Whether {@code node} is registered and the last race the device granted was {@code epoch}'s. */
    public boolean holds(int node, Epoch epoch) {
        return isRegistered(node) && holder.map(epoch::equals).orElse(false);
    }

    public boolean record(int node, Epoch epoch, Set<Integer> members) {
        if (!available || !registered.contains(node)) {
            return false;
        }
        record = Optional.of(new Input.CommittedRecord(epoch, members));
        return true;
    }

    public Optional<Input.CommittedRecord> committedRecord() {
        return record;
    }

    public void setAvailable(boolean available) {
        this.available = available;
    }

    public SortedSet<Integer> registered() {
        return new TreeSet<>(registered);
    }
}
