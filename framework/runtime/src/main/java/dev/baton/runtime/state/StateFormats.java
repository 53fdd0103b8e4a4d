package dev.baton.runtime.state;

import dev.baton.core.ccr.PreparedChange;
import dev.baton.core.ccr.Table;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.membership.Epoch;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How each state file reads and writes (the layout is in package-info). Reading never trusts a
 * table: {@link #readTable} checks its checksum with the core's own {@link Table#verify()}.
 */
final class StateFormats {
    /** The core's table-name rule (CcrReplica): also what keeps a name safe as a file name. */
    static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final String TABLE_COMMENT = "a CCR table; do not edit: the checksum covers name, epoch, generation and content";

    private StateFormats() {
    }

    // ---- promise -----------------------------------------------------------------------------

    static String promise(Epoch promised) {
        return StateText.render("promise", "the highest epoch this node promised; it refuses older ones",
                fields("epoch", promised.toString()), null);
    }

    static Epoch readPromise(byte[] bytes) throws StateFileException {
        return epoch(StateText.parse(bytes, "promise"), "epoch");
    }

    // ---- incarnation -------------------------------------------------------------------------

    static String incarnation(long last) {
        return StateText.render("incarnation", "the last incarnation number this node used; the next is larger",
                fields("last", Long.toString(last)), null);
    }

    static long readIncarnation(byte[] bytes) throws StateFileException {
        return StateText.parse(bytes, "incarnation").longField("last");
    }

    // ---- tables and the prepared change ------------------------------------------------------

    static String table(Table table) {
        return StateText.render("table", TABLE_COMMENT, tableFields(table), table.content());
    }

    static String prepared(PreparedChange change) {
        SequencedMap<String, String> fields = fields("tx", change.txId());
        fields.putAll(tableFields(change.table()));
        return StateText.render("prepared", "a change prepared but not yet applied (two-phase commit)", fields, change.table().content());
    }

    private static SequencedMap<String, String> tableFields(Table table) {
        SequencedMap<String, String> fields = fields("name", table.name());
        fields.put("epoch", table.version().epoch().toString());
        fields.put("generation", Long.toString(table.version().generation()));
        fields.put("checksum", Long.toHexString(table.version().checksum()));
        return fields;
    }

    /** A table from its file, refused unless well formed, named {@code expectedName}, and passing its checksum. */
    static Table readTable(byte[] bytes, String expectedName) throws StateFileException {
        Table table = tableFrom(StateText.parse(bytes, "table"));
        if (!table.name().equals(expectedName)) {
            throw new StateFileException("holds table '" + StateText.abbreviate(table.name()) + "', the file name says '" + expectedName + "'");
        }
        return table;
    }

    static PreparedChange readPrepared(byte[] bytes) throws StateFileException {
        StateText text = StateText.parse(bytes, "prepared");
        return new PreparedChange(text.field("tx"), tableFrom(text));
    }

    private static Table tableFrom(StateText text) throws StateFileException {
        String name = text.field("name");
        TableVersion stored = new TableVersion(epoch(text, "epoch"), text.longField("generation"), hex(text.field("checksum")));
        Table table = new Table(name, stored, text.requireBody());
        if (!table.verify()) {
            long computed = Table.create(name, stored.epoch(), stored.generation(), table.content()).version().checksum();
            throw new StateFileException("checksum mismatch (stored " + Long.toHexString(stored.checksum())
                    + ", computed " + Long.toHexString(computed) + ")");
        }
        return table;
    }

    // ---- versions rolled back for good -------------------------------------------------------

    static String rolledBack(SortedSet<TableVersion> versions) {
        StringBuilder body = new StringBuilder();
        versions.forEach(v -> body.append(v).append('\n'));
        return StateText.render("rolledback", "table versions rolled back for good (epoch/generation/checksum), never to be used",
                fields("versions", Integer.toString(versions.size())), body.toString());
    }

    static SortedSet<TableVersion> readRolledBack(byte[] bytes) throws StateFileException {
        StateText text = StateText.parse(bytes, "rolledback");
        String body = text.requireBody();
        SortedSet<TableVersion> versions = new TreeSet<>(TableVersion.TOTAL_ORDER);
        String[] lines = body.isEmpty() ? new String[0] : body.split("\n");
        for (String line : lines) {
            versions.add(version(line));
        }
        if (versions.size() != text.longField("versions")) {
            throw new StateFileException("the header counts " + text.field("versions") + " versions, the body lists " + versions.size());
        }
        return versions;
    }

    private static TableVersion version(String line) throws StateFileException {
        String[] parts = line.split("/", -1);
        if (parts.length != 3) {
            throw new StateFileException("malformed version '" + StateText.abbreviate(line) + "': expected epoch/generation/checksum");
        }
        try {
            return new TableVersion(Epoch.parse(parts[0]), Long.parseLong(parts[1]), hex(parts[2]));
        } catch (IllegalArgumentException e) {
            throw new StateFileException("malformed version '" + StateText.abbreviate(line) + "': " + e.getMessage());
        }
    }

    // ---- values ------------------------------------------------------------------------------

    private static Epoch epoch(StateText text, String key) throws StateFileException {
        String value = text.field(key);
        try {
            return Epoch.parse(value);
        } catch (IllegalArgumentException e) {
            throw new StateFileException("malformed header: '" + key + "' is not an epoch (round.coordinator): '"
                    + StateText.abbreviate(value) + "'");
        }
    }

    private static long hex(String value) throws StateFileException {
        try {
            return Long.parseUnsignedLong(value, 16);
        } catch (NumberFormatException e) {
            throw new StateFileException("malformed checksum '" + StateText.abbreviate(value) + "': expected hexadecimal");
        }
    }

    private static SequencedMap<String, String> fields(String key, String value) {
        SequencedMap<String, String> fields = new LinkedHashMap<>();
        fields.put(key, value);
        return fields;
    }
}
