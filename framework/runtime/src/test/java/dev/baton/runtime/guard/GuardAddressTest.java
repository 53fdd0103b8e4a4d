package dev.baton.runtime.guard;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Address literals the guard accepts, and what it makes of {@code ip -o addr show}. */
class GuardAddressTest {
    @Test
    void literalsWithAndWithoutPrefix() {
        assertThat(GuardAddress.parse("10.0.0.5").toString()).isEqualTo("10.0.0.5");
        assertThat(GuardAddress.parse(" 10.0.0.5/24 ").prefixLength()).isEqualTo(24);
        assertThat(GuardAddress.parse("2001:db8::5/64").addressText()).isEqualTo("2001:db8:0:0:0:0:0:5");
        assertThat(GuardAddress.parse("2001:DB8::5").address()).isEqualTo(GuardAddress.parse("2001:db8:0::5").address());
    }

    @Test
    void namesAndMalformedLiteralsAreRefused() {
        for (String bad : List.of("", "localhost", "10.0.0", "10.0.0.256", "10.0.0.5/33", "10.0.0.5/", "2001:db8::5/129",
                "fe80::1%eth0", "1.2.3.4/-1", "::g")) {
            assertThatThrownBy(() -> GuardAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void ipAddrShowOutputIsRead() {
        String out = """
                1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
                1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever
                5: v0@if4    inet 10.77.0.5/24 scope global v0\\       valid_lft forever preferred_lft forever
                5: v0    inet6 2001:db8:77::5/64 scope global \\       valid_lft forever preferred_lft forever
                garbage line
                """;
        List<InterfaceAddresses.Held> held = InterfaceAddresses.parse(out);
        assertThat(held).extracting(h -> h.spec() + " " + h.device()).containsExactly("127.0.0.1/8 lo",
                "0:0:0:0:0:0:0:1/128 lo", "10.77.0.5/24 v0", "2001:db8:77:0:0:0:0:5/64 v0");
    }
}
