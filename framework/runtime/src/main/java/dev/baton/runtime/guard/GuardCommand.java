package dev.baton.runtime.guard;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One line batond writes to the guard's stdin. Times are {@link System#nanoTime()} values of
 * batond; on Linux HotSpot both JVMs read CLOCK_MONOTONIC, which {@link Hello} lets the guard check.
 *
 * <pre>
 * HELLO &lt;nanoTime&gt;        first line: batond's clock now
 * ARM &lt;deadlineNanos&gt;      fire when this passes without a newer ARM (the lease deadline)
 * ADDRS a,b,c              the addresses to remove on failfast (replaces the previous list; empty clears)
 * DISARM                   nothing runs here: fire for nothing until the next ARM
 * BYE                      batond leaves cleanly: exit without killing
 * </pre>
 */
sealed interface GuardCommand {
    /** Longest line either side accepts; ADDRS with {@link #MAX_ADDRESSES} IPv6 literals fits. */
    int MAX_LINE_CHARS = 64 * 1024;
    int MAX_ADDRESSES = 256;

    /** The line, without its newline. */
    String line();

    record Hello(long nanoTime) implements GuardCommand {
        public String line() {
            return "HELLO " + nanoTime;
        }
    }

    record Arm(long deadlineNanos) implements GuardCommand {
        public String line() {
            return "ARM " + deadlineNanos;
        }
    }

    record Addrs(Set<String> addresses) implements GuardCommand {
        public Addrs {
            if (addresses.size() > MAX_ADDRESSES) {
                throw new IllegalArgumentException(addresses.size() + " addresses is above the limit of " + MAX_ADDRESSES);
            }
            addresses.forEach(GuardAddress::parse);
            addresses = Set.copyOf(addresses);
        }

        public String line() {
            return addresses.isEmpty() ? "ADDRS" : "ADDRS " + String.join(",", addresses);
        }
    }

    record Disarm() implements GuardCommand {
        public String line() {
            return "DISARM";
        }
    }

    record Bye() implements GuardCommand {
        public String line() {
            return "BYE";
        }
    }

    /** Reads one line; throws naming the problem. */
    static GuardCommand parse(String line) {
        String[] words = line.strip().split(" ", 2);
        String arg = words.length > 1 ? words[1].strip() : "";
        return switch (words[0]) {
            case "HELLO" -> new Hello(number(line, arg));
            case "ARM" -> new Arm(number(line, arg));
            case "ADDRS" -> new Addrs(addressList(arg));
            case "DISARM" -> noArgument(line, arg, new Disarm());
            case "BYE" -> noArgument(line, arg, new Bye());
            default -> throw new IllegalArgumentException("unknown command in '" + shorten(line) + "'");
        };
    }

    private static long number(String line, String arg) {
        try {
            return Long.parseLong(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + shorten(line) + "' needs one nanoTime value", e);
        }
    }

    private static Set<String> addressList(String arg) {
        Set<String> addresses = new LinkedHashSet<>();
        for (String a : arg.split(",")) {
            if (!a.isBlank()) {
                addresses.add(a.strip());
            }
        }
        return addresses;
    }

    private static GuardCommand noArgument(String line, String arg, GuardCommand command) {
        if (!arg.isEmpty()) {
            throw new IllegalArgumentException("'" + shorten(line) + "' takes no argument");
        }
        return command;
    }

    private static String shorten(String line) {
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }
}
