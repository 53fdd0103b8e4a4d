package dev.baton.e2e.testbed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Reads {@code ip -json address show} output: does an up interface with carrier hold an address? */
final class IpAddrJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IpAddrJson() {}

    /** The address an IPv4 or IPv6 literal names; fails for anything else (never looks a name up). */
    static InetAddress literal(String addressLiteral) {
        if (addressLiteral == null || !addressLiteral.matches("[0-9A-Fa-f.:]+") || !addressLiteral.matches(".*[.:].*")) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address literal: '" + addressLiteral + "'");
        }
        try {
            return InetAddress.getByName(addressLiteral);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address literal: '" + addressLiteral + "'", e);
        }
    }

    /** The prefix that names exactly this address, for {@code ip address show to}. */
    static String hostPrefix(InetAddress address) {
        return address.getHostAddress() + (address instanceof java.net.Inet6Address ? "/128" : "/32");
    }

    /**
      * True when some interface in {@code ipJson} is administratively up, has carrier (LOWER_UP) and
      * holds {@code address} as a usable (not tentative, not failed) local address.
      */
    static boolean serves(String ipJson, InetAddress address) {
        JsonNode interfaces = parse(ipJson);
        for (JsonNode iface : interfaces) {
            if (linkUp(iface) && holds(iface, address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean linkUp(JsonNode iface) {
        boolean up = false;
        boolean carrier = false;
        for (JsonNode flag : iface.path("flags")) {
            up |= flag.asText().equals("UP");
            carrier |= flag.asText().equals("LOWER_UP");
        }
        return up && carrier;
    }

    private static boolean holds(JsonNode iface, InetAddress address) {
        for (JsonNode addr : iface.path("addr_info")) {
            boolean usable = !addr.path("tentative").asBoolean(false) && !addr.path("dadfailed").asBoolean(false);
            if (usable && address.equals(literalOrNull(addr.path("local").asText()))) {
                return true;
            }
        }
        return false;
    }

    private static InetAddress literalOrNull(String text) {
        return text.isEmpty() ? null : literal(text);
    }

    private static JsonNode parse(String ipJson) {
        try {
            JsonNode node = JSON.readTree(ipJson);
            if (node == null || !node.isArray()) {
                throw new IllegalStateException("ip -json did not print an array: " + abbreviate(ipJson));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ip -json printed something that is not JSON: " + abbreviate(ipJson), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
