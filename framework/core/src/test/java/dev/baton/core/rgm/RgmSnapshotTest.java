package dev.baton.core.rgm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import org.junit.jupiter.api.Test;

/**
 * What a coordinator replicates, and what a new coordinator takes from it: failure history as
 * ages on its own clock and the operator's wishes, never states (it probes for those).
 */
class RgmSnapshotTest {
    private static final RgmConfig CONFIG = RgmConfigText.parse("""
            group web failover nodes=1,2,3 pingpong=1h
              resource web-app type=apache Retry_count=2 Retry_interval=5m
            group db failover nodes=2,3
              resource db-app type=oracle
            """, "test");
    private static final int[] NODES = {1, 2, 3};

    @Test
    void historyAndWishesSurviveACoordinatorChangeOnAnotherClock() {
        RgmState old = new RgmState(CONFIG, NODES, true);
        int web = CONFIG.groupIndex("web");
        int db = CONFIG.groupIndex("db");
        int app = CONFIG.resourceIndex("web-app");
        old.force(app, 1, ResourceState.ONLINE);
        old.apply(app, 1, MethodName.PROBE, ResultCode.FAILED_HARD, "gone", 10_000);
        old.setWantedOnline(db, false);
        old.pin(web, 3);
        old.evacuate(2, 70_000);

        RgmSnapshot snapshot = old.snapshot(40_000);
        assertThat(snapshot.states()).extracting(RgmSnapshot.StateEntry::resource).contains("web-app");
        assertThat(snapshot.failures()).singleElement().satisfies(f -> assertThat(f.agesMs()).containsExactly(30_000L));

        RgmState fresh = new RgmState(CONFIG, NODES, false);
        fresh.restore(snapshot, 1_000_000);
        assertThat(fresh.groupFailedAtMs(web, 1)).hasValue(970_000);
        assertThat(fresh.recentFailures(app, 1, 1_000_000)).isEqualTo(1);
        assertThat(fresh.wantedOnline(db)).isFalse();
        assertThat(fresh.pinned(web)).isEqualTo(3);
        assertThat(fresh.switchoverPending(web)).isTrue();
        assertThat(fresh.evacuated(2, 1_029_999)).isTrue();
        assertThat(fresh.evacuated(2, 1_030_000)).isFalse();
        assertThat(fresh.state(app, 1)).as("states are probed, not taken").isEqualTo(ResourceState.UNKNOWN);
    }

    @Test
    void entriesForGroupsResourcesOrNodesThisConfigurationLacksAreSkipped() {
        RgmConfig other = RgmConfigText.parse("""
                group web failover nodes=1,2,3,4
                  resource web-app type=apache
                group mail failover nodes=4
                  resource mail-app type=postfix
                """, "other");
        RgmState old = new RgmState(other, new int[] {1, 2, 3, 4}, false);
        int mail = other.resourceIndex("mail-app");
        old.force(mail, 4, ResourceState.ONLINE);
        old.apply(mail, 4, MethodName.PROBE, ResultCode.FAILED, "x", 5);
        old.pin(other.groupIndex("web"), 4);

        RgmState fresh = new RgmState(CONFIG, NODES, false);
        fresh.restore(old.snapshot(10), 100);
        assertThat(fresh.pinned(CONFIG.groupIndex("web"))).as("node 4 is not a cluster node here").isEqualTo(-1);
        assertThat(fresh.switchoverPending(CONFIG.groupIndex("web"))).isFalse();
    }
}
