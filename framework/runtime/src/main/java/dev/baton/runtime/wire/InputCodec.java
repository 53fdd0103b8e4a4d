package dev.baton.runtime.wire;

import dev.baton.api.method.ResultCode;
import dev.baton.core.Input;
import dev.baton.core.ccr.PreparedChange;
import dev.baton.core.ccr.Table;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.membership.Epoch;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.baton.runtime.wire.CoreTypesCodec.MAX_NODE;
import static dev.baton.runtime.wire.CoreTypesCodec.TABLE_MIN_BYTES;
import static dev.baton.runtime.wire.CoreTypesCodec.construct;
import static dev.baton.runtime.wire.CoreTypesCodec.readEpoch;
import static dev.baton.runtime.wire.CoreTypesCodec.readNodes;
import static dev.baton.runtime.wire.CoreTypesCodec.readVersionSet;
import static dev.baton.runtime.wire.CoreTypesCodec.writeEpoch;
import static dev.baton.runtime.wire.CoreTypesCodec.writeNodes;
import static dev.baton.runtime.wire.CoreTypesCodec.writeVersions;

/**
 * The binary form of every {@link Input}, for the daemon's recording of what its core was fed
 * (so an incident replays as a test). Same encoding as {@link MessageCodec}: a format version
 * byte, a type tag, the fields in declaration order; {@link Input.Received} embeds its message
 * as MessageCodec writes it, minus the version byte. At most {@link #MAX_INPUT_BYTES}: a boot
 * carries every table.
 */
public final class InputCodec {
    public static final int MAX_INPUT_BYTES = 64 << 20;

    private static final int TICK = 1;
    private static final int BOOT = 2;
    private static final int RECEIVED = 3;
    private static final int DEVICE_RACE_RESULT = 4;
    private static final int DEVICE_CHECK_RESULT = 5;
    private static final int DEVICE_RECORD_RESULT = 6;
    private static final int FENCE_RESULT = 7;
    private static final int PROPOSE_CHANGE = 8;
    private static final int OVERRIDE_AMNESIA = 9;
    private static final int METHOD_DONE = 10;
    private static final int RGM_COMMAND = 11;

    private InputCodec() {
    }

    /** Throws IllegalArgumentException for an input the format cannot carry (a node id out of range, a null, too large). */
    public static byte[] encode(Input in) {
        return WireWriter.whole(in.getClass().getSimpleName(), MAX_INPUT_BYTES, w -> write(w, in));
    }

    public static Input decode(byte[] b) throws WireFormatException {
        return WireReader.whole(b, "input", MAX_INPUT_BYTES, InputCodec::read);
    }

    private static void write(WireWriter w, Input in) {
        switch (in) {
            case Input.Tick t -> w.u8(TICK);
            case Input.Boot b -> writeBoot(w, b);
            case Input.Received rec -> {
                w.u8(RECEIVED);
                MessageCodec.write(w, rec.message());
                w.string("Received.network", rec.network());
            }
            case Input.DeviceRaceResult d -> writeRaceResult(w, d);
            case Input.DeviceCheckResult d -> {
                w.u8(DEVICE_CHECK_RESULT);
                w.i64(d.issuedAtNanos());
                writeEpoch(w, "DeviceCheckResult.epoch", d.epoch());
                w.bool(d.holds());
            }
            case Input.DeviceRecordResult d -> {
                w.u8(DEVICE_RECORD_RESULT);
                writeEpoch(w, "DeviceRecordResult.epoch", d.epoch());
                w.bool(d.durable());
            }
            case Input.FenceResult f -> {
                w.u8(FENCE_RESULT);
                w.node("FenceResult.node", f.node(), 1, MAX_NODE);
                w.bool(f.fenced());
                w.string("FenceResult.detail", f.detail());
            }
            case Input.ProposeChange p -> {
                w.u8(PROPOSE_CHANGE);
                w.i64(p.requestId());
                w.string("ProposeChange.table", p.table());
                w.string("ProposeChange.content", p.content());
            }
            case Input.OverrideAmnesia o -> w.u8(OVERRIDE_AMNESIA);
            case Input.MethodDone d -> {
                w.u8(METHOD_DONE);
                w.i64(d.runId());
                w.enumName("MethodDone.code", d.code());
                w.string("MethodDone.message", d.message());
            }
            case Input.RgmCommand c -> {
                w.u8(RGM_COMMAND);
                w.i64(c.requestId());
                CoreTypesCodec.writeRequest(w, c.request());
            }
        }
    }

    private static Input read(WireReader r) throws WireFormatException {
        int at = r.position();
        int tag = r.u8("input type tag");
        return switch (tag) {
            case TICK -> new Input.Tick();
            case BOOT -> readBoot(r);
            case RECEIVED -> new Input.Received(MessageCodec.read(r), r.string("Received.network"));
            case DEVICE_RACE_RESULT -> readRaceResult(r);
            case DEVICE_CHECK_RESULT -> new Input.DeviceCheckResult(r.i64("DeviceCheckResult.issuedAtNanos"),
                    readEpoch(r, "DeviceCheckResult.epoch"), r.bool("DeviceCheckResult.holds"));
            case DEVICE_RECORD_RESULT -> new Input.DeviceRecordResult(readEpoch(r, "DeviceRecordResult.epoch"),
                    r.bool("DeviceRecordResult.durable"));
            case FENCE_RESULT -> new Input.FenceResult(r.node("FenceResult.node", 1, MAX_NODE), r.bool("FenceResult.fenced"),
                    r.string("FenceResult.detail"));
            case PROPOSE_CHANGE -> new Input.ProposeChange(r.i64("ProposeChange.requestId"), r.string("ProposeChange.table"),
                    r.string("ProposeChange.content"));
            case OVERRIDE_AMNESIA -> new Input.OverrideAmnesia();
            case METHOD_DONE -> new Input.MethodDone(r.i64("MethodDone.runId"), r.enumName("MethodDone.code", ResultCode.class),
                    r.string("MethodDone.message"));
            case RGM_COMMAND -> new Input.RgmCommand(r.i64("RgmCommand.requestId"), CoreTypesCodec.readRequest(r));
            default -> throw r.error(at, "unknown input type tag " + tag);
        };
    }

    private static void writeBoot(WireWriter w, Input.Boot b) {
        w.u8(BOOT);
        writeEpoch(w, "Boot.promised", b.promised());
        CoreTypesCodec.writeAll(w, "Boot.tables", b.tables(), (o, t) -> CoreTypesCodec.writeTable(o, "Boot.tables", t));
        CoreTypesCodec.writeOptional(w, b.prepared(), (o, p) -> CoreTypesCodec.writePrepared(o, "Boot.prepared", p));
        writeVersions(w, "Boot.rolledBack", b.rolledBack());
    }

    private static Input.Boot readBoot(WireReader r) throws WireFormatException {
        int at = r.position();
        Epoch promised = readEpoch(r, "Boot.promised");
        List<Table> tables = CoreTypesCodec.readList(r, "Boot.tables", TABLE_MIN_BYTES, WireReader.MAX_COUNT,
                in -> CoreTypesCodec.readTable(in, "Boot.tables"));
        Optional<PreparedChange> prepared = CoreTypesCodec.readOptional(r, "Boot.prepared",
                in -> CoreTypesCodec.readPrepared(in, "Boot.prepared"));
        Set<TableVersion> rolledBack = readVersionSet(r, "Boot.rolledBack");
        return construct(r, at, "Boot", () -> new Input.Boot(promised, tables, prepared, rolledBack));
    }

    private static void writeRaceResult(WireWriter w, Input.DeviceRaceResult d) {
        w.u8(DEVICE_RACE_RESULT);
        writeEpoch(w, "DeviceRaceResult.epoch", d.epoch());
        w.enumName("DeviceRaceResult.outcome", d.outcome());
        CoreTypesCodec.writeOptional(w, d.lastCommitted(), (o, c) -> {
            writeEpoch(o, "CommittedRecord.epoch", c.epoch());
            writeNodes(o, "CommittedRecord.members", c.members());
        });
        writeNodes(w, "DeviceRaceResult.preempted", d.preempted());
    }

    private static Input.DeviceRaceResult readRaceResult(WireReader r) throws WireFormatException {
        Epoch epoch = readEpoch(r, "DeviceRaceResult.epoch");
        Input.RaceOutcome outcome = r.enumName("DeviceRaceResult.outcome", Input.RaceOutcome.class);
        Optional<Input.CommittedRecord> lastCommitted = CoreTypesCodec.readOptional(r, "DeviceRaceResult.lastCommitted",
                in -> new Input.CommittedRecord(readEpoch(in, "CommittedRecord.epoch"), readNodes(in, "CommittedRecord.members")));
        Set<Integer> preempted = readNodes(r, "DeviceRaceResult.preempted");
        return new Input.DeviceRaceResult(epoch, outcome, lastCommitted, preempted);
    }
}
