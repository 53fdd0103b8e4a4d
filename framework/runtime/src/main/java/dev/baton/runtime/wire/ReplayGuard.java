package dev.baton.runtime.wire;

import dev.baton.runtime.wire.RejectedFrameException.Reason;

import java.util.HashMap;
import java.util.Map;

/**
 * What an {@link Opener} remembers of its senders: for each, the newest incarnation whose frame
 * verified, and a {@link ReplayWindow} per stream of that incarnation. Bounded to
 * {@link #MAX_SENDERS} × {@link #MAX_STREAMS_PER_SENDER} windows; the least recently used goes first.
 *
 * <p>{@link #precheck} only reads, so a frame that has not been authenticated cannot create state,
 * advance a window or even refresh an entry's place in the eviction order. Not thread-safe: the
 * Opener holds the lock.
 */
final class ReplayGuard {
    static final int MAX_SENDERS = 64;
    static final int MAX_STREAMS_PER_SENDER = 64;

    private static final class SenderState {
        long incarnation;
        long lastUsedTick;
        final Map<Integer, ReplayWindow> streams = new HashMap<>();
    }

    private final Map<Integer, SenderState> senders = new HashMap<>();
    private long tick;

    /** Throws if the frame is surely stale or a replay; reads only. */
    void precheck(FrameFormat.Header h) throws RejectedFrameException {
        SenderState sender = senders.get(h.senderId());
        if (sender == null || h.incarnation() > sender.incarnation) {
            return;
        }
        if (h.incarnation() < sender.incarnation) {
            throw stale(h, sender);
        }
        ReplayWindow window = sender.streams.get(h.streamId());
        if (window != null && !window.isFresh(h.seq())) {
            throw replayed(h, window);
        }
    }

    /** Records an authenticated frame, or throws if it turned out stale or replayed meanwhile. */
    void accept(FrameFormat.Header h) throws RejectedFrameException {
        tick++;
        SenderState sender = senderFor(h);
        if (h.incarnation() < sender.incarnation) {
            throw stale(h, sender);
        }
        if (h.incarnation() > sender.incarnation) {
            sender.incarnation = h.incarnation();
            sender.streams.clear();
        }
        sender.lastUsedTick = tick;
        ReplayWindow window = sender.streams.get(h.streamId());
        if (window == null) {
            evictLeastRecentlyUsed(sender.streams, MAX_STREAMS_PER_SENDER, w -> w.lastUsedTick);
            window = new ReplayWindow();
            sender.streams.put(h.streamId(), window);
        }
        if (!window.isFresh(h.seq())) {
            throw replayed(h, window);
        }
        window.mark(h.seq());
        window.lastUsedTick = tick;
    }

    int senderCount() {
        return senders.size();
    }

    int streamCount() {
        return senders.values().stream().mapToInt(s -> s.streams.size()).sum();
    }

    private SenderState senderFor(FrameFormat.Header h) {
        SenderState sender = senders.get(h.senderId());
        if (sender == null) {
            evictLeastRecentlyUsed(senders, MAX_SENDERS, s -> s.lastUsedTick);
            sender = new SenderState();
            sender.incarnation = h.incarnation();
            senders.put(h.senderId(), sender);
        }
        return sender;
    }

    /** Makes room for one more entry; a linear scan, since a map holds at most 64. */
    private static <V> void evictLeastRecentlyUsed(Map<Integer, V> map, int capacity, java.util.function.ToLongFunction<V> lastUsed) {
        if (map.size() < capacity) {
            return;
        }
        Integer oldest = null;
        long oldestTick = Long.MAX_VALUE;
        for (Map.Entry<Integer, V> e : map.entrySet()) {
            long used = lastUsed.applyAsLong(e.getValue());
            if (used < oldestTick) {
                oldestTick = used;
                oldest = e.getKey();
            }
        }
        map.remove(oldest);
    }

    private static RejectedFrameException stale(FrameFormat.Header h, SenderState sender) {
        return new RejectedFrameException(Reason.STALE_INCARNATION, "sender " + h.senderId() + " incarnation "
                + h.incarnation() + ", already heard " + sender.incarnation);
    }

    private static RejectedFrameException replayed(FrameFormat.Header h, ReplayWindow window) {
        return new RejectedFrameException(Reason.REPLAYED, "sender " + h.senderId() + " stream " + h.streamId()
                + " seq " + h.seq() + " (highest seen " + window.highest() + ", window " + ReplayWindow.SIZE + ")");
    }
}
