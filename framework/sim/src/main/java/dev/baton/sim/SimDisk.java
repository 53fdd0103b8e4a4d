package dev.baton.sim;

import dev.baton.core.Input;
import dev.baton.core.ccr.PreparedChange;
import dev.baton.core.ccr.Table;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.membership.Epoch;
import java.util.ArrayList;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A node's local disk as the core's persist effects leave it. It survives daemon crashes, reboots
 * and power fencing; {@link #wipe} models a replaced disk, {@link #corrupt} a damaged table.
 */
public final class SimDisk {
    private Epoch promised = Epoch.NONE;
    private final SortedMap<String, Table> tables = new TreeMap<>();
    private Optional<PreparedChange> prepared = Optional.empty();
    private java.util.Set<TableVersion> rolledBack = java.util.Set.of();

    public void persistPromise(Epoch epoch) {
        if (epoch.isNewerThan(promised)) {
            promised = epoch;
        }
    }

    public void persistTable(Table table) {
        tables.put(table.name(), table);
    }

    public void persistPrepared(Optional<PreparedChange> change) {
        prepared = change;
    }

    public void persistRolledBack(java.util.Set<TableVersion> versions) {
        rolledBack = java.util.Set.copyOf(versions);
    }

    public Input.Boot boot() {
        return new Input.Boot(promised, new ArrayList<>(tables.values()), prepared, rolledBack);
    }

    public void wipe() {
        promised = Epoch.NONE;
        tables.clear();
        prepared = Optional.empty();
        rolledBack = java.util.Set.of();
    }

    /** Flips the stored content of a table without fixing its checksum, as a bad sector would. */
    public boolean corrupt(String name) {
        Table table = tables.get(name);
        if (table == null) {
            return false;
        }
        TableVersion v = table.version();
        tables.put(name, new Table(name, v, table.content() + "\u0000garbage"));
        return true;
    }

    public SortedMap<String, Table> tables() {
        return new TreeMap<>(tables);
    }
}
