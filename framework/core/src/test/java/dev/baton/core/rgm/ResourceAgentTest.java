package dev.baton.core.rgm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.core.membership.Epoch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The executing side: one method per resource, lease-gated starts, periodic probes that report failures until acted on. */
class ResourceAgentTest {
    private static final long MS = 1_000_000L;
    private static final Epoch EPOCH = new Epoch(3, 1);
    private static final RgmConfig CONFIG = RgmConfigText.parse("""
            group web failover nodes=1,2
              resource web-app type=apache probe_interval=1s
            """, "test");

    private final List<String> events = new ArrayList<>();
    private final List<Long> runIds = new ArrayList<>();
    private final ResourceAgent agent = new ResourceAgent(2, new ResourceAgent.Sink() {
        @Override
        public void result(int coordinator, Epoch epoch, long actionId, ResultCode code, boolean refused, String message) {
            events.add("result " + actionId + " " + (refused ? "REFUSED" : code) + (message.isEmpty() ? "" : " " + message));
        }

        @Override
        public void monitor(String resource, ResultCode code, String message) {
            events.add("monitor " + resource + " " + code);
        }

        @Override
        public void run(long runId, ResourceSpec spec, MethodName method, long leaseDeadlineNanos) {
            runIds.add(runId);
            events.add("run " + method.jsName() + " " + spec.name() + " until " + (leaseDeadlineNanos == Long.MAX_VALUE
                    ? "-" : leaseDeadlineNanos / MS + "ms"));
        }
    });

    ResourceAgentTest() {
        agent.configure(CONFIG);
    }

    private static ResourceAgent.Context at(long ms, boolean lease) {
        return new ResourceAgent.Context(EPOCH, lease, lease ? (ms + 700) * MS : Long.MIN_VALUE, ms * MS);
    }

    @Test
    void aStartWaitsForTheLeaseAndRunsUnderItsDeadline() {
        agent.submit(1, EPOCH, 10, "web-app", MethodName.START, at(0, false));
        agent.tick(at(500, false));
        assertThat(events).isEmpty();
        agent.tick(at(600, true));
        assertThat(events).containsExactly("run start web-app until 1300ms");
    }

    @Test
    void aStartWithoutALeaseForTwoSecondsIsRefused() {
        agent.submit(1, EPOCH, 10, "web-app", MethodName.START, at(0, false));
        agent.tick(at(2_000, false));
        assertThat(events).containsExactly("result 10 FAILED refused: node 2 holds no quorum lease");
    }

    @Test
    void aProbeQueuedBehindAStartRunsOnlyAfterIt() {
        agent.submit(1, EPOCH, 10, "web-app", MethodName.START, at(0, true));
        agent.submit(1, EPOCH, 11, "web-app", MethodName.PROBE, at(1, true));
        assertThat(events).containsExactly("run start web-app until 700ms");
        agent.done(runIds.get(0), ResultCode.SUCCESS, "", at(5, true));
        assertThat(events).containsExactly("run start web-app until 700ms", "result 10 SUCCESS", "run probe web-app until -");
    }

    @Test
    void aFailingPeriodicProbeIsReportedEveryTimeUntilTheResourceIsStoppedAndARecoveryOnce() {
        agent.submit(1, EPOCH, 10, "web-app", MethodName.START, at(0, true));
        agent.done(runIds.get(0), ResultCode.SUCCESS, "", at(5, true));
        for (int round = 1; round <= 4; round++) {
            agent.tick(at(5 + 1_100 * round, true));
            agent.done(runIds.get(round), round <= 2 ? ResultCode.NOT_RUNNING : ResultCode.RUNNING, "", at(6 + 1_100 * round, true));
        }
        assertThat(events.stream().filter(e -> e.startsWith("monitor")))
                .containsExactly("monitor web-app NOT_RUNNING", "monitor web-app NOT_RUNNING", "monitor web-app RUNNING");
    }

    @Test
    void anActionForAnUnknownResourceOrAnotherEpochIsRefused() {
        agent.submit(1, EPOCH, 10, "db", MethodName.STOP, at(0, true));
        agent.submit(1, new Epoch(2, 1), 11, "web-app", MethodName.STOP, at(0, true));
        assertThat(events).containsExactly("result 10 FAILED resource db is not in node 2's configuration",
                "result 11 REFUSED refused: the action is from epoch 2.1 and node 2 promised 3.1");
    }

    @Test
    void theQueuePerResourceIsBounded() {
        agent.submit(1, EPOCH, 1, "web-app", MethodName.STOP, at(0, true));
        for (int i = 0; i < ResourceAgent.MAX_QUEUED_PER_RESOURCE + 1; i++) {
            agent.submit(1, EPOCH, 100 + i, "web-app", MethodName.PROBE, at(0, true));
        }
        assertThat(events).last().isEqualTo("result " + (100 + ResourceAgent.MAX_QUEUED_PER_RESOURCE)
                + " REFUSED too many actions queued for web-app");
    }
}
