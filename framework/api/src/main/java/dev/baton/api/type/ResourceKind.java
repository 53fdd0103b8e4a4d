package dev.baton.api.type;

import java.util.Locale;

/** Whether a type's resources run on one node at a time or on several. */
public enum ResourceKind {
    /** Online on at most one node at any instant; moved on failure. */
    FAILOVER,
    /** Online on several nodes at once (up to the group's Maximum_primaries). */
    SCALABLE;

    public String descriptorName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ResourceKind fromDescriptorName(String name) {
        for (ResourceKind k : values()) {
            if (k.descriptorName().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + name + "' (known: failover, scalable)");
    }
}
