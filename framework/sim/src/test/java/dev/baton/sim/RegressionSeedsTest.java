package dev.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeds beyond the default range that once broke an invariant, kept so the bug stays fixed.
 * Each comment says what it found. Add a seed here when the volume profile finds one.
 */
class RegressionSeedsTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {
            3015, // a joiner renewed a lease beside a node that still held one under a membership without it
            3194, // a commit applied after a member's Accept snapshot was rolled back by the recovery that missed it
            3488, // lease membership forgot the memberships adopted since the lease was last renewed
            3556, // same, for a node that re-formed alone after adopting a larger membership
            3662, // same family as 3556
            3908, // a stalled node announced a clearance from stale facts after others took the node back
            12473, // the generator wiped the disk of one of only two voters: no majority could vouch (now an override case)
            15538, // same, with a quorum device
            25472, // a former coordinator kept waiting for a fence answer it would never get, and its core spun
            35753, // a node that rebooted quickly forgot the acknowledgements it sent just before it crashed
            62465, // a device check passed on a registration a newer epoch gave back, renewing an old epoch's lease
    })
    void onceBrokenSeedsKeepEveryInvariant(long seed) {
        RandomRun.Outcome outcome = new RandomRun(seed).run();
        assertThat(outcome.seed()).isEqualTo(seed);
    }

    /** Seeds with resource groups (./baton sim --seed N --groups) that once broke an invariant. */
    @ParameterizedTest(name = "seed {0} with groups")
    @ValueSource(longs = {
            1918, // a machine frozen past a clearance under power fencing was never fenced: its group ran twice on thaw
            2577, // same
            6075, // same
            12472, // same
            1696, // a node that failed fast and was back before anyone left it out kept its dead group "online"
            8602, // a node that served another partition's coordinator never told the returning one: a dead group stayed "online"
            3059, // a HARD stop failure halted a node after repair; the run then read its empty status
            8729, // a storage fence asked for before the node rejoined cleared it while it was a member again
            9167, // a stop refused for a stale epoch counted as a failed stop: the group waited for an operator
            30585, // then: a refused action re-planned at once bounced between coordinator and node (a spinning core)
            52206, // a swing voter let two sides clear each other: a clearance announced on a lease renewed before it ran out
    })
    void onceBrokenSeedsWithGroupsKeepEveryInvariant(long seed) {
        RandomRun.Outcome outcome = new RandomRun(seed, true).run();
        assertThat(outcome.seed()).isEqualTo(seed);
    }
}
