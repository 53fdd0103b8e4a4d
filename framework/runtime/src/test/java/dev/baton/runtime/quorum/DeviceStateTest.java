package dev.baton.runtime.quorum;

import dev.baton.api.spi.QuorumDevice.RaceOutcome;
import dev.baton.core.membership.Epoch;
import dev.baton.runtime.state.StateFileException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The device semantics of the SPI (and of the simulator's SimQuorumDevice), without the network. */
class DeviceStateTest {
    private static final Epoch E21 = new Epoch(2, 1);
    private static final Epoch E23 = new Epoch(2, 3);
    private static final Epoch E32 = new Epoch(3, 2);

    private final DeviceState fresh = DeviceState.fresh(Set.of(1, 2, 3));

    @Test
    void everyConnectedNodeStartsRegistered() {
        assertThat(fresh.registered()).containsExactly(1, 2, 3);
        assertThat(fresh.holder()).isEmpty();
        assertThat(fresh.holds(1, E21)).isFalse();
    }

    @Test
    void aWinPreemptsEveryoneOutsideTheMembershipAndHoldsForItsEpoch() {
        DeviceState.Raced raced = fresh.race(1, E21, Set.of(1, 2));
        assertThat(raced.outcome()).isEqualTo(RaceOutcome.WON);
        assertThat(raced.preempted()).containsExactly(3);
        assertThat(raced.next().registered()).containsExactly(1, 2);
        assertThat(raced.next().holds(1, E21)).isTrue();
        assertThat(raced.next().holds(2, E21)).isTrue();
        assertThat(raced.next().holds(3, E21)).isFalse();
        assertThat(raced.next().holds(1, E23)).isFalse();
    }

    @Test
    void ofTwoDisjointMembershipsOnlyTheFirstWins() {
        DeviceState.Raced first = fresh.race(1, E21, Set.of(1, 2));
        DeviceState.Raced second = first.next().race(3, E23, Set.of(3));
        assertThat(second.outcome()).isEqualTo(RaceOutcome.LOST);
        assertThat(second.preempted()).isEmpty();
        assertThat(second.next()).isEqualTo(first.next());

        DeviceState.Raced otherOrder = fresh.race(3, E23, Set.of(3));
        assertThat(otherOrder.outcome()).isEqualTo(RaceOutcome.WON);
        assertThat(otherOrder.next().race(1, E21, Set.of(1, 2)).outcome()).isEqualTo(RaceOutcome.LOST);
    }

    @Test
    void aLaterRaceEndsTheHoldEvenWhenItRegistersTheNodeAgain() {
        DeviceState won = fresh.race(1, E21, Set.of(1, 2)).next();
        DeviceState again = won.race(2, E32, Set.of(1, 2)).next();
        assertThat(again.registered()).containsExactly(1, 2);
        assertThat(again.holds(1, E21)).isFalse();
        assertThat(again.holds(1, E32)).isTrue();
    }

    @Test
    void aRacerNotConnectedGetsUnknown() {
        DeviceState.Raced raced = fresh.race(7, E21, Set.of(7, 1));
        assertThat(raced.outcome()).isEqualTo(RaceOutcome.UNKNOWN);
        assertThat(raced.next()).isEqualTo(fresh);
    }

    @Test
    void onlyConnectedMembersAreRegistered() {
        assertThat(fresh.race(1, E21, Set.of(1, 9)).next().registered()).containsExactly(1);
    }

    @Test
    void onlyARegisteredNodeRecordsTheCommittingMembership() {
        DeviceState won = fresh.race(1, E21, Set.of(1, 2)).next();
        assertThat(won.record(3, E21, Set.of(1, 2))).isEmpty();
        DeviceState recorded = won.record(2, E21, Set.of(1, 2)).orElseThrow();
        assertThat(recorded.committed()).contains(new DeviceState.Committed(E21, new java.util.TreeSet<>(Set.of(1, 2))));
        assertThat(recorded.race(3, E23, Set.of(3)).next().committed()).isEqualTo(recorded.committed());
    }

    @Test
    void aConfigurationChangeNeverRegistersANodeAgain() {
        DeviceState won = fresh.race(1, E21, Set.of(1, 2)).next();
        DeviceState changed = won.withConnected(Set.of(1, 3, 4));
        assertThat(changed.connected()).containsExactly(1, 3, 4);
        assertThat(changed.registered()).containsExactly(1);
        assertThat(changed.race(4, E32, Set.of(3, 4)).outcome()).isEqualTo(RaceOutcome.LOST);
        assertThat(changed.race(4, E32, Set.of(1, 3, 4)).next().registered()).containsExactly(1, 3, 4);
    }

    @Test
    void framesMustBeNewerThanTheLastOneAcceptedFromTheirSender() {
        DeviceState seen = fresh.withFloor(1, new DeviceState.Floor(100, 5));
        assertThat(seen.isNewer(1, new DeviceState.Floor(100, 5))).isFalse();
        assertThat(seen.isNewer(1, new DeviceState.Floor(100, 4))).isFalse();
        assertThat(seen.isNewer(1, new DeviceState.Floor(99, 500))).isFalse();
        assertThat(seen.isNewer(1, new DeviceState.Floor(100, 6))).isTrue();
        assertThat(seen.isNewer(1, new DeviceState.Floor(101, 1))).isTrue();
        assertThat(seen.isNewer(2, new DeviceState.Floor(1, 1))).isTrue();
    }

    @Test
    void theStateFileRoundTripsAndReadsAsText() throws StateFileException {
        DeviceState state = fresh.race(1, E21, Set.of(1, 2)).next().record(1, E21, Set.of(1, 2)).orElseThrow()
                .withFloor(1, new DeviceState.Floor(1_763_712_000_000L, 42)).withFloor(2, new DeviceState.Floor(7, 1));
        String text = DeviceStateFile.render("alpha", state);
        assertThat(text).startsWith("baton-quorum-cluster 1\n").contains("registered: 1,2\n", "holder: 2.1\n",
                "committed: 2.1\n", "floors: 1=1763712000000/42,2=7/1\n");
        assertThat(DeviceStateFile.parse("alpha", text.getBytes(StandardCharsets.UTF_8))).isEqualTo(state);
        assertThat(DeviceStateFile.parse("alpha", DeviceStateFile.render("alpha", fresh).getBytes(StandardCharsets.UTF_8))).isEqualTo(fresh);
    }

    @Test
    void aDamagedStateFileIsRefusedNamingTheProblem() {
        String text = DeviceStateFile.render("alpha", fresh.race(1, E21, Set.of(1, 2)).next());
        assertThatThrownBy(() -> DeviceStateFile.parse("beta", text.getBytes(StandardCharsets.UTF_8)))
                .hasMessage("holds cluster 'alpha', expected 'beta'");
        assertThatThrownBy(() -> DeviceStateFile.parse("alpha", text.replace("registered: 1,2", "registered: 1,x").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("registered: 'x' is not a node id (1..64)");
        assertThatThrownBy(() -> DeviceStateFile.parse("alpha", text.replace("holder: 2.1", "holder: 2").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("'holder' is not an epoch (round.coordinator) or none: '2'");
        assertThatThrownBy(() -> DeviceStateFile.parse("alpha", text.replace("floors: ", "floors: 1=5").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("floors: '1=5' is not node=incarnation/seq");
    }
}
