package dev.baton.runtime.wire;

import dev.baton.runtime.wire.RejectedFrameException.Reason;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import java.security.GeneralSecurityException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens frames sealed under the cluster key: cheap header checks, then the replay and
 * incarnation checks (read only), then decryption, and only after the tag verified, the update
 * of the sender's replay state. So a forged frame costs one HMAC and one failed GCM check and
 * changes nothing. One per receiving process; thread-safe (decryption runs outside the lock).
 */
public final class Opener {
    public static final int MAX_SENDERS = ReplayGuard.MAX_SENDERS;
    public static final int MAX_STREAMS_PER_SENDER = ReplayGuard.MAX_STREAMS_PER_SENDER;
    /** Frame keys kept derived; a miss costs one HMAC-SHA256. */
    public static final int MAX_CACHED_SUBKEYS = 256;

    private record SenderIncarnation(int senderId, long incarnation) {
    }

    private final ClusterKey clusterKey;
    private final ReplayGuard guard = new ReplayGuard();
    private final Map<SenderIncarnation, SecretKey> subkeys = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SenderIncarnation, SecretKey> eldest) {
            return size() > MAX_CACHED_SUBKEYS;
        }
    };
    private final ThreadLocal<Cipher> cipher = FrameFormat.cipherPerThread();
    private final AtomicLong accepted = new AtomicLong();
    private final Map<Reason, AtomicLong> dropped = new EnumMap<>(Reason.class);

    public Opener(ClusterKey key) {
        this.clusterKey = key;
        for (Reason r : Reason.values()) {
            dropped.put(r, new AtomicLong());
        }
    }

    /**
     * Authenticates and decrypts {@code frame[offset, offset+length)}. Throws only
     * {@link RejectedFrameException} for bad frames (and IndexOutOfBoundsException for a range
     * outside the array, a caller's bug).
     */
    public Opened open(byte[] frame, int offset, int length) throws RejectedFrameException {
        Objects.checkFromIndexSize(offset, length, frame.length);
        try {
            FrameFormat.Header h = FrameFormat.Header.parse(frame, offset, length);
            SecretKey key = checkAndFindKey(h);
            byte[] plaintext = decrypt(key, frame, offset, length);
            synchronized (guard) {
                guard.accept(h);
            }
            accepted.incrementAndGet();
            return new Opened(h.senderId(), h.incarnation(), h.streamId(), h.seq(), plaintext);
        } catch (RejectedFrameException e) {
            dropped.get(e.reason()).incrementAndGet();
            throw e;
        }
    }

    public Counters counters() {
        return new Counters(accepted.get(), count(Reason.MALFORMED), count(Reason.UNAUTHENTICATED),
                count(Reason.REPLAYED), count(Reason.STALE_INCARNATION), count(Reason.TOO_LARGE));
    }

    /** Senders whose replay state is kept (at most {@link #MAX_SENDERS}). */
    public int trackedSenders() {
        synchronized (guard) {
            return guard.senderCount();
        }
    }

    /** Replay windows kept, over all senders (at most {@link #MAX_SENDERS} × {@link #MAX_STREAMS_PER_SENDER}). */
    public int trackedStreams() {
        synchronized (guard) {
            return guard.streamCount();
        }
    }

    /** Frame keys kept derived (at most {@link #MAX_CACHED_SUBKEYS}). */
    public int cachedSubkeys() {
        synchronized (guard) {
            return subkeys.size();
        }
    }

    private SecretKey checkAndFindKey(FrameFormat.Header h) throws RejectedFrameException {
        synchronized (guard) {
            guard.precheck(h);
            return subkeys.computeIfAbsent(new SenderIncarnation(h.senderId(), h.incarnation()),
                    k -> FrameFormat.deriveSubkey(clusterKey, k.senderId(), k.incarnation()));
        }
    }

    private byte[] decrypt(SecretKey key, byte[] frame, int offset, int length) throws RejectedFrameException {
        try {
            Cipher c = cipher.get();
            c.init(Cipher.DECRYPT_MODE, key, FrameFormat.nonce(frame, offset));
            c.updateAAD(frame, offset, FrameFormat.HEADER_BYTES);
            return c.doFinal(frame, offset + FrameFormat.HEADER_BYTES, length - FrameFormat.HEADER_BYTES);
        } catch (AEADBadTagException e) {
            throw new RejectedFrameException(Reason.UNAUTHENTICATED, "tag does not verify (another key, or altered bytes)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM opening failed", e);
        }
    }

    private long count(Reason reason) {
        return dropped.get(reason).get();
    }
}
