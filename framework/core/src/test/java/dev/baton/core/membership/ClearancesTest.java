package dev.baton.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClearancesTest {
    @Test
    void aWaitEndsAtItsLatestDeadlineAndAFenceOnlyWaitNeverEndsByTime() {
        Clearances clearances = new Clearances();
        clearances.waitUntil(2, 100);
        clearances.waitUntil(2, 50);
        clearances.waitUntil(3, Clearances.FENCE_ONLY);
        assertThat(clearances.expire(99)).isEmpty();
        assertThat(clearances.expire(100)).containsExactly(2);
        assertThat(clearances.expire(Long.MAX_VALUE - 1)).isEmpty();
        assertThat(clearances.pending()).containsExactly(3);
        assertThat(clearances.clear(3)).isTrue();
        assertThat(clearances.pending()).isEmpty();
        assertThat(clearances.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }
}
