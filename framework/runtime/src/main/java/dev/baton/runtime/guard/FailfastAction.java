package dev.baton.runtime.guard;

import java.util.Locale;

/**
 * What follows the kill once a failfast has fired.
 *
 * <ul>
 * <li>{@link #EXIT}: tests and demos. The guard exits with {@link #EXIT_CODE}; the machine lives on,
 * with this node's resource processes killed and its addresses removed.</li>
 * <li>{@link #REBOOT}: production. The machine restarts at once, like a power cut: no sync, no
 * stop methods (a sync can hang on the very storage that failed). Refused unless the daemon
 * explicitly allowed it ({@code --allow-reboot}); tests never do.</li>
 * </ul>
 */
public enum FailfastAction {
    EXIT, REBOOT;

    /** The guard's exit code after an EXIT failfast (EX_SOFTWARE). */
    public static final int EXIT_CODE = 70;

    /** {@code exit} or {@code reboot}, any case; throws naming the problem. */
    public static FailfastAction parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("failfast action '" + text + "' is not exit or reboot", e);
        }
    }

    /** The word the guard's command line uses. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
