package dev.baton.runtime.wire;

import dev.baton.core.ccr.Table;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link WireWriter} wrote, from bytes that may be garbage. Every length and count is
 * checked against its limit and against the bytes that remain before anything is allocated, so
 * decoding never allocates more than a small multiple of the input's size. Every problem is a
 * {@link WireFormatException} naming the field and the offset.
 */
final class WireReader {
    /** Longest string: a table's content at {@link Table#MAX_CONTENT_CHARS}, each char at most 4 bytes of UTF-8. */
    static final int MAX_STRING_BYTES = Table.MAX_CONTENT_CHARS * 4;
    static final int MAX_ENUM_NAME_BYTES = 64;
    static final int MAX_COUNT = 100_000;

    private final byte[] bytes;
    private int position;

    WireReader(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The format version, what {@code body} reads, and nothing after it. */
    static <T> T whole(byte[] bytes, String what, int maxBytes, CoreTypesCodec.Read<T> body) throws WireFormatException {
        if (bytes.length > maxBytes) {
            throw new WireFormatException(what + " of " + bytes.length + " bytes, at most " + maxBytes);
        }
        WireReader r = new WireReader(bytes);
        int version = r.u8(what + " format version");
        if (version != WireWriter.FORMAT_VERSION) {
            throw r.error(0, what + " format version " + version + ", this node reads version " + WireWriter.FORMAT_VERSION);
        }
        T value = body.read(r);
        r.expectEnd(value.getClass().getSimpleName());
        return value;
    }

    int u8(String field) throws WireFormatException {
        need(field, 1);
        return Byte.toUnsignedInt(bytes[position++]);
    }

    boolean bool(String field) throws WireFormatException {
        int at = position;
        int b = u8(field);
        if (b > 1) {
            throw error(at, field + ": boolean byte " + b + ", expected 0 or 1");
        }
        return b == 1;
    }

    int i32(String field) throws WireFormatException {
        need(field, 4);
        int value = ByteBuffer.wrap(bytes, position, 4).getInt();
        position += 4;
        return value;
    }

    long i64(String field) throws WireFormatException {
        need(field, 8);
        long value = ByteBuffer.wrap(bytes, position, 8).getLong();
        position += 8;
        return value;
    }

    long nonNegative(String field) throws WireFormatException {
        int at = position;
        long value = i64(field);
        if (value < 0) {
            throw error(at, field + ": " + value + " is negative");
        }
        return value;
    }

    int node(String field, int min, int max) throws WireFormatException {
        int at = position;
        int id = (byte) u8(field);
        if (id < min || id > max) {
            throw error(at, field + ": node id " + id + " is outside " + min + ".." + max);
        }
        return id;
    }

    String string(String field) throws WireFormatException {
        return string(field, MAX_STRING_BYTES);
    }

    <E extends Enum<E>> E enumName(String field, Class<E> type) throws WireFormatException {
        int at = position;
        String name = string(field, MAX_ENUM_NAME_BYTES);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw error(at, field + ": '" + name + "' is not a " + type.getSimpleName());
    }

    /**
     * A collection's element count: at most {@link #MAX_COUNT}, and small enough that the
     * remaining bytes can hold that many elements of at least {@code minElementBytes} each.
     */
    int count(String field, int minElementBytes, int max) throws WireFormatException {
        int at = position;
        int count = i32(field);
        if (count < 0 || count > Math.min(max, MAX_COUNT)) {
            throw error(at, field + ": count " + count + " is outside 0.." + Math.min(max, MAX_COUNT));
        }
        if ((long) count * minElementBytes > remaining()) {
            throw error(at, field + ": count " + count + " needs at least " + (long) count * minElementBytes
                    + " bytes, " + remaining() + " remain");
        }
        return count;
    }

    int count(String field, int minElementBytes) throws WireFormatException {
        return count(field, minElementBytes, MAX_COUNT);
    }

    void expectEnd(String what) throws WireFormatException {
        if (remaining() != 0) {
            throw error(position, what + ": " + remaining() + " trailing bytes");
        }
    }

    int position() {
        return position;
    }

    WireFormatException error(int at, String problem) {
        return new WireFormatException("at byte " + at + ": " + problem);
    }

    private String string(String field, int maxBytes) throws WireFormatException {
        int at = position;
        int length = i32(field);
        if (length < 0 || length > maxBytes) {
            throw error(at, field + ": string length " + length + " is outside 0.." + maxBytes);
        }
        need(field, length);
        try {
            String value = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, position, length))
                    .toString();
            position += length;
            return value;
        } catch (CharacterCodingException e) {
            throw error(at, field + ": not valid UTF-8");
        }
    }

    private int remaining() {
        return bytes.length - position;
    }

    private void need(String field, int n) throws WireFormatException {
        if (n > remaining()) {
            throw error(position, field + ": needs " + n + " bytes, " + remaining() + " remain");
        }
    }
}
