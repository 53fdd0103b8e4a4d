package dev.baton.core.rgm;

import static dev.baton.api.method.ResultCode.CONFIG_ERROR;
import static dev.baton.api.method.ResultCode.DEGRADED;
import static dev.baton.api.method.ResultCode.FAILED;
import static dev.baton.api.method.ResultCode.FAILED_HARD;
import static dev.baton.api.method.ResultCode.NOT_RUNNING;
import static dev.baton.api.method.ResultCode.RUNNING;
import static dev.baton.api.method.ResultCode.SUCCESS;
import static dev.baton.api.method.ResultCode.TIMED_OUT;
import static dev.baton.api.type.MethodName.POSTNET_STOP;
import static dev.baton.api.type.MethodName.PRENET_START;
import static dev.baton.api.type.MethodName.PROBE;
import static dev.baton.api.type.MethodName.START;
import static dev.baton.api.type.MethodName.STOP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RgmStateTest {
    private static final int[] NODES = {1, 2, 3};
    private static final long WINDOW_MS = 300_000;

    /** Group g (index 0): ip, fs with postnet_stop, app (Retry_count=2, 5 min window), unmon; group other (index 1): o. */
    private static final String CONFIG = """
            group g failover nodes=1,2
              resource ip    type=ip tier=network
              resource fs    type=fs tier=storage methods=postnet_stop
              resource app   type=t Retry_count=2 Retry_interval=5m
              resource unmon type=t monitored=false
            group other failover nodes=2,3 auto_start=false
              resource o type=t
            """;

    private final RgmState state = new RgmState(RgmConfigText.parse(CONFIG, "test"), NODES, false);
    private final RgmConfig config = state.config();
    private final int ip = config.resourceIndex("ip");
    private final int fs = config.resourceIndex("fs");
    private final int app = config.resourceIndex("app");
    private final int unmon = config.resourceIndex("unmon");
    private final int o = config.resourceIndex("o");

    /** One group "g" with one resource "r" in the given Failover_mode, on nodes 1..3. */
    private static RgmState single(String mode, int retryCount) {
        return new RgmState(RgmConfigText.parse("group g failover nodes=1,2,3\n resource r type=t Failover_mode=" + mode
                + " Retry_count=" + retryCount + " Retry_interval=5m", "test"), NODES, false);
    }

    private boolean apply(int resource, MethodName method, ResultCode code) {
        return state.apply(resource, 1, method, code, "", 0);
    }

    // ---- the starting point ------------------------------------------------------------------

    @Test
    void everythingStartsUnknownAndIdle() {
        for (int r = 0; r < config.resourceCount(); r++) {
            for (int n : NODES) {
                assertThat(state.state(r, n)).isEqualTo(ResourceState.UNKNOWN);
                assertThat(state.busy(r, n)).isFalse();
                assertThat(state.recentFailures(r, n, 0)).isZero();
                assertThat(state.lastMessage(r, n)).isEmpty();
            }
        }
        assertThat(state.nodes()).containsExactly(1, 2, 3);
        assertThat(state.managed(0)).isTrue();
        assertThat(state.suspended(0)).isFalse();
        assertThat(state.pinned(0)).isEqualTo(-1);
        assertThat(state.groupFailedAtMs(0, 1)).isEmpty();
    }

    @Test
    void aNewClusterWantsOnlineOnlyTheGroupsThatAutoStart() {
        RgmState fresh = new RgmState(config, NODES, true);
        assertThat(fresh.wantedOnline(0)).isTrue();
        assertThat(fresh.wantedOnline(1)).isFalse();
        assertThat(state.wantedOnline(1)).as("a coordinator taking over keeps every group wanted").isTrue();
    }

    @Test
    void aGroupOfflineOnlyByAutoStartIsAdoptedWhenFoundRunning() {
        RgmState fresh = new RgmState(config, NODES, true);
        fresh.apply(o, 2, PROBE, RUNNING, "", 0);
        assertThat(fresh.wantedOnline(1)).isTrue();

        RgmState asked = new RgmState(config, NODES, true);
        asked.setWantedOnline(1, false);
        asked.apply(o, 2, PROBE, RUNNING, "", 0);
        assertThat(asked.wantedOnline(1)).as("an operator's offline stands").isFalse();
    }

    @Test
    void aNodeOutsideTheClusterIsRefused() {
        assertThatThrownBy(() -> state.state(app, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node 4 is not a cluster node");
        assertThatThrownBy(() -> state.state(app, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> state.state(app, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nodeIdsNeedNotBeContiguousOrSorted() {
        RgmState sparse = new RgmState(config, new int[] {9, 2}, false);
        assertThat(sparse.nodes()).containsExactly(2, 9);
        sparse.force(app, 9, ResourceState.ONLINE);
        assertThat(sparse.state(app, 9)).isEqualTo(ResourceState.ONLINE);
        assertThat(sparse.state(app, 2)).isEqualTo(ResourceState.UNKNOWN);
    }

    // ---- dispatch ----------------------------------------------------------------------------

    @Test
    void dispatchMarksTheCellBusyAndStartsOrStops() {
        state.force(app, 1, ResourceState.OFFLINE);
        state.dispatched(new Action(0, Action.Kind.METHOD, 1, app, START, "start app"));
        assertThat(state.busy(app, 1)).isTrue();
        assertThat(state.busy(app, 2)).isFalse();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.STARTING);

        state.force(fs, 1, ResourceState.ONLINE);
        state.dispatched(new Action(1, Action.Kind.METHOD, 1, fs, STOP, "stop fs"));
        assertThat(state.state(fs, 1)).isEqualTo(ResourceState.STOPPING);

        state.force(ip, 1, ResourceState.ONLINE);
        state.dispatched(new Action(2, Action.Kind.METHOD, 1, ip, PROBE, "probe ip"));
        assertThat(state.state(ip, 1)).isEqualTo(ResourceState.ONLINE);
        assertThat(state.busy(ip, 1)).isTrue();
    }

    @Test
    void aResultFreesTheCell() {
        state.dispatched(new Action(0, Action.Kind.METHOD, 1, app, START, "start app"));
        apply(app, START, SUCCESS);
        assertThat(state.busy(app, 1)).isFalse();
    }

    @Test
    void abandoningMayLeaveTheStateUnknown() {
        state.force(app, 1, ResourceState.OFFLINE);
        Action start = new Action(0, Action.Kind.METHOD, 1, app, START, "start app");
        state.dispatched(start);
        state.abandoned(start, true);
        assertThat(state.busy(app, 1)).isFalse();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.UNKNOWN);
    }

    @Test
    void aFenceInFlightIsTrackedUntilItIsDone() {
        state.force(app, 2, ResourceState.STOP_FAILED);
        state.dispatched(new Action(0, Action.Kind.FENCE, 2, -1, null, "fence node 2"));
        assertThat(state.fencing(2)).isTrue();
        assertThat(state.fencing(1)).isFalse();
        state.fenceDone(2, false);
        assertThat(state.fencing(2)).isFalse();
        assertThat(state.state(app, 2)).as("a failed fence clears nothing").isEqualTo(ResourceState.STOP_FAILED);
        state.fenceDone(2, true);
        assertThat(state.state(app, 2)).isEqualTo(ResourceState.OFFLINE);
    }

    // ---- apply: actions ----------------------------------------------------------------------

    @Test
    void aSuccessfulStartIsOnlineOrOnlineNotMonitored() {
        assertThat(apply(app, START, SUCCESS)).isTrue();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.ONLINE);
        assertThat(apply(unmon, START, SUCCESS)).isTrue();
        assertThat(state.state(unmon, 1)).isEqualTo(ResourceState.ONLINE_NOT_MONITORED);
    }

    @ParameterizedTest
    @EnumSource(value = ResultCode.class, names = {"FAILED", "FAILED_HARD", "CONFIG_ERROR", "TIMED_OUT", "RUNNING"})
    void anyOtherStartResultIsAStartFailure(ResultCode code) {
        assertThat(apply(app, START, code)).isFalse();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.START_FAILED);
        assertThat(state.recentFailures(app, 1, 0)).isEqualTo(1);
    }

    @Test
    void prenetStartLeavesTheResourceStartingOrFailsIt() {
        assertThat(apply(app, PRENET_START, SUCCESS)).isTrue();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.STARTING);
        assertThat(apply(ip, PRENET_START, FAILED)).isFalse();
        assertThat(state.state(ip, 1)).isEqualTo(ResourceState.START_FAILED);
    }

    @Test
    void aStopWithoutPostnetStopIsOffline() {
        state.force(app, 1, ResourceState.ONLINE);
        assertThat(apply(app, STOP, SUCCESS)).isTrue();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.OFFLINE);
    }

    @Test
    void aStopOfAResourceWithPostnetStopIsStillStoppingUntilPostnetStop() {
        state.force(fs, 1, ResourceState.ONLINE);
        assertThat(apply(fs, STOP, SUCCESS)).isTrue();
        assertThat(state.state(fs, 1)).isEqualTo(ResourceState.STOPPING);
        assertThat(apply(fs, POSTNET_STOP, SUCCESS)).isTrue();
        assertThat(state.state(fs, 1)).isEqualTo(ResourceState.OFFLINE);
    }

    @ParameterizedTest
    @EnumSource(value = ResultCode.class, names = {"FAILED", "FAILED_HARD", "CONFIG_ERROR", "TIMED_OUT"})
    void aFailedStopOrPostnetStopIsStopFailed(ResultCode code) {
        state.force(app, 1, ResourceState.ONLINE);
        assertThat(apply(app, STOP, code)).isFalse();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.STOP_FAILED);

        state.force(fs, 1, ResourceState.STOPPING);
        assertThat(apply(fs, POSTNET_STOP, code)).isFalse();
        assertThat(state.state(fs, 1)).isEqualTo(ResourceState.STOP_FAILED);
    }

    @Test
    void aFailedStopDoesNotMarkTheGroupFailedOnTheNode() {
        state.force(app, 1, ResourceState.ONLINE);
        state.apply(app, 1, STOP, FAILED_HARD, "", 1_000);
        assertThat(state.groupFailedAtMs(0, 1)).isEmpty();
        assertThat(state.recentFailures(app, 1, 1_000)).isEqualTo(1);
    }

    @Test
    void configErrorIsRememberedForTheResource() {
        assertThat(state.configError(app)).isFalse();
        apply(app, START, CONFIG_ERROR);
        assertThat(state.configError(app)).isTrue();
        assertThat(state.configError(ip)).isFalse();

        state.force(ip, 2, ResourceState.ONLINE);
        state.apply(ip, 2, PROBE, CONFIG_ERROR, "", 0);
        assertThat(state.configError(ip)).isTrue();
        assertThat(state.state(ip, 2)).isEqualTo(ResourceState.MONITOR_FAILED);
    }

    @Test
    void theLastMessageIsKeptPerCellAndBounded() {
        state.apply(app, 1, START, FAILED, "port 80 in use", 0);
        assertThat(state.lastMessage(app, 1)).isEqualTo("port 80 in use");
        assertThat(state.lastMessage(app, 2)).isEmpty();
        state.apply(app, 1, STOP, SUCCESS, "", 1);
        assertThat(state.lastMessage(app, 1)).as("an empty message keeps the last one").isEqualTo("port 80 in use");
        state.apply(app, 1, START, FAILED, "x".repeat(500), 2);
        assertThat(state.lastMessage(app, 1)).isEqualTo("x".repeat(200));
    }

    // ---- apply: probes -----------------------------------------------------------------------

    @Test
    void aFirstProbeFindsWhateverIsThere() {
        assertThat(state.apply(app, 1, PROBE, RUNNING, "", 0)).isTrue();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.ONLINE);
        assertThat(state.apply(app, 2, PROBE, NOT_RUNNING, "", 0)).isTrue();
        assertThat(state.state(app, 2)).isEqualTo(ResourceState.OFFLINE);
        assertThat(state.apply(app, 3, PROBE, DEGRADED, "", 0)).isTrue();
        assertThat(state.state(app, 3)).isEqualTo(ResourceState.DEGRADED);
        assertThat(state.apply(unmon, 1, PROBE, RUNNING, "", 0)).isTrue();
        assertThat(state.state(unmon, 1)).isEqualTo(ResourceState.ONLINE_NOT_MONITORED);
    }

    @Test
    void aFailedFirstProbeIsAMonitorFailure() {
        assertThat(state.apply(app, 1, PROBE, FAILED, "", 0)).isFalse();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.MONITOR_FAILED);
        assertThat(state.recentFailures(app, 1, 0)).isEqualTo(1);
    }

    @Test
    void probesOfAnOnlineResource() {
        state.force(app, 1, ResourceState.ONLINE);
        assertThat(apply(app, PROBE, RUNNING)).isTrue();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.ONLINE);
        assertThat(apply(app, PROBE, DEGRADED)).as("degraded is still up").isTrue();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.DEGRADED);
        assertThat(apply(app, PROBE, RUNNING)).isTrue();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.ONLINE);
        assertThat(apply(app, PROBE, NOT_RUNNING)).isFalse();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.MONITOR_FAILED);
    }

    @ParameterizedTest
    @EnumSource(value = ResultCode.class, names = {"FAILED", "FAILED_HARD", "CONFIG_ERROR", "TIMED_OUT", "SUCCESS"})
    void anyOtherProbeResultOfAnOnlineResourceIsAMonitorFailure(ResultCode code) {
        state.force(app, 1, ResourceState.ONLINE);
        assertThat(apply(app, PROBE, code)).isFalse();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.MONITOR_FAILED);
    }

    @Test
    void aProbeFindingAnOfflineResourceRunningIsUnexpected() {
        state.force(app, 1, ResourceState.OFFLINE);
        assertThat(apply(app, PROBE, NOT_RUNNING)).isTrue();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.OFFLINE);
        assertThat(apply(app, PROBE, RUNNING)).isFalse();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.ONLINE);
        assertThat(state.recentFailures(app, 1, 0)).as("not a failure of the resource").isZero();
    }

    @Test
    void aMonitorFailureStaysFailedOnNotRunningAndIsCountedOnce() {
        state.force(app, 1, ResourceState.ONLINE);
        state.apply(app, 1, PROBE, FAILED, "", 0);
        assertThat(state.apply(app, 1, PROBE, NOT_RUNNING, "", 10)).isFalse();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.MONITOR_FAILED);
        state.apply(app, 1, PROBE, FAILED, "", 20);
        assertThat(state.recentFailures(app, 1, 20)).isEqualTo(1);
    }

    @Test
    void aProbeAfterAStartFailureThatFindsNothingIsOffline() {
        state.force(app, 1, ResourceState.START_FAILED);
        assertThat(apply(app, PROBE, NOT_RUNNING)).isTrue();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.OFFLINE);
    }

    // ---- failure counting and the pingpong mark ----------------------------------------------

    @Test
    void failuresCountWithinRetryIntervalAndOlderOnesDropOut() {
        state.apply(app, 1, START, FAILED, "", 0);
        state.apply(app, 1, START, FAILED, "", 100_000);
        assertThat(state.recentFailures(app, 1, 100_000)).isEqualTo(2);
        assertThat(state.recentFailures(app, 1, WINDOW_MS - 1)).isEqualTo(2);
        assertThat(state.recentFailures(app, 1, WINDOW_MS)).as("the window is half open").isEqualTo(1);
        assertThat(state.recentFailures(app, 1, 100_000 + WINDOW_MS)).isZero();
        assertThat(state.recentFailures(app, 2, 100_000)).as("counted per node").isZero();
        assertThat(state.recentFailures(ip, 1, 100_000)).as("counted per resource").isZero();
    }

    @Test
    void aStartFailureMarksTheGroupFailedUnderSoftAndHard() {
        for (String mode : new String[] {"SOFT", "HARD"}) {
            RgmState s = single(mode, 2);
            s.apply(0, 2, START, FAILED, "", 7_000);
            assertThat(s.groupFailedAtMs(0, 2)).as(mode).isEqualTo(OptionalLong.of(7_000));
            assertThat(s.groupFailedAtMs(0, 1)).as(mode).isEmpty();
        }
        RgmState p = single("SOFT", 2);
        p.apply(0, 1, PRENET_START, FAILED, "", 9);
        assertThat(p.groupFailedAtMs(0, 1)).as("prenet_start too").isEqualTo(OptionalLong.of(9));
    }

    @Test
    void aStartFailureLeavesNoMarkUnderOtherModes() {
        for (String mode : new String[] {"NONE", "RESTART_ONLY", "LOG_ONLY"}) {
            RgmState s = single(mode, 2);
            s.apply(0, 2, START, FAILED_HARD, "", 7_000);
            assertThat(s.groupFailedAtMs(0, 2)).as(mode).isEmpty();
            assertThat(s.state(0, 2)).as(mode).isEqualTo(ResourceState.START_FAILED);
        }
    }

    /** A probe failure of an online resource, as the scheduler sees it after each restart. */
    private static void probeFails(RgmState s, ResultCode code, long nowMs) {
        s.force(0, 1, ResourceState.ONLINE);
        s.apply(0, 1, PROBE, code, "", nowMs);
    }

    @Test
    void probeFailuresMarkTheGroupOnceRetryCountIsExceeded() {
        for (String mode : new String[] {"SOFT", "HARD", "NONE"}) {
            RgmState s = single(mode, 2);
            probeFails(s, FAILED, 1_000);
            probeFails(s, FAILED, 2_000);
            assertThat(s.groupFailedAtMs(0, 1)).as(mode + ": two restarts allowed").isEmpty();
            probeFails(s, FAILED, 3_000);
            assertThat(s.groupFailedAtMs(0, 1)).as(mode).isEqualTo(OptionalLong.of(3_000));
        }
    }

    @Test
    void probeFailuresOutsideTheWindowDoNotAddUp() {
        RgmState s = single("SOFT", 2);
        probeFails(s, FAILED, 0);
        probeFails(s, FAILED, 100_000);
        probeFails(s, FAILED, 100_000 + WINDOW_MS);
        assertThat(s.recentFailures(0, 1, 100_000 + WINDOW_MS)).isEqualTo(1);
        assertThat(s.groupFailedAtMs(0, 1)).isEmpty();
    }

    @Test
    void withRetryCountZeroTheFirstProbeFailureMarksTheGroup() {
        RgmState s = single("SOFT", 0);
        probeFails(s, FAILED, 5);
        assertThat(s.groupFailedAtMs(0, 1)).isEqualTo(OptionalLong.of(5));
    }

    @Test
    void aHardProbeFailureMarksTheGroupAtOnce() {
        RgmState s = single("SOFT", 2);
        probeFails(s, FAILED_HARD, 42);
        assertThat(s.groupFailedAtMs(0, 1)).isEqualTo(OptionalLong.of(42));
    }

    @Test
    void probeFailuresNeverMarkTheGroupUnderRestartOnlyOrLogOnly() {
        for (String mode : new String[] {"RESTART_ONLY", "LOG_ONLY"}) {
            RgmState s = single(mode, 2);
            for (int i = 1; i <= 5; i++) {
                probeFails(s, FAILED, i * 1_000L);
            }
            probeFails(s, FAILED_HARD, 6_000);
            assertThat(s.groupFailedAtMs(0, 1)).as(mode).isEmpty();
            assertThat(s.recentFailures(0, 1, 6_000)).as(mode + ": at most Retry_count + 1 are kept").isEqualTo(3);
        }
    }

    @Test
    void forceFailureRecordsAPastFailure() {
        RgmState s = single("SOFT", 2);
        s.forceFailure(0, 3, START, FAILED, 50);
        assertThat(s.recentFailures(0, 3, 60)).isEqualTo(1);
        assertThat(s.groupFailedAtMs(0, 3)).isEqualTo(OptionalLong.of(50));
        assertThat(s.state(0, 3)).as("the state is not touched").isEqualTo(ResourceState.UNKNOWN);
    }

    // ---- clear -------------------------------------------------------------------------------

    @Test
    void clearingAStopFailureVouchesTheResourceIsOffline() {
        state.force(app, 1, ResourceState.ONLINE);
        state.apply(app, 1, STOP, FAILED, "", 0);
        state.clear(app, 1);
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.OFFLINE);
        assertThat(state.recentFailures(app, 1, 0)).as("why the group was leaving still stands").isEqualTo(1);
        state.clear(app, 1);
        assertThat(state.recentFailures(app, 1, 0)).as("a second clear resets the history").isZero();
    }

    @Test
    void clearingAStartOrMonitorFailureAsksForAProbe() {
        state.apply(app, 1, START, CONFIG_ERROR, "", 10);
        state.force(ip, 1, ResourceState.ONLINE);
        state.apply(ip, 1, PROBE, FAILED, "", 10);
        state.apply(app, 2, START, FAILED, "", 10);

        state.clear(app, 1);
        state.clear(ip, 1);
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.UNKNOWN);
        assertThat(state.state(ip, 1)).isEqualTo(ResourceState.UNKNOWN);
        assertThat(state.recentFailures(app, 1, 10)).isZero();
        assertThat(state.configError(app)).isFalse();
        assertThat(state.groupFailedAtMs(0, 1)).isEmpty();
        assertThat(state.groupFailedAtMs(0, 2)).as("other nodes keep theirs").isEqualTo(OptionalLong.of(10));
        assertThat(state.recentFailures(app, 2, 10)).isEqualTo(1);
        assertThat(state.state(app, 2)).isEqualTo(ResourceState.START_FAILED);
    }

    @Test
    void clearingAHealthyResourceLeavesItsState() {
        state.force(app, 1, ResourceState.ONLINE);
        state.clear(app, 1);
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.ONLINE);
        state.force(app, 1, ResourceState.OFFLINE);
        state.clear(app, 1);
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.OFFLINE);
    }

    // ---- membership --------------------------------------------------------------------------

    @Test
    void aJoiningNodeIsUnknownAndAClearedNodeOffline() {
        for (int r = 0; r < config.resourceCount(); r++) {
            state.force(r, 2, ResourceState.ONLINE);
            state.force(r, 3, ResourceState.STOP_FAILED);
        }
        state.dispatched(new Action(0, Action.Kind.METHOD, 2, app, STOP, "stop app"));
        state.force(o, 1, ResourceState.ONLINE);

        state.nodeJoined(2);
        state.nodeCleared(3);
        for (int r = 0; r < config.resourceCount(); r++) {
            assertThat(state.state(r, 2)).isEqualTo(ResourceState.UNKNOWN);
            assertThat(state.busy(r, 2)).isFalse();
            assertThat(state.state(r, 3)).isEqualTo(ResourceState.OFFLINE);
        }
        assertThat(state.state(o, 1)).as("other nodes are untouched").isEqualTo(ResourceState.ONLINE);
    }

    // ---- group state -------------------------------------------------------------------------

    private void groupOn(int node, ResourceState ip, ResourceState fs, ResourceState app, ResourceState unmon) {
        state.force(this.ip, node, ip);
        state.force(this.fs, node, fs);
        state.force(this.app, node, app);
        state.force(this.unmon, node, unmon);
    }

    @Test
    void groupStateFollowsItsResources() {
        ResourceState off = ResourceState.OFFLINE;
        ResourceState on = ResourceState.ONLINE;
        groupOn(1, off, off, off, off);
        assertThat(state.groupState(0, 1)).isEqualTo(GroupState.OFFLINE);
        groupOn(1, on, ResourceState.STARTING, off, off);
        assertThat(state.groupState(0, 1)).isEqualTo(GroupState.PENDING_ONLINE);
        groupOn(1, on, on, ResourceState.DEGRADED, ResourceState.ONLINE_NOT_MONITORED);
        assertThat(state.groupState(0, 1)).isEqualTo(GroupState.ONLINE);
        groupOn(1, on, on, ResourceState.STOPPING, off);
        assertThat(state.groupState(0, 1)).isEqualTo(GroupState.PENDING_OFFLINE);
        groupOn(1, ResourceState.STARTING, ResourceState.STOPPING, ResourceState.STOP_FAILED, off);
        assertThat(state.groupState(0, 1)).as("a stop failure wins").isEqualTo(GroupState.ERROR_STOP_FAILED);
        groupOn(1, on, on, ResourceState.MONITOR_FAILED, on);
        assertThat(state.groupState(0, 1)).isEqualTo(GroupState.ONLINE_FAULTED);
        groupOn(1, on, on, ResourceState.START_FAILED, ResourceState.STARTING);
        assertThat(state.groupState(0, 1)).as("a failure ranks above starting").isEqualTo(GroupState.ONLINE_FAULTED);
        groupOn(1, on, on, off, on);
        assertThat(state.groupState(0, 1)).as("partly online").isEqualTo(GroupState.ONLINE_FAULTED);
    }

    @Test
    void aDisabledResourceNeedNotBeUpForTheGroupToBeOnline() {
        RgmState s = new RgmState(RgmConfigText.parse(
                "group g failover nodes=1\n resource a type=t\n resource b type=t enabled=false", "test"), new int[] {1}, false);
        s.force(0, 1, ResourceState.ONLINE);
        s.force(1, 1, ResourceState.OFFLINE);
        assertThat(s.groupState(0, 1)).isEqualTo(GroupState.ONLINE);
    }

    @Test
    void anUnmanagedGroupIsUnmanagedWhateverItsResources() {
        groupOn(1, ResourceState.STOP_FAILED, ResourceState.OFFLINE, ResourceState.OFFLINE, ResourceState.OFFLINE);
        state.setManaged(0, false);
        assertThat(state.groupState(0, 1)).isEqualTo(GroupState.UNMANAGED);
        state.setManaged(0, true);
        assertThat(state.groupState(0, 1)).isEqualTo(GroupState.ERROR_STOP_FAILED);
    }

    @Test
    void aBlockedGroupIsPendingOnlineBlockedOnItsNodesWhileWantedAndRunningNowhere() {
        ResourceState off = ResourceState.OFFLINE;
        for (int n : NODES) {
            groupOn(n, off, off, off, off);
        }
        state.setBlockedReasons(Map.of("g", "waiting for clearance of node 2"));
        assertThat(state.blockedReason(0)).isEqualTo("waiting for clearance of node 2");
        assertThat(state.blockedReason(1)).isNull();
        assertThat(state.groupState(0, 1)).isEqualTo(GroupState.PENDING_ONLINE_BLOCKED);
        assertThat(state.groupState(0, 2)).isEqualTo(GroupState.PENDING_ONLINE_BLOCKED);
        assertThat(state.groupState(0, 3)).as("node 3 is not in g's Nodelist").isEqualTo(GroupState.OFFLINE);
        state.setWantedOnline(0, false);
        assertThat(state.groupState(0, 1)).isEqualTo(GroupState.OFFLINE);
        state.setBlockedReasons(Map.of());
        state.setWantedOnline(0, true);
        assertThat(state.groupState(0, 1)).isEqualTo(GroupState.OFFLINE);
    }

    @Test
    void aBlockedGroupOnlineElsewhereIsOfflineHere() {
        ResourceState off = ResourceState.OFFLINE;
        ResourceState on = ResourceState.ONLINE;
        groupOn(1, off, off, off, off);
        groupOn(2, on, on, on, on);
        groupOn(3, off, off, off, off);
        state.setBlockedReasons(Map.of("g", "a strong affinity is not met"));
        assertThat(state.groupState(0, 1)).isEqualTo(GroupState.OFFLINE);
        assertThat(state.groupState(0, 2)).isEqualTo(GroupState.ONLINE);
    }

    @Test
    void aBlockedGroupPartlyUpIsPendingOnlineBlockedThere() {
        ResourceState off = ResourceState.OFFLINE;
        ResourceState on = ResourceState.ONLINE;
        groupOn(1, on, on, off, off);
        groupOn(2, off, off, off, off);
        groupOn(3, off, off, off, off);
        assertThat(state.groupState(0, 1)).as("not blocked: partly up is faulted").isEqualTo(GroupState.ONLINE_FAULTED);
        state.setBlockedReasons(Map.of("g", "app: a dependency is offline"));
        assertThat(state.groupState(0, 1)).isEqualTo(GroupState.PENDING_ONLINE_BLOCKED);
    }

    @Test
    void aGroupNotYetProbedIsNotShownFaulted() {
        assertThat(state.groupState(0, 1)).isNotIn(GroupState.ONLINE_FAULTED, GroupState.ONLINE);
    }

    // ---- the operator ------------------------------------------------------------------------

    @Test
    void pinningWantsTheGroupOnlineAndStoppingItUnpins() {
        RgmState fresh = new RgmState(config, NODES, true);
        fresh.pin(1, 3);
        assertThat(fresh.pinned(1)).isEqualTo(3);
        assertThat(fresh.wantedOnline(1)).isTrue();
        fresh.setWantedOnline(1, false);
        assertThat(fresh.pinned(1)).isEqualTo(-1);
        assertThatThrownBy(() -> fresh.pin(1, 7)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void evacuationLastsUntilItsEnd() {
        assertThat(state.evacuated(2, 0)).isFalse();
        state.evacuate(2, 60_000);
        assertThat(state.evacuated(2, 59_999)).isTrue();
        assertThat(state.evacuated(2, 60_000)).isFalse();
        assertThat(state.evacuated(1, 0)).isFalse();
    }
}
