package dev.baton.runtime.wire;

import dev.baton.runtime.wire.RejectedFrameException.Reason;

/** A snapshot of what an {@link Opener} accepted and dropped, by reason, since it was made. */
public record Counters(long accepted, long malformed, long unauthenticated, long replayed, long staleIncarnation,
                       long tooLarge) {

    public long dropped(Reason reason) {
        return switch (reason) {
            case MALFORMED -> malformed;
            case UNAUTHENTICATED -> unauthenticated;
            case REPLAYED -> replayed;
            case STALE_INCARNATION -> staleIncarnation;
            case TOO_LARGE -> tooLarge;
        };
    }

    public long droppedTotal() {
        return malformed + unauthenticated + replayed + staleIncarnation + tooLarge;
    }
}
