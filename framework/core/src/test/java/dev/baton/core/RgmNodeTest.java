package dev.baton.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.core.ccr.Table;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.Timing;
import dev.baton.core.membership.Epoch;
import dev.baton.core.rgm.Request;
import dev.baton.core.rgm.RgmSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The RGM's side of a node core, driven directly: which coordinator's actions a node obeys, when a
 * start may run, when a halt is obeyed, and that garbage RGM messages never break the core.
 */
class RgmNodeTest {
    private static final long MS = 1_000_000L;
    private static final ClusterConfig CONFIG = ClusterConfig.of("c", List.of(NodeSpec.of(1, "a"), NodeSpec.of(2, "b"), NodeSpec.of(3, "c")),
            List.of(NetworkSpec.of("net1", PathKind.IP, Set.of(1, 2, 3))), Optional.empty(), Optional.empty(), false, Timing.DEFAULTS);
    private static final String GROUPS = """
            group web failover nodes=1,2,3
              resource web-app type=apache Start_timeout=5s
            """;
    private static final Epoch PROMISED = new Epoch(3, 1);

    /** Node 2 after a reboot: it promised epoch 3.1 before, has the configuration, holds no lease. */
    private static NodeCore booted() {
        NodeCore core = new NodeCore(2, CONFIG);
        core.step(new Input.Boot(PROMISED, List.of(Table.create("rgm", PROMISED, 1, GROUPS)), Optional.empty(), Set.of()), 0);
        return core;
    }

    private static Effects receive(NodeCore core, Message m, long nowNanos) {
        return core.step(new Input.Received(m, "net1"), nowNanos);
    }

    private static List<Effect> of(Effects effects, Class<? extends Effect> type) {
        return effects.ordered().stream().filter(type::isInstance).toList();
    }

    @Test
    void anActionFromAnEpochOtherThanThePromisedOneIsRefusedWithoutRunningAnything() {
        NodeCore core = booted();
        Effects out = receive(core, new Message.RgmAction(1, new Epoch(2, 1), 7, "web-app", MethodName.PROBE), MS);
        assertThat(of(out, Effect.RunMethod.class)).isEmpty();
        assertThat(of(out, Effect.Send.class)).singleElement().satisfies(e -> {
            Message.RgmResult r = (Message.RgmResult) ((Effect.Send) e).message();
            assertThat(r.actionId()).isEqualTo(7);
            assertThat(r.code()).isEqualTo(ResultCode.FAILED);
            assertThat(r.message()).contains("refused").contains("promised 3.1");
        });
    }

    @Test
    void aProbeInThePromisedEpochRunsWithoutALeaseDeadlineAndItsResultGoesBack() {
        NodeCore core = booted();
        Effects out = receive(core, new Message.RgmAction(1, PROMISED, 8, "web-app", MethodName.PROBE), MS);
        Effect.RunMethod run = (Effect.RunMethod) of(out, Effect.RunMethod.class).get(0);
        assertThat(run.method()).isEqualTo(MethodName.PROBE);
        assertThat(run.type()).isEqualTo("apache");
        assertThat(run.leaseDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
        Effects done = core.step(new Input.MethodDone(run.runId(), ResultCode.NOT_RUNNING, ""), 2 * MS);
        assertThat(of(done, Effect.Send.class)).anySatisfy(e ->
                assertThat(((Effect.Send) e).message()).isEqualTo(new Message.RgmResult(2, PROMISED, 8, ResultCode.NOT_RUNNING, false, "")));
    }

    @Test
    void aStartWithoutALeaseWaitsThenIsRefusedAndNeverRuns() {
        NodeCore core = booted();
        Effects out = receive(core, new Message.RgmAction(1, PROMISED, 9, "web-app", MethodName.START), MS);
        assertThat(of(out, Effect.RunMethod.class)).isEmpty();
        assertThat(of(out, Effect.Send.class).stream().map(e -> ((Effect.Send) e).message())
                .filter(Message.RgmResult.class::isInstance)).isEmpty();
        Effects later = core.step(new Input.Tick(), 2_500 * MS);
        assertThat(of(later, Effect.RunMethod.class)).isEmpty();
        assertThat(of(later, Effect.Send.class).stream().map(e -> ((Effect.Send) e).message())
                .filter(Message.RgmResult.class::isInstance).toList()).singleElement().satisfies(m -> {
                    assertThat(((Message.RgmResult) m).code()).isEqualTo(ResultCode.FAILED);
                    // By then this lone node has promised an epoch of its own, which refuses it as well.
                    assertThat(((Message.RgmResult) m).message()).startsWith("refused:");
                });
    }

    @Test
    void aHaltFromAnOlderEpochIsIgnoredAndOneFromThePromisedEpochFailsTheNodeFast() {
        NodeCore core = booted();
        assertThat(of(receive(core, new Message.RgmHalt(1, new Epoch(2, 1), "stop failed"), MS), Effect.Failfast.class)).isEmpty();
        assertThat(core.status(MS).failed()).isFalse();
        Effects out = receive(core, new Message.RgmHalt(1, PROMISED, "stop failed"), 2 * MS);
        assertThat(out.ordered()).singleElement().isInstanceOf(Effect.Failfast.class);
        assertThat(((Effect.Failfast) out.ordered().get(0)).reason()).contains("the RGM coordinator (node 1, epoch 3.1) halted it");
    }

    @Test
    void aRequestOnANodeOutsideAQuorateMembershipIsAnsweredWithTheReason() {
        NodeCore core = booted();
        Effects out = core.step(new Input.RgmCommand(5, new Request.Offline("web")), MS);
        assertThat(out.ordered()).anySatisfy(e -> assertThat(e).isEqualTo(new Effect.Notify(new Event.RgmRequestAnswered(5,
                Optional.of("node 2 is not in a quorate membership")))));
    }

    @Test
    void tenThousandRandomRgmMessagesNeverThrowAndTheCoreKeepsStepping() {
        Random random = new Random(7);
        NodeCore core = booted();
        long now = MS;
        for (int i = 0; i < 10_000; i++) {
            now += random.nextInt(5) * MS;
            Effects out = core.step(new Input.Received(randomMessage(random), "net1"), now);
            for (Effect e : out.ordered()) {
                if (e instanceof Effect.RunMethod run) {
                    ResultCode code = ResultCode.values()[random.nextInt(ResultCode.values().length)];
                    core.step(new Input.MethodDone(run.runId(), code, random.nextBoolean() ? null : "x".repeat(random.nextInt(2_000))), now);
                }
            }
        }
        assertThat(core.status(now).failed()).isFalse();
        assertThat(core.step(new Input.Tick(), now + 200 * MS).wakeAtNanos()).isGreaterThan(now);
    }

    private static Message randomMessage(Random r) {
        int from = r.nextInt(6) - 1;
        Epoch epoch = r.nextBoolean() ? PROMISED : new Epoch(r.nextInt(5), r.nextInt(6) - 1);
        String resource = r.nextBoolean() ? "web-app" : "nope" + r.nextInt(3);
        MethodName method = MethodName.values()[r.nextInt(MethodName.values().length)];
        ResultCode code = ResultCode.values()[r.nextInt(ResultCode.values().length)];
        return switch (r.nextInt(7)) {
            case 0 -> new Message.RgmAction(from, epoch, r.nextLong(), resource, method);
            case 1 -> new Message.RgmResult(from, epoch, r.nextLong(), code, r.nextBoolean(), r.nextBoolean() ? null : "m");
            case 2 -> new Message.RgmMonitor(from, epoch, resource, code, "m");
            case 3 -> new Message.RgmStatus(from, epoch, new RgmSnapshot(List.of(), r.nextBoolean(),
                    List.of(new RgmSnapshot.FailureEntry(resource, r.nextInt(6) - 1, List.of((long) r.nextInt(1_000) - 10))),
                    List.of(new RgmSnapshot.GroupEntry(r.nextBoolean() ? "web" : "x", r.nextBoolean(), r.nextBoolean(),
                            r.nextBoolean(), r.nextInt(6) - 1, r.nextBoolean(), Map.of(r.nextInt(6) - 1, (long) r.nextInt(100)))),
                    Map.of(r.nextInt(6) - 1, (long) r.nextInt(100) - 50)));
            case 4 -> new Message.RgmRequest(from, r.nextLong(), new Request.Switchover(r.nextBoolean() ? "web" : "x", r.nextInt(6) - 1));
            case 5 -> new Message.RgmReply(from, r.nextLong(), Optional.of("no"));
            default -> new Message.RgmHalt(from, new Epoch(1 + r.nextInt(2), r.nextInt(3)), "garbage");
        };
    }
}
