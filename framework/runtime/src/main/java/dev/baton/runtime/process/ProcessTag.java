package dev.baton.runtime.process;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The failfast tag: an environment entry {@code BATON_TAG=<tag>} that every process a resource
 * method starts carries. Children inherit their environment, so the tag still finds a daemon
 * that forked twice and was re-parented to init, long after it left batond's process tree;
 * the guard ({@code dev.baton.runtime.guard.Failfast}) kills by it.
 */
public final class ProcessTag {
    /** The environment variable; reserved for the runtime, methods may not set it. */
    public static final String ENV = "BATON_TAG";
    /** A tag never needs quoting in a command line or a log, and never contains '=' or NUL. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ProcessTag() {
    }

    /** Returns the tag, or throws naming the problem. */
    public static String requireValid(String tag) {
        if (tag == null || !VALID.matcher(tag).matches()) {
            throw new IllegalArgumentException("failfast tag '" + tag
                    + "' is not 1-64 characters of letters, digits, '.', '_' or '-'");
        }
        return tag;
    }

    /** The whole environment entry, as bytes the way /proc/PID/environ holds it. */
    public static byte[] entry(String tag) {
        return (ENV + "=" + requireValid(tag)).getBytes(StandardCharsets.US_ASCII);
    }
}
