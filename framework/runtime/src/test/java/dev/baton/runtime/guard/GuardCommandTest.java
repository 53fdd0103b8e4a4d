package dev.baton.runtime.guard;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The line protocol between batond and its guard. */
class GuardCommandTest {
    @Test
    void everyCommandReadsBackFromItsLine() {
        for (GuardCommand c : List.of(new GuardCommand.Hello(123), new GuardCommand.Arm(-45),
                new GuardCommand.Addrs(Set.of("10.1.2.3/24", "2001:db8::7")), new GuardCommand.Addrs(Set.of()),
                new GuardCommand.Disarm(), new GuardCommand.Bye())) {
            assertThat(GuardCommand.parse(c.line())).as(c.line()).isEqualTo(c);
        }
    }

    @Test
    void badLinesAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> GuardCommand.parse("ARM soon")).hasMessageContaining("needs one nanoTime");
        assertThatThrownBy(() -> GuardCommand.parse("FIRE")).hasMessageContaining("unknown command");
        assertThatThrownBy(() -> GuardCommand.parse("BYE now")).hasMessageContaining("takes no argument");
        assertThatThrownBy(() -> GuardCommand.parse("ADDRS 10.0.0.1,www.example.com"))
                .hasMessageContaining("'www.example.com' is not an IPv4 or IPv6 address literal");
    }

    @Test
    void theAddressListIsBounded() {
        Set<String> many = new HashSet<>();
        for (int i = 0; i <= GuardCommand.MAX_ADDRESSES; i++) {
            many.add("10.0." + i / 256 + "." + i % 256);
        }
        assertThatThrownBy(() -> new GuardCommand.Addrs(many)).hasMessageContaining("above the limit");
    }
}
