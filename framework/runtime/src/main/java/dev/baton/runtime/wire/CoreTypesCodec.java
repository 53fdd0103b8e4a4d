package dev.baton.runtime.wire;

import dev.baton.core.ccr.PreparedChange;
import dev.baton.core.ccr.Table;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.membership.Epoch;
import dev.baton.core.membership.Membership;
import dev.baton.core.rgm.Request;
import dev.baton.core.rgm.ResourceState;
import dev.baton.core.rgm.RgmSnapshot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Encodings of the core's value types that messages and inputs share, and of collections.
 * Sets and maps decode in the order they were written (insertion-ordered, unmodifiable), so a
 * recorded input replays with the iteration order the core first saw.
 */
final class CoreTypesCodec {
    static final int MAX_NODE = ClusterConfig.MAX_NODE_ID;
    /** Smallest encodings, for bounding counts against the bytes that remain. */
    static final int NODE_BYTES = 1;
    static final int LONG_BYTES = 8;
    static final int STRING_MIN_BYTES = 4;
    static final int EPOCH_BYTES = 9;
    static final int VERSION_BYTES = EPOCH_BYTES + 16;
    static final int TABLE_MIN_BYTES = 2 * STRING_MIN_BYTES + VERSION_BYTES;

    /** A decoding step that may meet bad bytes. */
    @FunctionalInterface
    interface Read<T> {
        T read(WireReader r) throws WireFormatException;
    }

    private CoreTypesCodec() {
    }

    // ---- collections --------------------------------------------------------------------------

    static <T> void writeOptional(WireWriter w, Optional<T> value, BiConsumer<WireWriter, T> element) {
        w.bool(value.isPresent());
        value.ifPresent(v -> element.accept(w, v));
    }

    static <T> Optional<T> readOptional(WireReader r, String field, Read<T> element) throws WireFormatException {
        return r.bool(field + " present") ? Optional.of(element.read(r)) : Optional.empty();
    }

    static <T> void writeAll(WireWriter w, String field, Collection<T> items, BiConsumer<WireWriter, T> element) {
        w.list(field, items, item -> element.accept(w, item));
    }

    static <T> List<T> readList(WireReader r, String field, int minElementBytes, int max, Read<T> element) throws WireFormatException {
        int count = r.count(field, minElementBytes, max);
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(element.read(r));
        }
        return Collections.unmodifiableList(out);
    }

    static <T> Set<T> readSet(WireReader r, String field, int minElementBytes, Read<T> element) throws WireFormatException {
        int count = r.count(field, minElementBytes);
        Set<T> out = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            int at = r.position();
            if (!out.add(element.read(r))) {
                throw r.error(at, field + ": duplicate element");
            }
        }
        return Collections.unmodifiableSet(out);
    }

    static <K, V> void writeMap(WireWriter w, String field, Map<K, V> map, BiConsumer<WireWriter, K> key, BiConsumer<WireWriter, V> value) {
        w.map(field, map, (k, v) -> {
            key.accept(w, k);
            value.accept(w, v);
        });
    }

    static <K, V> Map<K, V> readMap(WireReader r, String field, int minEntryBytes, Read<K> key, Read<V> value) throws WireFormatException {
        int count = r.count(field, minEntryBytes);
        Map<K, V> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int at = r.position();
            K k = key.read(r);
            if (out.put(k, value.read(r)) != null) {
                throw r.error(at, field + ": duplicate key " + k);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    static void writeNodes(WireWriter w, String field, Collection<Integer> nodes) {
        w.list(field, nodes, n -> w.node(field, n, 1, MAX_NODE));
    }

    static Set<Integer> readNodes(WireReader r, String field) throws WireFormatException {
        return readSet(r, field, NODE_BYTES, in -> in.node(field, 1, MAX_NODE));
    }

    static void writeNodeLongs(WireWriter w, String field, Map<Integer, Long> map) {
        writeMap(w, field, map, (o, n) -> o.node(field, n, 1, MAX_NODE), WireWriter::i64);
    }

    static Map<Integer, Long> readNodeLongs(WireReader r, String field) throws WireFormatException {
        return readMap(r, field, NODE_BYTES + LONG_BYTES, in -> in.node(field, 1, MAX_NODE), in -> in.i64(field));
    }

    static void writeStrings(WireWriter w, String field, Collection<String> strings) {
        w.list(field, strings, s -> w.string(field, s));
    }

    static Set<String> readStringSet(WireReader r, String field) throws WireFormatException {
        return readSet(r, field, STRING_MIN_BYTES, in -> in.string(field));
    }

    /** Runs a core constructor on decoded fields; what it refuses becomes a format error. */
    static <T> T construct(WireReader r, int at, String type, Supplier<T> constructor) throws WireFormatException {
        try {
            return constructor.get();
        } catch (RuntimeException e) {
            throw r.error(at, type + " refused by its constructor: " + e.getMessage());
        }
    }

    // ---- membership and configuration values -------------------------------------------------

    static void writeEpoch(WireWriter w, String field, Epoch epoch) {
        if (epoch.round() < 0) {
            throw new IllegalArgumentException(field + ": round " + epoch.round() + " is negative");
        }
        w.i64(epoch.round());
        w.node(field + ".coordinator", epoch.coordinator(), 0, MAX_NODE);
    }

    static Epoch readEpoch(WireReader r, String field) throws WireFormatException {
        return new Epoch(r.nonNegative(field + ".round"), r.node(field + ".coordinator", 0, MAX_NODE));
    }

    static void writeVersion(WireWriter w, String field, TableVersion v) {
        writeEpoch(w, field + ".epoch", v.epoch());
        w.i64(v.generation());
        w.i64(v.checksum());
    }

    static TableVersion readVersion(WireReader r, String field) throws WireFormatException {
        return new TableVersion(readEpoch(r, field + ".epoch"), r.i64(field + ".generation"), r.i64(field + ".checksum"));
    }

    static void writeVersions(WireWriter w, String field, Collection<TableVersion> versions) {
        w.list(field, versions, v -> writeVersion(w, field, v));
    }

    static Set<TableVersion> readVersionSet(WireReader r, String field) throws WireFormatException {
        return readSet(r, field, VERSION_BYTES, in -> readVersion(in, field));
    }

    static void writeVersionsByName(WireWriter w, String field, Map<String, TableVersion> map) {
        writeMap(w, field, map, (o, name) -> o.string(field + " key", name), (o, v) -> writeVersion(o, field, v));
    }

    static Map<String, TableVersion> readVersionsByName(WireReader r, String field) throws WireFormatException {
        return readMap(r, field, STRING_MIN_BYTES + VERSION_BYTES, in -> in.string(field + " key"), in -> readVersion(in, field));
    }

    /** The version travels as sent, checksum included: the receiver's {@link Table#verify()} decides. */
    static void writeTable(WireWriter w, String field, Table t) {
        w.string(field + ".name", t.name());
        writeVersion(w, field + ".version", t.version());
        w.string(field + ".content", t.content());
    }

    static Table readTable(WireReader r, String field) throws WireFormatException {
        int at = r.position();
        String name = r.string(field + ".name");
        TableVersion version = readVersion(r, field + ".version");
        String content = r.string(field + ".content");
        if (content.length() > Table.MAX_CONTENT_CHARS) {
            throw r.error(at, field + ".content: " + content.length() + " chars, at most " + Table.MAX_CONTENT_CHARS);
        }
        return construct(r, at, "Table", () -> new Table(name, version, content));
    }

    static void writePrepared(WireWriter w, String field, PreparedChange p) {
        w.string(field + ".txId", p.txId());
        writeTable(w, field + ".table", p.table());
    }

    static PreparedChange readPrepared(WireReader r, String field) throws WireFormatException {
        int at = r.position();
        String txId = r.string(field + ".txId");
        Table table = readTable(r, field + ".table");
        return construct(r, at, "PreparedChange", () -> new PreparedChange(txId, table));
    }

    static void writeMembership(WireWriter w, String field, Membership m) {
        writeEpoch(w, field + ".epoch", m.epoch());
        writeNodes(w, field + ".members", m.members());
        w.bool(m.quorate());
        w.bool(m.holdsDevice());
        w.string(field + ".quorumReason", m.quorumReason());
    }

    static Membership readMembership(WireReader r, String field) throws WireFormatException {
        int at = r.position();
        Epoch epoch = readEpoch(r, field + ".epoch");
        Set<Integer> members = readNodes(r, field + ".members");
        boolean quorate = r.bool(field + ".quorate");
        boolean holdsDevice = r.bool(field + ".holdsDevice");
        String reason = r.string(field + ".quorumReason");
        return construct(r, at, "Membership", () -> new Membership(epoch, new TreeSet<>(members), quorate, holdsDevice, reason));
    }

    // ---- resource group manager values -------------------------------------------------------

    static void writeSnapshot(WireWriter w, RgmSnapshot s) {
        writeAll(w, "RgmSnapshot.states", s.states(), CoreTypesCodec::writeStateEntry);
        w.bool(s.statesTruncated());
        writeAll(w, "RgmSnapshot.failures", s.failures(), CoreTypesCodec::writeFailureEntry);
        writeAll(w, "RgmSnapshot.groups", s.groups(), CoreTypesCodec::writeGroupEntry);
        writeNodeLongs(w, "RgmSnapshot.evacuatedForMs", s.evacuatedForMs());
    }

    static RgmSnapshot readSnapshot(WireReader r) throws WireFormatException {
        int at = r.position();
        List<RgmSnapshot.StateEntry> states = readList(r, "RgmSnapshot.states", STRING_MIN_BYTES + NODE_BYTES + 4,
                RgmSnapshot.MAX_ENTRIES, CoreTypesCodec::readStateEntry);
        boolean truncated = r.bool("RgmSnapshot.statesTruncated");
        List<RgmSnapshot.FailureEntry> failures = readList(r, "RgmSnapshot.failures", 2 * STRING_MIN_BYTES + NODE_BYTES,
                RgmSnapshot.MAX_ENTRIES, CoreTypesCodec::readFailureEntry);
        List<RgmSnapshot.GroupEntry> groups = readList(r, "RgmSnapshot.groups", STRING_MIN_BYTES + 9,
                WireReader.MAX_COUNT, CoreTypesCodec::readGroupEntry);
        Map<Integer, Long> evacuated = readNodeLongs(r, "RgmSnapshot.evacuatedForMs");
        return construct(r, at, "RgmSnapshot", () -> new RgmSnapshot(states, truncated, failures, groups, evacuated));
    }

    private static void writeStateEntry(WireWriter w, RgmSnapshot.StateEntry e) {
        w.string("StateEntry.resource", e.resource());
        w.node("StateEntry.node", e.node(), 1, MAX_NODE);
        w.enumName("StateEntry.state", e.state());
    }

    private static RgmSnapshot.StateEntry readStateEntry(WireReader r) throws WireFormatException {
        return new RgmSnapshot.StateEntry(r.string("StateEntry.resource"), r.node("StateEntry.node", 1, MAX_NODE),
                r.enumName("StateEntry.state", ResourceState.class));
    }

    private static void writeFailureEntry(WireWriter w, RgmSnapshot.FailureEntry e) {
        w.string("FailureEntry.resource", e.resource());
        w.node("FailureEntry.node", e.node(), 1, MAX_NODE);
        w.list("FailureEntry.agesMs", e.agesMs(), w::i64);
    }

    private static RgmSnapshot.FailureEntry readFailureEntry(WireReader r) throws WireFormatException {
        int at = r.position();
        String resource = r.string("FailureEntry.resource");
        int node = r.node("FailureEntry.node", 1, MAX_NODE);
        List<Long> ages = readList(r, "FailureEntry.agesMs", LONG_BYTES, WireReader.MAX_COUNT, in -> in.i64("FailureEntry.agesMs"));
        return construct(r, at, "FailureEntry", () -> new RgmSnapshot.FailureEntry(resource, node, ages));
    }

    /** {@code pinnedNode} is -1 when the group is pinned nowhere. */
    private static void writeGroupEntry(WireWriter w, RgmSnapshot.GroupEntry e) {
        w.string("GroupEntry.group", e.group());
        w.bool(e.wantedOnline());
        w.bool(e.managed());
        w.bool(e.suspended());
        w.node("GroupEntry.pinnedNode", e.pinnedNode(), -1, MAX_NODE);
        w.bool(e.switchoverPending());
        writeNodeLongs(w, "GroupEntry.failedAgesMs", e.failedAgesMs());
    }

    private static RgmSnapshot.GroupEntry readGroupEntry(WireReader r) throws WireFormatException {
        int at = r.position();
        String group = r.string("GroupEntry.group");
        boolean wantedOnline = r.bool("GroupEntry.wantedOnline");
        boolean managed = r.bool("GroupEntry.managed");
        boolean suspended = r.bool("GroupEntry.suspended");
        int pinned = r.node("GroupEntry.pinnedNode", -1, MAX_NODE);
        boolean switchoverPending = r.bool("GroupEntry.switchoverPending");
        Map<Integer, Long> failedAges = readNodeLongs(r, "GroupEntry.failedAgesMs");
        return construct(r, at, "GroupEntry",
                () -> new RgmSnapshot.GroupEntry(group, wantedOnline, managed, suspended, pinned, switchoverPending, failedAges));
    }

    // ---- operator requests: node ids here are what an operator typed; the coordinator validates them

    private static final int ONLINE = 1;
    private static final int OFFLINE = 2;
    private static final int SWITCHOVER = 3;
    private static final int EVACUATE = 4;
    private static final int SUSPEND = 5;
    private static final int RESUME = 6;
    private static final int UNMANAGE = 7;
    private static final int MANAGE = 8;
    private static final int CLEAR = 9;

    static void writeRequest(WireWriter w, Request request) {
        switch (request) {
            case Request.Online q -> group(w, ONLINE, q.group());
            case Request.Offline q -> group(w, OFFLINE, q.group());
            case Request.Switchover q -> {
                group(w, SWITCHOVER, q.group());
                w.i32(q.node());
            }
            case Request.Evacuate q -> {
                w.u8(EVACUATE);
                w.i32(q.node());
                w.i64(q.forMs());
            }
            case Request.Suspend q -> group(w, SUSPEND, q.group());
            case Request.Resume q -> group(w, RESUME, q.group());
            case Request.Unmanage q -> group(w, UNMANAGE, q.group());
            case Request.Manage q -> group(w, MANAGE, q.group());
            case Request.Clear q -> {
                w.u8(CLEAR);
                w.string("Clear.resource", q.resource());
                w.i32(q.node());
            }
        }
    }

    static Request readRequest(WireReader r) throws WireFormatException {
        int at = r.position();
        int tag = r.u8("request type tag");
        return switch (tag) {
            case ONLINE -> new Request.Online(r.string("Online.group"));
            case OFFLINE -> new Request.Offline(r.string("Offline.group"));
            case SWITCHOVER -> new Request.Switchover(r.string("Switchover.group"), r.i32("Switchover.node"));
            case EVACUATE -> new Request.Evacuate(r.i32("Evacuate.node"), r.i64("Evacuate.forMs"));
            case SUSPEND -> new Request.Suspend(r.string("Suspend.group"));
            case RESUME -> new Request.Resume(r.string("Resume.group"));
            case UNMANAGE -> new Request.Unmanage(r.string("Unmanage.group"));
            case MANAGE -> new Request.Manage(r.string("Manage.group"));
            case CLEAR -> new Request.Clear(r.string("Clear.resource"), r.i32("Clear.node"));
            default -> throw r.error(at, "unknown request type tag " + tag);
        };
    }

    private static void group(WireWriter w, int tag, String group) {
        w.u8(tag);
        w.string("group", group);
    }
}
