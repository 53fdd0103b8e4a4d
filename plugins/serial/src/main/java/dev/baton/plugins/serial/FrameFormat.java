package dev.baton.plugins.serial;

import java.util.zip.CRC32C;

/**
 * The bytes of one frame on the line (format 1; a later format takes another magic):
 * <pre>
 *   0xB7 0x5E          magic
 *   length             2 bytes, big-endian, 0..{@value #MAX_PAYLOAD_BYTES}
 *   ~length            2 bytes, the length's ones' complement: noise that happens to hold the
 *                      magic is refused at once instead of stalling the decoder on a wild length
 *   payload            length bytes, opaque (the daemon's encrypted frame)
 *   CRC-32C            4 bytes, big-endian, over everything before it
 * </pre>
 */
final class FrameFormat {
    static final byte MAGIC_0 = (byte) 0xB7;
    static final byte MAGIC_1 = (byte) 0x5E;
    static final int HEADER_BYTES = 6;
    static final int CRC_BYTES = 4;
    static final int MAX_PAYLOAD_BYTES = 2048;
    static final int MAX_WIRE_BYTES = HEADER_BYTES + MAX_PAYLOAD_BYTES + CRC_BYTES;
    /** What {@link #declaredLength} returns when the length and its complement disagree. */
    static final int NOT_A_HEADER = -1;

    private FrameFormat() {
    }

    static int wireBytes(int payloadBytes) {
        return HEADER_BYTES + payloadBytes + CRC_BYTES;
    }

    /** The frame as it goes on the line. */
    static byte[] encode(byte[] payload) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("a frame of " + payload.length
                    + " bytes exceeds the serial path's maximum of " + MAX_PAYLOAD_BYTES);
        }
        byte[] wire = new byte[wireBytes(payload.length)];
        writeHeader(wire, payload.length);
        System.arraycopy(payload, 0, wire, HEADER_BYTES, payload.length);
        putInt(wire, HEADER_BYTES + payload.length, crc(wire, 0, HEADER_BYTES + payload.length));
        return wire;
    }

    /** A header only, with any length (tests write oversize ones). */
    static void writeHeader(byte[] into, int length) {
        into[0] = MAGIC_0;
        into[1] = MAGIC_1;
        putShort(into, 2, length);
        putShort(into, 4, ~length);
    }

    /** The length a header at {@code at} declares, or {@link #NOT_A_HEADER}; the magic is checked by the caller. */
    static int declaredLength(byte[] buffer, int at) {
        int length = getShort(buffer, at + 2);
        int check = getShort(buffer, at + 4);
        return (length ^ check) == 0xFFFF ? length : NOT_A_HEADER;
    }

    /** Whether the CRC after a payload of {@code length} bytes at {@code at} is right. */
    static boolean crcMatches(byte[] buffer, int at, int length) {
        int covered = HEADER_BYTES + length;
        return crc(buffer, at, covered) == getInt(buffer, at + covered);
    }

    private static int crc(byte[] buffer, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buffer, offset, length);
        return (int) crc.getValue();
    }

    private static void putShort(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    private static int getShort(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static void putInt(byte[] b, int at, int value) {
        putShort(b, at, value >>> 16);
        putShort(b, at + 2, value);
    }

    private static int getInt(byte[] b, int at) {
        return (getShort(b, at) << 16) | getShort(b, at + 2);
    }
}
