package dev.baton.runtime.wire;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;

/**
 * Seals plaintext into frames (package-info has the layout). One per process: the frame key is
 * derived from (cluster key, sender, incarnation) and every stream counts its own sequence from 1,
 * so the (key, nonce) pairs this object produces never repeat. Two Sealers with the same sender
 * and incarnation would repeat them: the caller must give every process a new, strictly larger
 * incarnation (the daemon uses wall-clock milliseconds at boot, kept strictly increasing on disk).
 * Thread-safe.
 */
public final class Sealer {
    /**
     * Streams one Sealer counts for. A counter can never be forgotten (its stream would restart at
     * 1 and repeat nonces), so the number of streams is capped instead; receivers track at most
     * {@link Opener#MAX_STREAMS_PER_SENDER} of a sender's streams, so a sender should use no more
     * than that toward any one receiver.
     */
    public static final int MAX_STREAMS = 4096;

    private final int senderId;
    private final long incarnation;
    private final SecretKey frameKey;
    private final Map<Integer, long[]> lastSeqByStream = new HashMap<>();
    private final ThreadLocal<Cipher> cipher = FrameFormat.cipherPerThread();

    public Sealer(ClusterKey key, int senderId, long incarnation) {
        if (senderId < 0 || senderId > FrameFormat.MAX_SENDER_ID) {
            throw new IllegalArgumentException("sender id " + senderId + " is outside 0.." + FrameFormat.MAX_SENDER_ID);
        }
        this.senderId = senderId;
        this.incarnation = incarnation;
        this.frameKey = FrameFormat.deriveSubkey(key, senderId, incarnation);
    }

    /** A frame carrying {@code plaintext} on {@code streamId}, with that stream's next sequence number. */
    public byte[] seal(int streamId, byte[] plaintext) {
        if (plaintext.length > FrameFormat.MAX_PLAINTEXT_BYTES) {
            throw new IllegalArgumentException("plaintext of " + plaintext.length + " bytes, a frame carries at most "
                    + FrameFormat.MAX_PLAINTEXT_BYTES);
        }
        byte[] frame = new byte[FrameFormat.OVERHEAD_BYTES + plaintext.length];
        new FrameFormat.Header(senderId, incarnation, streamId, nextSeq(streamId)).writeTo(frame);
        try {
            Cipher c = cipher.get();
            c.init(Cipher.ENCRYPT_MODE, frameKey, FrameFormat.nonce(frame, 0));
            c.updateAAD(frame, 0, FrameFormat.HEADER_BYTES);
            c.doFinal(plaintext, 0, plaintext.length, frame, FrameFormat.HEADER_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
        return frame;
    }

    public int senderId() {
        return senderId;
    }

    public long incarnation() {
        return incarnation;
    }

    private synchronized long nextSeq(int streamId) {
        long[] last = lastSeqByStream.get(streamId);
        if (last == null) {
            if (lastSeqByStream.size() >= MAX_STREAMS) {
                throw new IllegalStateException("sender " + senderId + " already uses " + MAX_STREAMS
                        + " streams; stream " + streamId + " would be one more");
            }
            last = new long[1];
            lastSeqByStream.put(streamId, last);
        }
        if (last[0] == Long.MAX_VALUE) {
            throw new IllegalStateException("stream " + streamId + " ran out of sequence numbers; start a new incarnation");
        }
        return ++last[0];
    }
}
