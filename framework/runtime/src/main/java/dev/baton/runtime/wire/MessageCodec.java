package dev.baton.runtime.wire;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.core.Message;
import dev.baton.core.ccr.PreparedChange;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.membership.Epoch;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.baton.runtime.wire.CoreTypesCodec.MAX_NODE;
import static dev.baton.runtime.wire.CoreTypesCodec.NODE_BYTES;
import static dev.baton.runtime.wire.CoreTypesCodec.STRING_MIN_BYTES;
import static dev.baton.runtime.wire.CoreTypesCodec.readEpoch;
import static dev.baton.runtime.wire.CoreTypesCodec.readMap;
import static dev.baton.runtime.wire.CoreTypesCodec.readNodeLongs;
import static dev.baton.runtime.wire.CoreTypesCodec.readNodes;
import static dev.baton.runtime.wire.CoreTypesCodec.readStringSet;
import static dev.baton.runtime.wire.CoreTypesCodec.readVersionSet;
import static dev.baton.runtime.wire.CoreTypesCodec.readVersionsByName;
import static dev.baton.runtime.wire.CoreTypesCodec.writeEpoch;
import static dev.baton.runtime.wire.CoreTypesCodec.writeMap;
import static dev.baton.runtime.wire.CoreTypesCodec.writeNodeLongs;
import static dev.baton.runtime.wire.CoreTypesCodec.writeNodes;
import static dev.baton.runtime.wire.CoreTypesCodec.writeStrings;
import static dev.baton.runtime.wire.CoreTypesCodec.writeVersions;
import static dev.baton.runtime.wire.CoreTypesCodec.writeVersionsByName;

/**
 * The binary form of every {@link Message}: a format version byte, a type tag, the sender's node
 * id, then the record's fields in declaration order (package-info describes the encoding). Written
 * by hand, without reflection or Java serialization, so the format is exactly what is here, and
 * every count and length is checked before anything is allocated.
 */
public final class MessageCodec {
    public static final int MAX_MESSAGE_BYTES = 1 << 20;

    private static final int HEARTBEAT = 1;
    private static final int PROPOSE = 2;
    private static final int ACCEPT = 3;
    private static final int REJECT = 4;
    private static final int COMMIT = 5;
    private static final int CLEARED = 6;
    private static final int PREPARE = 7;
    private static final int PREPARED = 8;
    private static final int COMMIT_CHANGE = 9;
    private static final int APPLIED = 10;
    private static final int ABORT_CHANGE = 11;
    private static final int TABLE_REQUEST = 12;
    private static final int TABLE_REPLY = 13;
    private static final int RGM_ACTION = 14;
    private static final int RGM_RESULT = 15;
    private static final int RGM_MONITOR = 16;
    private static final int RGM_STATUS = 17;
    private static final int RGM_HALT = 18;
    private static final int RGM_HELLO = 19;
    private static final int RGM_REQUEST = 20;
    private static final int RGM_REPLY = 21;

    private MessageCodec() {
    }

    /** Throws IllegalArgumentException for a message the format cannot carry (a node id out of range, a null, too large). */
    public static byte[] encode(Message m) {
        return WireWriter.whole(m.getClass().getSimpleName(), MAX_MESSAGE_BYTES, w -> write(w, m));
    }

    public static Message decode(byte[] b) throws WireFormatException {
        return WireReader.whole(b, "message", MAX_MESSAGE_BYTES, MessageCodec::read);
    }

    /** Tag, sender, fields: also how {@link InputCodec} embeds a received message. */
    static void write(WireWriter w, Message m) {
        w.u8(tagOf(m));
        w.node("from", m.from(), 1, MAX_NODE);
        switch (m) {
            case Message.Heartbeat h -> writeHeartbeat(w, h);
            case Message.Propose p -> {
                writeEpoch(w, "Propose.epoch", p.epoch());
                writeNodes(w, "Propose.members", p.members());
            }
            case Message.Accept a -> writeAccept(w, a);
            case Message.Reject j -> {
                writeEpoch(w, "Reject.epoch", j.epoch());
                writeEpoch(w, "Reject.promised", j.promised());
                w.string("Reject.reason", j.reason());
            }
            case Message.Commit c -> writeCommit(w, c);
            case Message.Cleared c -> {
                writeEpoch(w, "Cleared.epoch", c.epoch());
                w.node("Cleared.node", c.node(), 1, MAX_NODE);
            }
            case Message.Prepare p -> {
                writeEpoch(w, "Prepare.epoch", p.epoch());
                CoreTypesCodec.writePrepared(w, "Prepare.change", p.change());
                CoreTypesCodec.writeVersion(w, "Prepare.base", p.base());
            }
            case Message.Prepared p -> {
                writeEpochAndTx(w, "Prepared", p.epoch(), p.txId());
                w.bool(p.ok());
                w.string("Prepared.reason", p.reason());
            }
            case Message.CommitChange c -> writeEpochAndTx(w, "CommitChange", c.epoch(), c.txId());
            case Message.Applied a -> writeEpochAndTx(w, "Applied", a.epoch(), a.txId());
            case Message.AbortChange a -> writeEpochAndTx(w, "AbortChange", a.epoch(), a.txId());
            case Message.TableRequest t -> w.string("TableRequest.name", t.name());
            case Message.TableReply t -> CoreTypesCodec.writeTable(w, "TableReply.table", t.table());
            case Message.RgmAction a -> writeRgmAction(w, a);
            case Message.RgmResult res -> writeRgmResult(w, res);
            case Message.RgmMonitor mon -> {
                writeEpoch(w, "RgmMonitor.epoch", mon.epoch());
                w.string("RgmMonitor.resource", mon.resource());
                w.enumName("RgmMonitor.code", mon.code());
                w.string("RgmMonitor.message", mon.message());
            }
            case Message.RgmStatus s -> {
                writeEpoch(w, "RgmStatus.epoch", s.epoch());
                CoreTypesCodec.writeSnapshot(w, s.snapshot());
            }
            case Message.RgmHalt h -> {
                writeEpoch(w, "RgmHalt.epoch", h.epoch());
                w.string("RgmHalt.reason", h.reason());
            }
            case Message.RgmHello h -> writeEpoch(w, "RgmHello.epoch", h.epoch());
            case Message.RgmRequest q -> {
                w.i64(q.requestId());
                CoreTypesCodec.writeRequest(w, q.request());
            }
            case Message.RgmReply q -> {
                w.i64(q.requestId());
                CoreTypesCodec.writeOptional(w, q.refusal(), (o, text) -> o.string("RgmReply.refusal", text));
            }
        }
    }

    static Message read(WireReader r) throws WireFormatException {
        int at = r.position();
        int tag = r.u8("message type tag");
        int from = r.node("from", 1, MAX_NODE);
        return switch (tag) {
            case HEARTBEAT -> readHeartbeat(r, from);
            case PROPOSE -> new Message.Propose(from, readEpoch(r, "Propose.epoch"), readNodes(r, "Propose.members"));
            case ACCEPT -> readAccept(r, from);
            case REJECT -> new Message.Reject(from, readEpoch(r, "Reject.epoch"), readEpoch(r, "Reject.promised"),
                    r.string("Reject.reason"));
            case COMMIT -> readCommit(r, from);
            case CLEARED -> new Message.Cleared(from, readEpoch(r, "Cleared.epoch"), r.node("Cleared.node", 1, MAX_NODE));
            case PREPARE -> new Message.Prepare(from, readEpoch(r, "Prepare.epoch"),
                    CoreTypesCodec.readPrepared(r, "Prepare.change"), CoreTypesCodec.readVersion(r, "Prepare.base"));
            case PREPARED -> new Message.Prepared(from, readEpoch(r, "Prepared.epoch"), r.string("Prepared.txId"),
                    r.bool("Prepared.ok"), r.string("Prepared.reason"));
            case COMMIT_CHANGE -> new Message.CommitChange(from, readEpoch(r, "CommitChange.epoch"), r.string("CommitChange.txId"));
            case APPLIED -> new Message.Applied(from, readEpoch(r, "Applied.epoch"), r.string("Applied.txId"));
            case ABORT_CHANGE -> new Message.AbortChange(from, readEpoch(r, "AbortChange.epoch"), r.string("AbortChange.txId"));
            case TABLE_REQUEST -> new Message.TableRequest(from, r.string("TableRequest.name"));
            case TABLE_REPLY -> new Message.TableReply(from, CoreTypesCodec.readTable(r, "TableReply.table"));
            case RGM_ACTION -> new Message.RgmAction(from, readEpoch(r, "RgmAction.epoch"), r.i64("RgmAction.actionId"),
                    r.string("RgmAction.resource"), r.enumName("RgmAction.method", MethodName.class));
            case RGM_RESULT -> new Message.RgmResult(from, readEpoch(r, "RgmResult.epoch"), r.i64("RgmResult.actionId"),
                    r.enumName("RgmResult.code", ResultCode.class), r.bool("RgmResult.refused"), r.string("RgmResult.message"));
            case RGM_MONITOR -> new Message.RgmMonitor(from, readEpoch(r, "RgmMonitor.epoch"), r.string("RgmMonitor.resource"),
                    r.enumName("RgmMonitor.code", ResultCode.class), r.string("RgmMonitor.message"));
            case RGM_STATUS -> new Message.RgmStatus(from, readEpoch(r, "RgmStatus.epoch"), CoreTypesCodec.readSnapshot(r));
            case RGM_HALT -> new Message.RgmHalt(from, readEpoch(r, "RgmHalt.epoch"), r.string("RgmHalt.reason"));
            case RGM_HELLO -> new Message.RgmHello(from, readEpoch(r, "RgmHello.epoch"));
            case RGM_REQUEST -> new Message.RgmRequest(from, r.i64("RgmRequest.requestId"), CoreTypesCodec.readRequest(r));
            case RGM_REPLY -> new Message.RgmReply(from, r.i64("RgmReply.requestId"),
                    CoreTypesCodec.readOptional(r, "RgmReply.refusal", in -> in.string("RgmReply.refusal")));
            default -> throw r.error(at, "unknown message type tag " + tag);
        };
    }

    private static int tagOf(Message m) {
        return switch (m) {
            case Message.Heartbeat x -> HEARTBEAT;
            case Message.Propose x -> PROPOSE;
            case Message.Accept x -> ACCEPT;
            case Message.Reject x -> REJECT;
            case Message.Commit x -> COMMIT;
            case Message.Cleared x -> CLEARED;
            case Message.Prepare x -> PREPARE;
            case Message.Prepared x -> PREPARED;
            case Message.CommitChange x -> COMMIT_CHANGE;
            case Message.Applied x -> APPLIED;
            case Message.AbortChange x -> ABORT_CHANGE;
            case Message.TableRequest x -> TABLE_REQUEST;
            case Message.TableReply x -> TABLE_REPLY;
            case Message.RgmAction x -> RGM_ACTION;
            case Message.RgmResult x -> RGM_RESULT;
            case Message.RgmMonitor x -> RGM_MONITOR;
            case Message.RgmStatus x -> RGM_STATUS;
            case Message.RgmHalt x -> RGM_HALT;
            case Message.RgmHello x -> RGM_HELLO;
            case Message.RgmRequest x -> RGM_REQUEST;
            case Message.RgmReply x -> RGM_REPLY;
        };
    }

    private static void writeEpochAndTx(WireWriter w, String type, Epoch epoch, String txId) {
        writeEpoch(w, type + ".epoch", epoch);
        w.string(type + ".txId", txId);
    }

    private static void writeHeartbeat(WireWriter w, Message.Heartbeat h) {
        writeEpoch(w, "Heartbeat.epoch", h.epoch());
        w.i64(h.highestRound());
        w.i64(h.seq());
        writeMap(w, "Heartbeat.heard", h.heard(), (o, node) -> o.node("Heartbeat.heard key", node, 1, MAX_NODE),
                (o, networks) -> writeStrings(o, "Heartbeat.heard networks", networks));
        writeNodeLongs(w, "Heartbeat.acks", h.acks());
    }

    private static Message.Heartbeat readHeartbeat(WireReader r, int from) throws WireFormatException {
        Epoch epoch = readEpoch(r, "Heartbeat.epoch");
        long highestRound = r.i64("Heartbeat.highestRound");
        long seq = r.i64("Heartbeat.seq");
        Map<Integer, Set<String>> heard = readMap(r, "Heartbeat.heard", NODE_BYTES + 4,
                in -> in.node("Heartbeat.heard key", 1, MAX_NODE), in -> readStringSet(in, "Heartbeat.heard networks"));
        Map<Integer, Long> acks = readNodeLongs(r, "Heartbeat.acks");
        return new Message.Heartbeat(from, epoch, highestRound, seq, heard, acks);
    }

    private static void writeAccept(WireWriter w, Message.Accept a) {
        writeEpoch(w, "Accept.epoch", a.epoch());
        writeNodeLongs(w, "Accept.ackAgeMs", a.ackAgeMs());
        writeNodeLongs(w, "Accept.pendingClearanceMs", a.pendingClearanceMs());
        w.bool(a.hasState());
        writeVersionsByName(w, "Accept.tables", a.tables());
        CoreTypesCodec.writeOptional(w, a.prepared(), (o, p) -> CoreTypesCodec.writePrepared(o, "Accept.prepared", p));
        writeVersions(w, "Accept.rolledBack", a.rolledBack());
    }

    private static Message.Accept readAccept(WireReader r, int from) throws WireFormatException {
        Epoch epoch = readEpoch(r, "Accept.epoch");
        Map<Integer, Long> ackAgeMs = readNodeLongs(r, "Accept.ackAgeMs");
        Map<Integer, Long> pendingClearanceMs = readNodeLongs(r, "Accept.pendingClearanceMs");
        boolean hasState = r.bool("Accept.hasState");
        Map<String, TableVersion> tables = readVersionsByName(r, "Accept.tables");
        Optional<PreparedChange> prepared = CoreTypesCodec.readOptional(r, "Accept.prepared",
                in -> CoreTypesCodec.readPrepared(in, "Accept.prepared"));
        Set<TableVersion> rolledBack = readVersionSet(r, "Accept.rolledBack");
        return new Message.Accept(from, epoch, ackAgeMs, pendingClearanceMs, hasState, tables, prepared, rolledBack);
    }

    private static void writeCommit(WireWriter w, Message.Commit c) {
        CoreTypesCodec.writeMembership(w, "Commit.membership", c.membership());
        writeNodeLongs(w, "Commit.clearanceWaitMs", c.clearanceWaitMs());
        writeStrings(w, "Commit.rollForward", c.rollForward());
        writeVersions(w, "Commit.rolledBack", c.rolledBack());
        writeVersionsByName(w, "Commit.newest", c.newest());
        writeMap(w, "Commit.holders", c.holders(), (o, name) -> o.string("Commit.holders key", name),
                (o, node) -> o.node("Commit.holders value", node, 1, MAX_NODE));
    }

    private static Message.Commit readCommit(WireReader r, int from) throws WireFormatException {
        var membership = CoreTypesCodec.readMembership(r, "Commit.membership");
        Map<Integer, Long> clearanceWaitMs = readNodeLongs(r, "Commit.clearanceWaitMs");
        Set<String> rollForward = readStringSet(r, "Commit.rollForward");
        Set<TableVersion> rolledBack = readVersionSet(r, "Commit.rolledBack");
        Map<String, TableVersion> newest = readVersionsByName(r, "Commit.newest");
        Map<String, Integer> holders = readMap(r, "Commit.holders", STRING_MIN_BYTES + NODE_BYTES,
                in -> in.string("Commit.holders key"), in -> in.node("Commit.holders value", 1, MAX_NODE));
        return new Message.Commit(from, membership, clearanceWaitMs, rollForward, rolledBack, newest, holders);
    }

    private static void writeRgmAction(WireWriter w, Message.RgmAction a) {
        writeEpoch(w, "RgmAction.epoch", a.epoch());
        w.i64(a.actionId());
        w.string("RgmAction.resource", a.resource());
        w.enumName("RgmAction.method", a.method());
    }

    private static void writeRgmResult(WireWriter w, Message.RgmResult res) {
        writeEpoch(w, "RgmResult.epoch", res.epoch());
        w.i64(res.actionId());
        w.enumName("RgmResult.code", res.code());
        w.bool(res.refused());
        w.string("RgmResult.message", res.message());
    }
}
