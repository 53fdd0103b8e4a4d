package dev.baton.api.type;

import java.util.Locale;

/**
 * When an operator may change a property of an existing resource.
 *
 * <p>Lifecycle of a value: it is set when the resource is created (every property, whatever its
 * tunability); later changes go through validate and a CCR commit, and are refused if the
 * property's tunability does not allow them in the resource's current state. A change to an
 * {@link #ANYTIME} property of an online resource is announced to it with the {@code update}
 * method; a type without {@code update} picks the value up at its next start.
 */
public enum Tunability {
    /** Set when the resource is created, never changed afterwards. */
    AT_CREATION,
    /** May change while the resource is online. */
    ANYTIME,
    /** May change only while the resource is disabled (offline everywhere). */
    WHEN_DISABLED;

    /** The name used in descriptors: {@code when_disabled}. */
    public String descriptorName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Tunability fromDescriptorName(String name) {
        for (Tunability t : values()) {
            if (t.descriptorName().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tunability '" + name
                + "' (known: at_creation, anytime, when_disabled)");
    }

    /** Whether a change is allowed for a resource that exists and is, or is not, enabled. */
    public boolean allowsChange(boolean resourceEnabled) {
        return switch (this) {
            case AT_CREATION -> false;
            case ANYTIME -> true;
            case WHEN_DISABLED -> !resourceEnabled;
        };
    }
}
