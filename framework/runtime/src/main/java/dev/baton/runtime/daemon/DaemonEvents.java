package dev.baton.runtime.daemon;

import dev.baton.core.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The core's recent events (bounded, newest last) for status, and the answers control-socket
 * clients wait for: an RGM request or a configuration change is answered by an event carrying its
 * request id.
 */
final class DaemonEvents {
    static final int KEPT = 200;
    static final int MAX_WAITING = 256;

    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private final Map<Long, CompletableFuture<Event>> waiting = new ConcurrentHashMap<>();

    synchronized void publish(Event event) {
        if (recent.size() == KEPT) {
            recent.removeFirst();
        }
        recent.addLast(System.currentTimeMillis() + " " + event);
        long id = switch (event) {
            case Event.RgmRequestAnswered a -> a.requestId();
            case Event.ChangeCommitted c -> c.requestId();
            case Event.ChangeFailed f -> f.requestId();
            case Event.ChangeInDoubt d -> d.requestId();
            default -> -1;
        };
        CompletableFuture<Event> f = id < 0 ? null : waiting.remove(id);
        if (f != null) {
            f.complete(event);
        }
    }

    synchronized List<String> recent() {
        return new ArrayList<>(recent);
    }

    /** A future completed by the event answering {@code requestId}; empty when too many already wait. */
    java.util.Optional<CompletableFuture<Event>> await(long requestId) {
        if (waiting.size() >= MAX_WAITING) {
            return java.util.Optional.empty();
        }
        CompletableFuture<Event> f = new CompletableFuture<>();
        waiting.put(requestId, f);
        return java.util.Optional.of(f);
    }

    void forget(long requestId) {
        waiting.remove(requestId);
    }
}
