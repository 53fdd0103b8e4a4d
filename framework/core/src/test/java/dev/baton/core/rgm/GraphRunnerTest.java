package dev.baton.core.rgm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.type.MethodName;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GraphRunnerTest {
    private static final long FIRST_ID = 100;
    private static final long MARGIN = RgmDefaults.RUNNER_BACKSTOP_MARGIN_MS;

    private record Sent(long id, Action action) {
    }

    /** Records what the runner hands out; results are fed back by the test. */
    private static final class Recorder implements GraphRunner.ActionExecutor {
        final List<Sent> sent = new ArrayList<>();

        @Override
        public void execute(long actionId, Action action) {
            sent.add(new Sent(actionId, action));
        }

        List<String> texts() {
            return sent.stream().map(s -> s.action().text()).toList();
        }

        long idOf(String text) {
            return sent.stream().filter(s -> s.action().text().equals(text)).findFirst().orElseThrow().id();
        }
    }

    private RgmConfig config;
    private RgmState state;
    private Recorder executor;
    private GraphRunner runner;
    private int ip;
    private int fs;
    private int app;

    @BeforeEach
    void setUp() {
        config = RgmConfigText.parse("""
                group g failover nodes=1,2
                  resource ip  type=ip tier=network
                  resource fs  type=fs tier=storage
                  resource app type=t Start_timeout=90s
                """, "test");
        state = new RgmState(config, new int[] {1, 2}, false);
        executor = new Recorder();
        runner = new GraphRunner(executor, state, FIRST_ID);
        ip = config.resourceIndex("ip");
        fs = config.resourceIndex("fs");
        app = config.resourceIndex("app");
    }

    /** start ip, start fs (both free) → pseudo "storage up" → start app. */
    private TransitionGraph diamond() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        int a = b.method(1, ip, MethodName.START, "start ip");
        int f = b.method(1, fs, MethodName.START, "start fs");
        int up = b.pseudo("ip and fs up");
        int s = b.method(1, app, MethodName.START, "start app");
        b.order(a, up);
        b.order(f, up);
        b.order(up, s);
        return b.build();
    }

    @Test
    void onlyActionsWithoutPredecessorsAreDispatchedFirst() {
        runner.run(diamond(), 0);
        assertThat(executor.texts()).containsExactly("start ip", "start fs");
        assertThat(executor.sent).extracting(Sent::id).containsExactly(FIRST_ID, FIRST_ID + 1);
        assertThat(runner.inFlightCount()).isEqualTo(2);
        assertThat(runner.idle()).isFalse();
        assertThat(runner.awaited(FIRST_ID).text()).isEqualTo("start ip");
        assertThat(state.busy(ip, 1)).isTrue();
        assertThat(state.state(ip, 1)).isEqualTo(ResourceState.STARTING);
        assertThat(state.busy(app, 1)).isFalse();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.UNKNOWN);
    }

    @Test
    void aSuccessorIsReleasedOnlyAfterAllItsPredecessorsFinishedAsExpected() {
        runner.run(diamond(), 0);
        assertThat(runner.finished(executor.idOf("start ip"), true, 10)).isFalse();
        assertThat(executor.texts()).containsExactly("start ip", "start fs");

        assertThat(runner.finished(executor.idOf("start fs"), true, 20)).isFalse();
        assertThat(executor.texts()).as("the pseudo step is folded, never handed out")
                .containsExactly("start ip", "start fs", "start app");
        assertThat(executor.idOf("start app")).isEqualTo(FIRST_ID + 2);
        assertThat(runner.inFlightCount()).isEqualTo(1);
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.STARTING);
    }

    @Test
    void completingTheGraphAsksToPlanAgain() {
        runner.run(diamond(), 0);
        runner.finished(executor.idOf("start ip"), true, 10);
        runner.finished(executor.idOf("start fs"), true, 20);
        assertThat(runner.finished(executor.idOf("start app"), true, 30)).isTrue();
        assertThat(runner.idle()).isTrue();
        assertThat(runner.inFlightCount()).isZero();
        assertThat(executor.sent).hasSize(3);
    }

    @Test
    void pseudoStepsInAChainAreFoldedAtOnce() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        int p1 = b.pseudo("gate");
        int p2 = b.pseudo("gate 2");
        int s = b.method(2, app, MethodName.PROBE, "probe app on node 2");
        b.order(p1, p2);
        b.order(p2, s);
        runner.run(b.build(), 0);
        assertThat(executor.texts()).containsExactly("probe app on node 2");
        assertThat(state.busy(app, 2)).isTrue();
        assertThat(state.state(app, 2)).as("a probe leaves the state as it was").isEqualTo(ResourceState.UNKNOWN);
        assertThat(runner.finished(FIRST_ID, true, 1)).isTrue();
    }

    @Test
    void aGraphOfPseudoStepsOnlyIsIdleAtOnce() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        b.order(b.pseudo("a"), b.pseudo("b"));
        runner.run(b.build(), 0);
        assertThat(executor.sent).isEmpty();
        assertThat(runner.idle()).isTrue();
    }

    @Test
    void anEmptyGraphIsIdle() {
        runner.run(TransitionGraph.empty(), 0);
        assertThat(runner.idle()).isTrue();
        assertThat(runner.nextDeadlineMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anUnexpectedResultReleasesNothingAndAsksToPlanAgain() {
        runner.run(diamond(), 0);
        assertThat(runner.finished(executor.idOf("start ip"), false, 10)).isTrue();
        assertThat(runner.finished(executor.idOf("start fs"), true, 20)).as("the graph cannot complete any more")
                .isFalse();
        assertThat(executor.texts()).containsExactly("start ip", "start fs");
        assertThat(runner.inFlightCount()).isZero();
        assertThat(runner.idle()).isFalse();
    }

    @Test
    void aResultForAnActionOfAReplacedGraphAsksToPlanAgainAndReleasesNothing() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        int start = b.method(1, ip, MethodName.START, "start ip (old)");
        int after = b.method(1, app, MethodName.START, "start app (old)");
        b.order(start, after);
        runner.run(b.build(), 0);
        long oldId = executor.idOf("start ip (old)");

        TransitionGraph.Builder nb = new TransitionGraph.Builder();
        int stop = nb.method(2, fs, MethodName.STOP, "stop fs (new)");
        int later = nb.method(2, app, MethodName.STOP, "stop app (new)");
        nb.order(stop, later);
        runner.run(nb.build(), 5);
        assertThat(executor.texts()).containsExactly("start ip (old)", "stop fs (new)");
        assertThat(runner.inFlightCount()).as("the old action is still awaited").isEqualTo(2);

        assertThat(runner.finished(oldId, true, 10)).isTrue();
        assertThat(executor.texts()).containsExactly("start ip (old)", "stop fs (new)");
        assertThat(runner.finished(executor.idOf("stop fs (new)"), true, 20)).isFalse();
        assertThat(executor.texts()).containsExactly("start ip (old)", "stop fs (new)", "stop app (new)");
    }

    @Test
    void aReplacedGraphsActionsNotYetHandedOutAreDropped() {
        runner.run(diamond(), 0);
        runner.run(TransitionGraph.empty(), 1);
        runner.finished(executor.idOf("start ip"), true, 2);
        runner.finished(executor.idOf("start fs"), true, 3);
        assertThat(executor.texts()).containsExactly("start ip", "start fs");
        assertThat(runner.idle()).isTrue();
    }

    @Test
    void aResultForAnUnknownIdIsIgnored() {
        runner.run(diamond(), 0);
        assertThat(runner.finished(9_999, true, 10)).isFalse();
        assertThat(runner.finished(FIRST_ID - 1, false, 10)).isFalse();
        assertThat(runner.inFlightCount()).isEqualTo(2);
        assertThat(executor.sent).hasSize(2);
        assertThat(runner.awaited(9_999)).isNull();
    }

    @Test
    void aSecondResultForTheSameIdIsIgnored() {
        runner.run(diamond(), 0);
        long id = executor.idOf("start ip");
        runner.finished(id, true, 10);
        assertThat(runner.finished(id, true, 11)).isFalse();
        assertThat(runner.awaited(id)).isNull();
        assertThat(executor.sent).hasSize(2);
    }

    @Test
    void theBackstopIsTheMethodTimeoutPlusTheMargin() {
        runner.run(diamond(), 1_000);
        long startTimeout = RgmDefaults.methodTimeoutMs(MethodName.START);
        assertThat(runner.nextDeadlineMs()).isEqualTo(1_000 + startTimeout + MARGIN);

        assertThat(runner.tick(1_000 + startTimeout + MARGIN - 1)).isFalse();
        assertThat(runner.inFlightCount()).isEqualTo(2);
        assertThat(state.state(ip, 1)).isEqualTo(ResourceState.STARTING);
    }

    @Test
    void theBackstopAbandonsTheActionMarksItsResourceUnknownAndAsksToPlanAgain() {
        state.force(ip, 1, ResourceState.OFFLINE);
        state.force(fs, 1, ResourceState.OFFLINE);
        runner.run(diamond(), 1_000);
        long deadline = 1_000 + RgmDefaults.methodTimeoutMs(MethodName.START) + MARGIN;
        runner.finished(executor.idOf("start fs"), true, 2_000);
        state.apply(fs, 1, MethodName.START, dev.baton.api.method.ResultCode.SUCCESS, "", 2_000);

        assertThat(runner.tick(deadline)).isTrue();
        assertThat(runner.inFlightCount()).isZero();
        assertThat(state.state(ip, 1)).isEqualTo(ResourceState.UNKNOWN);
        assertThat(state.busy(ip, 1)).isFalse();
        assertThat(state.state(fs, 1)).as("the finished action is not touched").isEqualTo(ResourceState.ONLINE);
        assertThat(executor.texts()).as("nothing after the abandoned action").containsExactly("start ip", "start fs");
        assertThat(runner.nextDeadlineMs()).isEqualTo(Long.MAX_VALUE);

        assertThat(runner.finished(executor.idOf("start ip"), true, deadline + 1))
                .as("a late result of an abandoned action is ignored").isFalse();
        assertThat(executor.sent).hasSize(2);
        assertThat(runner.tick(deadline + 1)).as("nothing left to give up on").isFalse();
    }

    @Test
    void theBackstopUsesTheResourcesOwnTimeout() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        b.method(1, app, MethodName.START, "start app");
        b.method(2, ip, MethodName.PROBE, "probe ip");
        runner.run(b.build(), 500);
        long probeDeadline = 500 + RgmDefaults.methodTimeoutMs(MethodName.PROBE) + MARGIN;
        long startDeadline = 500 + 90_000 + MARGIN;
        assertThat(runner.nextDeadlineMs()).isEqualTo(probeDeadline);

        assertThat(runner.tick(probeDeadline)).isTrue();
        assertThat(state.state(ip, 2)).isEqualTo(ResourceState.UNKNOWN);
        assertThat(runner.nextDeadlineMs()).isEqualTo(startDeadline);
        assertThat(runner.tick(startDeadline - 1)).isFalse();
        assertThat(runner.tick(startDeadline)).isTrue();
        assertThat(state.state(app, 1)).isEqualTo(ResourceState.UNKNOWN);
    }

    @Test
    void theDeadlineCountsFromWhenTheActionWasHandedOut() {
        runner.run(diamond(), 0);
        runner.finished(executor.idOf("start ip"), true, 40_000);
        runner.finished(executor.idOf("start fs"), true, 50_000);
        assertThat(runner.nextDeadlineMs()).isEqualTo(50_000 + 90_000 + MARGIN);
    }

    @Test
    void aFenceHasItsOwnBackstopAndIsAbandonedWithIt() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        b.fence(2, "fence node 2");
        runner.run(b.build(), 0);
        assertThat(state.fencing(2)).isTrue();
        assertThat(executor.sent.get(0).action().kind()).isEqualTo(Action.Kind.FENCE);
        assertThat(runner.nextDeadlineMs()).isEqualTo(GraphRunner.FENCE_TIMEOUT_MS + MARGIN);

        assertThat(runner.tick(GraphRunner.FENCE_TIMEOUT_MS + MARGIN)).isTrue();
        assertThat(state.fencing(2)).isFalse();
        assertThat(state.state(ip, 2)).as("a fence that timed out cleared nothing").isEqualTo(ResourceState.UNKNOWN);
    }
}
