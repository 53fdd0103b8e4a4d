package dev.baton.runtime.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An address the guard removes on failfast: an IPv4 or IPv6 literal with an optional
 * {@code /prefix}. Only literals: a host name would need a resolver at the moment the network
 * may be what failed. The prefix is informational; the address is removed with whatever prefix
 * the interface holds it under.
 *
 * @param prefixLength -1 when none was given
 */
public record GuardAddress(InetAddress address, int prefixLength) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** Parses {@code 10.0.0.5}, {@code 10.0.0.5/24}, {@code 2001:db8::5/64}; throws naming the problem. */
    public static GuardAddress parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String literal = slash < 0 ? t : t.substring(0, slash);
        InetAddress address = literal(literal, text);
        int maxPrefix = address.getAddress().length * 8;
        int prefix = slash < 0 ? -1 : prefix(t.substring(slash + 1), maxPrefix, text);
        return new GuardAddress(address, prefix);
    }

    private static InetAddress literal(String literal, String text) {
        boolean v4 = IPV4.matcher(literal).matches() && octetsInRange(literal);
        boolean v6 = literal.contains(":") && IPV6.matcher(literal).matches();
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address literal");
        }
        try {
            return InetAddress.getByName(literal); // a checked literal: no name lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address literal", e);
        }
    }

    private static boolean octetsInRange(String literal) {
        for (String octet : literal.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static int prefix(String p, int maxPrefix, String text) {
        if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > maxPrefix) {
            throw new IllegalArgumentException("'" + text + "': prefix length '" + p + "' is not 0-" + maxPrefix);
        }
        return Integer.parseInt(p);
    }

    /** The address alone, in the JDK's canonical text form. */
    public String addressText() {
        return address.getHostAddress();
    }

    @Override
    public String toString() {
        return prefixLength < 0 ? addressText() : addressText() + "/" + prefixLength;
    }
}
