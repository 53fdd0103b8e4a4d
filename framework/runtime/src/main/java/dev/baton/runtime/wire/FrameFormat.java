package dev.baton.runtime.wire;

import dev.baton.runtime.wire.RejectedFrameException.Reason;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;

/**
 * The frame layout (see package-info): sizes the transport needs to size its buffers, and the
 * header and key derivation shared by {@link Sealer} and {@link Opener}.
 */
public final class FrameFormat {
    public static final int MAGIC = 0xBA70;
    public static final int VERSION = 1;
    /** magic (2) | version (1) | senderId (2) | incarnation (8) | streamId (4) | seq (8). */
    public static final int HEADER_BYTES = 25;
    public static final int TAG_BYTES = 16;
    public static final int OVERHEAD_BYTES = HEADER_BYTES + TAG_BYTES;
    /** Largest plaintext a frame carries: one whole message of {@link MessageCodec#MAX_MESSAGE_BYTES}. */
    public static final int MAX_PLAINTEXT_BYTES = 1 << 20;
    public static final int MAX_FRAME_BYTES = MAX_PLAINTEXT_BYTES + OVERHEAD_BYTES;
    public static final int MAX_SENDER_ID = 0xFFFF;

    /** streamId || seq: the last 12 header bytes are the GCM nonce. */
    static final int NONCE_OFFSET = 13;
    static final int NONCE_BYTES = 12;
    private static final byte[] SUBKEY_LABEL = "baton-frame-v1".getBytes(StandardCharsets.US_ASCII);

    private FrameFormat() {
    }

    /** The fields of a frame's header. */
    record Header(int senderId, long incarnation, int streamId, long seq) {
        void writeTo(byte[] frame) {
            ByteBuffer.wrap(frame, 0, HEADER_BYTES)
                    .putShort((short) MAGIC).put((byte) VERSION).putShort((short) senderId)
                    .putLong(incarnation).putInt(streamId).putLong(seq);
        }

        /** The cheap checks, before any cryptography. */
        static Header parse(byte[] frame, int offset, int length) throws RejectedFrameException {
            if (length > MAX_FRAME_BYTES) {
                throw new RejectedFrameException(Reason.TOO_LARGE, length + " bytes, at most " + MAX_FRAME_BYTES);
            }
            if (length < OVERHEAD_BYTES) {
                throw new RejectedFrameException(Reason.MALFORMED, length + " bytes, shorter than header and tag (" + OVERHEAD_BYTES + ")");
            }
            ByteBuffer in = ByteBuffer.wrap(frame, offset, length);
            int magic = Short.toUnsignedInt(in.getShort());
            int version = Byte.toUnsignedInt(in.get());
            if (magic != MAGIC || version != VERSION) {
                throw new RejectedFrameException(Reason.MALFORMED, String.format("magic %04x version %d, expected %04x version %d",
                        magic, version, MAGIC, VERSION));
            }
            Header h = new Header(Short.toUnsignedInt(in.getShort()), in.getLong(), in.getInt(), in.getLong());
            if (h.seq < 1) {
                throw new RejectedFrameException(Reason.MALFORMED, "sequence number " + h.seq + ", sequences start at 1");
            }
            return h;
        }
    }

    /** HMAC-SHA256(clusterKey, "baton-frame-v1" || senderId (u16) || incarnation (8)): one AES key per sender process. */
    static SecretKey deriveSubkey(ClusterKey clusterKey, int senderId, long incarnation) {
        byte[] key = clusterKey.bytes();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(SUBKEY_LABEL);
            mac.update(ByteBuffer.allocate(10).putShort((short) senderId).putLong(incarnation).array());
            return new SecretKeySpec(mac.doFinal(), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot compute HmacSHA256", e);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    static GCMParameterSpec nonce(byte[] frame, int offset) {
        return new GCMParameterSpec(TAG_BYTES * 8, frame, offset + NONCE_OFFSET, NONCE_BYTES);
    }

    /** Cipher objects are not thread-safe and cost a provider lookup to make: one per thread. */
    static ThreadLocal<Cipher> cipherPerThread() {
        return ThreadLocal.withInitial(() -> {
            try {
                return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
                throw new IllegalStateException("the JDK has no AES/GCM", e);
            }
        });
    }
}
