package dev.baton.runtime.wire;

import dev.baton.core.Input;
import dev.baton.core.Message;
import dev.baton.core.ccr.Table;
import dev.baton.core.rgm.Request;
import dev.baton.core.rgm.RgmSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodecRoundTripTest {

    @Test
    void everyMessageSubtypeHasASample() {
        assertThat(classesOf(CoreSamples.messages()))
                .as("add a sample (and a codec case) for every new Message record")
                .containsExactlyInAnyOrder(Message.class.getPermittedSubclasses());
    }

    @Test
    void everyInputSubtypeHasASample() {
        assertThat(classesOf(CoreSamples.inputs()))
                .as("add a sample (and a codec case) for every new Input record")
                .containsExactlyInAnyOrder(Input.class.getPermittedSubclasses());
    }

    @Test
    void everyRequestSubtypeHasASample() {
        assertThat(classesOf(CoreSamples.requests())).containsExactlyInAnyOrder(Request.class.getPermittedSubclasses());
    }

    /** The core's types are records all the way down (sets and maps compare by content), so equals compares every field. */
    @Test
    void everyMessageDecodesEqualAndReencodesToTheSameBytes() throws WireFormatException {
        for (Message m : CoreSamples.messages()) {
            byte[] bytes = MessageCodec.encode(m);
            Message decoded = MessageCodec.decode(bytes);
            assertThat(decoded).as(m.getClass().getSimpleName()).isEqualTo(m);
            assertThat(MessageCodec.encode(decoded)).as(m.getClass().getSimpleName()).isEqualTo(bytes);
        }
    }

    @Test
    void everyInputDecodesEqual() throws WireFormatException {
        for (Input in : CoreSamples.inputs()) {
            Input decoded = InputCodec.decode(InputCodec.encode(in));
            assertThat(decoded).as(in.toString()).isEqualTo(in);
        }
    }

    @Test
    void aDecodedTableStillVerifiesAndAnAlteredOneDoesNot() throws WireFormatException {
        Message.TableReply reply = (Message.TableReply) MessageCodec.decode(MessageCodec.encode(new Message.TableReply(3, CoreSamples.TABLE)));
        assertThat(reply.table().verify()).isTrue();

        Table altered = new Table("rgm", CoreSamples.TABLE.version(), CoreSamples.TABLE.content() + " ");
        Message.TableReply forged = (Message.TableReply) MessageCodec.decode(MessageCodec.encode(new Message.TableReply(3, altered)));
        assertThat(forged.table().verify()).as("the codec carries the checksum as sent; the core refuses the table").isFalse();
    }

    @Test
    void setsAndMapsDecodeInTheOrderTheyWereWritten() throws WireFormatException {
        byte[] bytes = MessageCodec.encode(CoreSamples.HEARTBEAT);
        Message.Heartbeat decoded = (Message.Heartbeat) MessageCodec.decode(bytes);
        assertThat(List.copyOf(decoded.acks().keySet())).isEqualTo(List.copyOf(CoreSamples.HEARTBEAT.acks().keySet()));
        assertThatThrownBy(() -> decoded.acks().put(9, 1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theFormatIsPinned() {
        // version 1, tag 6 (Cleared), from 2, epoch round 7 (8 bytes) coordinator 2, node 4
        assertThat(HexFormat.of().formatHex(MessageCodec.encode(new Message.Cleared(2, CoreSamples.EPOCH, 4))))
                .isEqualTo("0106020000000000000007" + "0204");
        // version 1, tag 12 (TableRequest), from 1, length 3, "rgm"
        assertThat(HexFormat.of().formatHex(MessageCodec.encode(new Message.TableRequest(1, "rgm"))))
                .isEqualTo("010c0100000003" + "72676d");
        assertThat(HexFormat.of().formatHex(InputCodec.encode(new Input.Tick()))).isEqualTo("0101");
    }

    @Test
    void badBytesAreRefusedWithTheFieldNamed() {
        assertRefused(hex("0163" + "01"), "at byte 1: unknown message type tag 99");
        assertRefused(hex("0206020000000000000007020204"), "message format version 2, this node reads version 1");
        assertRefused(hex("01060200000000000000070204" + "00"), "Cleared: 1 trailing bytes");
        assertRefused(hex("0106020000000000000007" + "0241"), "at byte 12: Cleared.node: node id 65 is outside 1..64");
        assertRefused(hex("010602000000000000000702"), "Cleared.node: needs 1 bytes, 0 remain");
        assertRefused(hex("010602" + "8000000000000007" + "0204"), "Cleared.epoch.round: -9223372036854775801 is negative");
        assertRefused(hex("0106" + "00"), "from: node id 0 is outside 1..64");
        assertRefused(hex("0102010000000000000001" + "01" + "000186a1"), "Propose.members: count 100001 is outside 0..100000");
        assertRefused(hex("0102010000000000000001" + "01" + "00000032" + "010203"), "Propose.members: count 50 needs at least 50 bytes, 3 remain");
        assertRefused(hex("0102010000000000000001" + "01" + "00000002" + "0101"), "at byte 17: Propose.members: duplicate element");
        assertRefused(hex("010c01" + "00000002" + "c328"), "TableRequest.name: not valid UTF-8");
        assertRefused(hex("010c01" + "7fffffff"), "TableRequest.name: string length 2147483647 is outside 0..262144");
        assertRefused(hex("010c01" + "00000010" + "41"), "TableRequest.name: needs 16 bytes, 1 remain");
        assertRefused(hex("01080300000000000000070200000001" + "41" + "02" + "00000000"), "Prepared.ok: boolean byte 2, expected 0 or 1");
        assertRefused(hex("010e0100000000000000070200000000000000010000000141" + "00000004" + "4a554d50"),
                "RgmAction.method: 'JUMP' is not a MethodName");
        assertRefused(hex("01140200000000000000630a"), "at byte 11: unknown request type tag 10");
    }

    @Test
    void tooLongTableContentIsRefused() {
        String content = "x".repeat(Table.MAX_CONTENT_CHARS + 1);
        byte[] bytes = MessageCodec.encode(new Message.TableReply(1, new Table("t", CoreSamples.V1, content)));
        assertRefused(bytes, "TableReply.table.content: 65537 chars, at most 65536");
    }

    @Test
    void inputsAreRefusedLikeMessages() {
        assertThatThrownBy(() -> InputCodec.decode(hex("010c"))).isInstanceOf(WireFormatException.class)
                .hasMessage("at byte 1: unknown input type tag 12");
        assertThatThrownBy(() -> InputCodec.decode(hex("0103" + "060200000000000000070204" + "41")))
                .hasMessageContaining("Received.network: needs 4 bytes, 1 remain");
        assertThatThrownBy(() -> InputCodec.decode(new byte[0])).hasMessage("at byte 0: input format version: needs 1 bytes, 0 remain");
    }

    @Test
    void whatTheFormatCannotCarryIsRefusedWhenEncoding() {
        assertThatThrownBy(() -> MessageCodec.encode(new Message.Cleared(2, CoreSamples.EPOCH, 65)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Cleared.node: node id 65 is outside 1..64");
        assertThatThrownBy(() -> MessageCodec.encode(new Message.RgmHello(0, CoreSamples.EPOCH)))
                .hasMessage("from: node id 0 is outside 1..64");
        assertThatThrownBy(() -> MessageCodec.encode(new Message.Reject(1, CoreSamples.EPOCH, CoreSamples.EPOCH, null)))
                .hasMessage("Reject.reason is null");
        List<RgmSnapshot.GroupEntry> groups = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            groups.add(new RgmSnapshot.GroupEntry("group-with-a-rather-long-name-" + i, true, true, false, -1, false, Map.of()));
        }
        RgmSnapshot huge = new RgmSnapshot(List.of(), false, List.of(), groups, Map.of());
        assertThatThrownBy(() -> MessageCodec.encode(new Message.RgmStatus(1, CoreSamples.EPOCH, huge)))
                .hasMessage("RgmStatus would encode to more than 1048576 bytes");
        assertThatThrownBy(() -> MessageCodec.decode(new byte[MessageCodec.MAX_MESSAGE_BYTES + 1]))
                .hasMessage("message of 1048577 bytes, at most 1048576");
    }

    /** Measured, not asserted: what a heartbeat costs on the wire, with and without the frame around it. */
    @Test
    void printsTheSizeOfATypicalThreeNodeHeartbeat() throws WireFormatException {
        byte[] bytes = MessageCodec.encode(CoreSamples.HEARTBEAT);
        byte[] frame = new Sealer(ClusterKey.generate(), 1, 1).seal(0, bytes);
        System.out.printf("3-node heartbeat (2 networks): %d bytes encoded, %d bytes sealed in a frame%n", bytes.length, frame.length);
        assertThat(MessageCodec.decode(bytes)).isEqualTo(CoreSamples.HEARTBEAT);
    }

    private static void assertRefused(byte[] bytes, String problem) {
        assertThatThrownBy(() -> MessageCodec.decode(bytes)).isInstanceOf(WireFormatException.class).hasMessageContaining(problem);
    }

    private static byte[] hex(String digits) {
        return HexFormat.of().parseHex(digits);
    }

    private static Set<Class<?>> classesOf(List<?> samples) {
        return samples.stream().map(Object::getClass).collect(Collectors.toSet());
    }
}
