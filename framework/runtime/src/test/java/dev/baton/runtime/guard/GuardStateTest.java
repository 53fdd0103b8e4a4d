package dev.baton.runtime.guard;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The guard's decisions, driven with explicit times: no process, no clock. */
class GuardStateTest {
    private static final long MS = 1_000_000;
    private static final long T0 = 1_000_000 * MS;

    private static GuardState ready() {
        GuardState s = new GuardState();
        assertThat(s.onCommand(new GuardCommand.Hello(T0), T0 + 300 * MS)).isInstanceOf(GuardState.Ready.class);
        return s;
    }

    private static GuardState armed(long deadline) {
        GuardState s = ready();
        assertThat(s.onCommand(new GuardCommand.Arm(deadline), T0 + 400 * MS)).isInstanceOf(GuardState.Continue.class);
        return s;
    }

    @Test
    void helloMustComeFirst() {
        GuardState s = new GuardState();
        assertThat(s.onCommand(new GuardCommand.Arm(T0), T0)).isInstanceOfSatisfying(GuardState.Leave.class,
                l -> assertThat(l.reason()).contains("not HELLO"));
        assertThat(new GuardState().onEof(T0)).isInstanceOfSatisfying(GuardState.Leave.class,
                l -> assertThat(l.exitCode()).isEqualTo(GuardState.EXIT_REFUSED));
    }

    @Test
    void aGuardClockBehindBatondsIsRefused() {
        assertThat(new GuardState().onCommand(new GuardCommand.Hello(T0), T0 - 1))
                .isInstanceOfSatisfying(GuardState.Leave.class, l -> assertThat(l.reason()).contains("earlier"));
    }

    @Test
    void aGuardClockMoreThanFiveSecondsAheadIsRefused() {
        assertThat(new GuardState().onCommand(new GuardCommand.Hello(T0), T0 + 5_001 * MS))
                .isInstanceOfSatisfying(GuardState.Leave.class, l -> assertThat(l.reason()).contains("later"));
        assertThat(new GuardState().onCommand(new GuardCommand.Hello(T0), T0 + 5_000 * MS))
                .isInstanceOf(GuardState.Ready.class);
    }

    @Test
    void endOfStdinFiresWhileWatchingOrArmed() {
        assertThat(ready().onEof(T0 + 500 * MS)).isInstanceOfSatisfying(GuardState.Fire.class,
                f -> assertThat(f.reason()).contains("stdin closed without BYE"));
        assertThat(armed(T0 + 10_000 * MS).onEof(T0 + 500 * MS)).isInstanceOf(GuardState.Fire.class);
    }

    @Test
    void theDeadlineFiresOnlyOnceItPassed() {
        GuardState s = armed(T0 + 1_000 * MS);
        assertThat(s.onTick(T0 + 999 * MS)).isInstanceOf(GuardState.Continue.class);
        assertThat(s.onTick(T0 + 1_000 * MS)).isInstanceOfSatisfying(GuardState.Fire.class,
                f -> assertThat(f.reason()).contains("deadline passed"));
        assertThat(s.onTick(T0 + 2_000 * MS)).as("fires once").isInstanceOf(GuardState.Continue.class);
        assertThat(s.onEof(T0 + 2_000 * MS)).isInstanceOf(GuardState.Continue.class);
    }

    @Test
    void aNewerArmMovesTheDeadline() {
        GuardState s = armed(T0 + 1_000 * MS);
        s.onCommand(new GuardCommand.Arm(T0 + 2_000 * MS), T0 + 900 * MS);
        assertThat(s.onTick(T0 + 1_500 * MS)).isInstanceOf(GuardState.Continue.class);
        assertThat(s.onTick(T0 + 2_000 * MS)).isInstanceOf(GuardState.Fire.class);
    }

    @Test
    void anArmArrivingAfterTheDeadlineFiresInsteadOfReviving() {
        GuardState s = armed(T0 + 1_000 * MS);
        assertThat(s.onCommand(new GuardCommand.Arm(T0 + 5_000 * MS), T0 + 1_001 * MS))
                .isInstanceOf(GuardState.Fire.class);
    }

    @Test
    void anArmWithAPastDeadlineFiresAtOnce() {
        assertThat(ready().onCommand(new GuardCommand.Arm(T0), T0 + 500 * MS)).isInstanceOf(GuardState.Fire.class);
    }

    @Test
    void disarmedNothingFiresAndEndOfStdinLeavesQuietly() {
        GuardState s = armed(T0 + 1_000 * MS);
        s.onCommand(new GuardCommand.Disarm(), T0 + 500 * MS);
        assertThat(s.mode()).isEqualTo(GuardState.Mode.DISARMED);
        assertThat(s.onTick(T0 + 60_000 * MS)).isInstanceOf(GuardState.Continue.class);
        assertThat(s.onEof(T0 + 60_000 * MS)).isInstanceOfSatisfying(GuardState.Leave.class,
                l -> assertThat(l.exitCode()).isEqualTo(GuardState.EXIT_CLEAN));
    }

    @Test
    void aDisarmAfterTheDeadlineFires() {
        GuardState s = armed(T0 + 1_000 * MS);
        assertThat(s.onCommand(new GuardCommand.Disarm(), T0 + 1_200 * MS)).isInstanceOf(GuardState.Fire.class);
    }

    @Test
    void byeLeavesCleanlyEvenWhenArmed() {
        assertThat(armed(T0 + 1_000 * MS).onCommand(new GuardCommand.Bye(), T0 + 500 * MS))
                .isInstanceOfSatisfying(GuardState.Leave.class, l -> assertThat(l.exitCode()).isZero());
    }

    @Test
    void addressesAreReplacedByEachList() {
        GuardState s = ready();
        s.onCommand(new GuardCommand.Addrs(Set.of("10.0.0.5/24", "10.0.0.6")), T0 + 400 * MS);
        s.onCommand(new GuardCommand.Addrs(Set.of("2001:db8::5")), T0 + 400 * MS);
        assertThat(s.addresses()).containsExactly("2001:db8::5");
    }

    @Test
    void theWatcherSleepsToTheDeadlineButNoLongerThanTheBound() {
        assertThat(ready().nanosToNextCheck(T0, 10 * MS)).isEqualTo(10 * MS);
        GuardState s = armed(T0 + 1_000 * MS);
        assertThat(s.nanosToNextCheck(T0 + 997 * MS, 10 * MS)).isEqualTo(3 * MS);
        assertThat(s.nanosToNextCheck(T0 + 500 * MS, 10 * MS)).isEqualTo(10 * MS);
        assertThat(s.nanosToNextCheck(T0 + 1_001 * MS, 10 * MS)).isZero();
    }
}
