package dev.baton.core.rgm;

import java.util.Locale;

/** How a resource depends on another of its group (Sun Cluster's Resource_dependencies family). */
public enum DependencyKind {
    /** Starts only once the target is online; stopped before the target is stopped. A restart of the target leaves it running. */
    STRONG,
    /** Ordering only: starts after the target's start finished (whatever its outcome), stops before the target stops. */
    WEAK,
    /** As STRONG, and restarted after the target is restarted. */
    RESTART,
    /** As STRONG, and stopped as soon as the target goes offline, started again after it is back. */
    OFFLINE_RESTART;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the dependent may run only while the target is online. */
    public boolean requiresTargetOnline() {
        return this != WEAK;
    }
}
