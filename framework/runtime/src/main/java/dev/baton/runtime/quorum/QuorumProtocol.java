package dev.baton.runtime.quorum;

import dev.baton.api.spi.QuorumDevice.RaceOutcome;
import dev.baton.core.membership.Epoch;
import dev.baton.runtime.state.StateFileException;
import dev.baton.runtime.state.StateText;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The quorum server's wire protocol (docs/design/quorum-server.md). Over TCP, each direction
 * carries envelopes:
 * <pre>
 * length u32 (of what follows, at most {@value #MAX_ENVELOPE_BYTES}) | name length u8 | cluster name (ASCII) | sealed frame
 * </pre>
 * The cluster name is in clear only to pick the key; the frame is sealed with that cluster's key
 * (dev.baton.runtime.wire), and the plaintext inside repeats the name. The plaintext is a
 * {@link StateText} header: a request names its id, operation and arguments; the reply echoes the
 * id, the requester and its incarnation, so a late or replayed reply is never taken for the
 * current one.
 */
final class QuorumProtocol {
    static final int MAX_ENVELOPE_BYTES = 64 * 1024;
    /** The stream every client seals its requests on and the server its replies (one channel each way). */
    static final int STREAM = 0x5153_0001;
    /** The server seals its replies as sender 0; nodes are 1..64. */
    static final int SERVER_SENDER_ID = 0;
    static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final String REQUEST = "quorum-request";
    private static final String REPLY = "quorum-reply";
    private static final String NONE = "none";

    private QuorumProtocol() {
    }

    enum Op { RACE, HOLDS, RECORD, CHECK }

    /** A client's request; {@code epoch}, {@code members} and {@code node} are used by the operations that need them. */
    record Request(String cluster, long requestId, Op op, SortedSet<Integer> connected, Epoch epoch, SortedSet<Integer> members, int node) {
    }

    /**
     * The server's answer. {@code error} is empty unless the request was refused; {@code yes} is
     * the answer of holds, record and check.
     */
    record Reply(long requestId, int node, long incarnation, Op op, String error, RaceOutcome outcome,
                 Optional<DeviceState.Committed> committed, SortedSet<Integer> preempted, boolean yes) {
        static Reply refused(Request request, int node, long incarnation, String error) {
            return new Reply(request.requestId(), node, incarnation, request.op(), error, RaceOutcome.UNKNOWN, Optional.empty(), new TreeSet<>(), false);
        }
    }

    /** An envelope as read: which cluster's key should open the frame, and the frame. */
    record Envelope(String cluster, byte[] frame) {
    }

    /** Bytes that are not an envelope; the connection is closed. */
    static final class MalformedEnvelopeException extends IOException {
        MalformedEnvelopeException(String message) {
            super(message);
        }
    }

    // ---- envelopes ---------------------------------------------------------------------------

    static void writeEnvelope(DataOutputStream out, String cluster, byte[] frame) throws IOException {
        byte[] name = cluster.getBytes(StandardCharsets.US_ASCII);
        int length = 1 + name.length + frame.length;
        if (length > MAX_ENVELOPE_BYTES) {
            throw new IOException("an envelope of " + length + " bytes is larger than " + MAX_ENVELOPE_BYTES);
        }
        out.writeInt(length);
        out.writeByte(name.length);
        out.write(name);
        out.write(frame);
        out.flush();
    }

    /** Reads one envelope; EOFException at a clean end of stream. */
    static Envelope readEnvelope(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 2 || length > MAX_ENVELOPE_BYTES) {
            throw new MalformedEnvelopeException("envelope length " + length + " is outside 2.." + MAX_ENVELOPE_BYTES);
        }
        int nameLength = in.readUnsignedByte();
        if (nameLength == 0 || nameLength >= length) {
            throw new MalformedEnvelopeException("cluster name length " + nameLength + " does not fit an envelope of " + length + " bytes");
        }
        String cluster = new String(in.readNBytes(nameLength), StandardCharsets.US_ASCII);
        if (!CLUSTER_NAME.matcher(cluster).matches()) {
            throw new MalformedEnvelopeException("'" + StateText.abbreviate(cluster) + "' is not a cluster name");
        }
        byte[] frame = in.readNBytes(length - 1 - nameLength);
        if (frame.length != length - 1 - nameLength) {
            throw new java.io.EOFException("the envelope ended early");
        }
        return new Envelope(cluster, frame);
    }

    // ---- requests ----------------------------------------------------------------------------

    static byte[] encode(Request request) {
        SequencedMap<String, String> fields = new LinkedHashMap<>();
        fields.put("cluster", request.cluster());
        fields.put("request", Long.toString(request.requestId()));
        fields.put("op", request.op().name().toLowerCase(Locale.ROOT));
        fields.put("connected", NodeSets.format(request.connected()));
        fields.put("epoch", request.epoch().toString());
        fields.put("members", NodeSets.format(request.members()));
        fields.put("node", Integer.toString(request.node()));
        return StateText.render(REQUEST, null, fields, null).getBytes(StandardCharsets.UTF_8);
    }

    static Request decodeRequest(byte[] plaintext) throws StateFileException {
        StateText text = StateText.parse(plaintext, REQUEST);
        return new Request(text.field("cluster"), text.longField("request"), op(text.field("op")),
                NodeSets.parse(text.field("connected"), "connected"), epoch(text.field("epoch")),
                NodeSets.parse(text.field("members"), "members"), (int) text.longField("node"));
    }

    // ---- replies -----------------------------------------------------------------------------

    static byte[] encode(Reply reply) {
        SequencedMap<String, String> fields = new LinkedHashMap<>();
        fields.put("request", Long.toString(reply.requestId()));
        fields.put("node", Integer.toString(reply.node()));
        fields.put("incarnation", Long.toString(reply.incarnation()));
        fields.put("op", reply.op().name().toLowerCase(Locale.ROOT));
        fields.put("error", reply.error().replaceAll("\\p{Cntrl}", " "));
        fields.put("outcome", reply.outcome().name());
        fields.put("committed", reply.committed().map(c -> c.epoch().toString()).orElse(NONE));
        fields.put("committed-members", reply.committed().map(c -> NodeSets.format(c.members())).orElse(""));
        fields.put("preempted", NodeSets.format(reply.preempted()));
        fields.put("yes", Boolean.toString(reply.yes()));
        return StateText.render(REPLY, null, fields, null).getBytes(StandardCharsets.UTF_8);
    }

    static Reply decodeReply(byte[] plaintext) throws StateFileException {
        StateText text = StateText.parse(plaintext, REPLY);
        String committedEpoch = text.field("committed");
        Optional<DeviceState.Committed> committed = committedEpoch.equals(NONE) ? Optional.empty()
                : Optional.of(new DeviceState.Committed(epoch(committedEpoch), NodeSets.parse(text.field("committed-members"), "committed-members")));
        return new Reply(text.longField("request"), (int) text.longField("node"), text.longField("incarnation"),
                op(text.field("op")), text.field("error"), outcome(text.field("outcome")), committed,
                NodeSets.parse(text.field("preempted"), "preempted"), Boolean.parseBoolean(text.field("yes")));
    }

    // ---- values ------------------------------------------------------------------------------

    private static Op op(String text) throws StateFileException {
        try {
            return Op.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StateFileException("unknown operation '" + StateText.abbreviate(text) + "'");
        }
    }

    private static RaceOutcome outcome(String text) throws StateFileException {
        try {
            return RaceOutcome.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new StateFileException("unknown race outcome '" + StateText.abbreviate(text) + "'");
        }
    }

    private static Epoch epoch(String text) throws StateFileException {
        try {
            return Epoch.parse(text);
        } catch (IllegalArgumentException e) {
            throw new StateFileException("'" + StateText.abbreviate(text) + "' is not an epoch (round.coordinator)");
        }
    }
}
