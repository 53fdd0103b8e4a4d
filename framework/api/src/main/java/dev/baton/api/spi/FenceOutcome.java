package dev.baton.api.spi;

import java.util.Objects;

/**
 * What a fencing attempt achieved. Only {@link Status#FENCED} lets survivors act as if the
 * target were cut off; {@link Status#UNKNOWN} (a timeout, a lost answer) counts as not fenced.
 */
public record FenceOutcome(Status status, String detail) {
    public enum Status { FENCED, FAILED, UNKNOWN }

    public FenceOutcome {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }
}
