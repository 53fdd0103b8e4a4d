package dev.baton.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EpochTest {
    @Test
    void epochsOrderByRoundThenCoordinatorAndNeverCollide() {
        assertThat(new Epoch(2, 1)).isGreaterThan(new Epoch(1, 9));
        assertThat(new Epoch(2, 3)).isGreaterThan(new Epoch(2, 1));
        assertThat(new Epoch(1, 1)).isGreaterThan(Epoch.NONE);
        assertThat(new Epoch(7, 2)).hasToString("7.2");
        assertThat(Epoch.parse("7.2")).isEqualTo(new Epoch(7, 2));
        assertThatThrownBy(() -> Epoch.parse("7")).hasMessageContaining("round.coordinator");
    }
}
