package dev.baton.runtime.wire;

import dev.baton.api.method.ResultCode;
import dev.baton.core.Effect;
import dev.baton.core.Effects;
import dev.baton.core.Input;
import dev.baton.core.Message;
import dev.baton.core.NodeCore;
import dev.baton.core.NodeStatus;
import dev.baton.core.ccr.Table;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.Timing;
import dev.baton.core.membership.Epoch;
import dev.baton.core.rgm.Request;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real cores that hear each other only through the wire: every message is encoded, sealed,
 * opened and decoded on the way, and every input a core is fed went through InputCodec first (as
 * the daemon's recording will). The cluster must form, commit a configuration change and switch a
 * group over exactly as it does in the simulator. Methods are answered by a fake method runner
 * (a set of what "runs" on each node): method execution is not what this test is about.
 */
class ThreeCoresOverTheWireTest {
    private static final long MS = 1_000_000L;
    private static final long STEP_NANOS = 5 * MS;
    private static final String NET = "net1";
    private static final String GROUPS = """
            group web failover nodes=1,2,3
              resource web-app type=apache Start_timeout=2s Stop_timeout=2s Probe_timeout=1s probe_interval=1s
            """;
    private static final int HEARTBEAT_STREAM = 1;
    private static final int RELIABLE_STREAM = 2;

    private final ClusterKey key = ClusterKey.generate();
    private final ClusterConfig config = ClusterConfig.of("wire", List.of(NodeSpec.of(1, "n1"), NodeSpec.of(2, "n2"), NodeSpec.of(3, "n3")),
            List.of(NetworkSpec.of(NET, PathKind.IP, Set.of(1, 2, 3))), Optional.empty(), Optional.empty(), false, Timing.DEFAULTS);
    private final Map<Integer, Node> nodes = new TreeMap<>();
    private final Set<Class<?>> messageTypesSeen = new HashSet<>();
    private final List<Integer> heartbeatFrameBytes = new ArrayList<>();
    private long nowNanos = 1_000 * MS;

    /** One node: its core, its sealer and opener, what the fake runner "runs" there, and its pending inputs. */
    private final class Node {
        final int id;
        final NodeCore core;
        final Sealer sealer;
        final Opener opener = new Opener(key);
        final Set<String> running = new TreeSet<>();
        final ArrayDeque<Input> pending = new ArrayDeque<>();

        Node(int id) {
            this.id = id;
            this.core = new NodeCore(id, config);
            this.sealer = new Sealer(key, id, 1_700_000_000_000L + id);
        }
    }

    @Test
    void aClusterFormsCommitsAndSwitchesOverThroughTheWire() throws Exception {
        for (int id : config.nodeIds()) {
            Node n = new Node(id);
            nodes.put(id, n);
            n.pending.add(new Input.Boot(Epoch.NONE, List.of(Table.create("cluster", Epoch.NONE, 1, "name=wire"),
                    Table.create("rgm", Epoch.NONE, 1, GROUPS)), Optional.empty(), Set.of()));
        }
        runForMs(3_000);
        for (Node n : nodes.values()) {
            NodeStatus s = n.core.status(nowNanos);
            assertThat(s.installed()).as("node %d", n.id).hasValueSatisfying(m -> {
                assertThat(m.members()).containsExactly(1, 2, 3);
                assertThat(m.quorate()).isTrue();
            });
        }
        assertThat(whereRunning("web-app")).containsExactly(1);

        nodes.get(1).pending.add(new Input.ProposeChange(1, "motd", "hello through the wire ✓"));
        runForMs(1_000);
        for (Node n : nodes.values()) {
            assertThat(n.core.status(nowNanos).tables()).as("node %d", n.id).containsKey("motd");
            assertThat(n.core.status(nowNanos).tables().get("motd").content()).isEqualTo("hello through the wire ✓");
        }

        nodes.get(2).pending.add(new Input.RgmCommand(2, new Request.Switchover("web", 2)));
        runForMs(3_000);
        assertThat(whereRunning("web-app")).containsExactly(2);

        assertThat(messageTypesSeen).contains(Message.Heartbeat.class, Message.Propose.class, Message.Accept.class,
                Message.Commit.class, Message.Prepare.class, Message.Prepared.class, Message.CommitChange.class,
                Message.Applied.class, Message.RgmAction.class, Message.RgmResult.class, Message.RgmStatus.class,
                Message.RgmRequest.class);
        for (Node n : nodes.values()) {
            assertThat(n.opener.counters().droppedTotal()).as("node %d dropped frames", n.id).isZero();
            assertThat(n.opener.counters().accepted()).isPositive();
        }
        System.out.printf("3 real cores over the wire: message types %s; heartbeat frames %d..%d bytes%n",
                messageTypesSeen.stream().map(Class::getSimpleName).sorted().toList(),
                heartbeatFrameBytes.stream().mapToInt(Integer::intValue).min().orElse(0),
                heartbeatFrameBytes.stream().mapToInt(Integer::intValue).max().orElse(0));
    }

    private Set<Integer> whereRunning(String resource) {
        Set<Integer> where = new TreeSet<>();
        nodes.values().stream().filter(n -> n.running.contains(resource)).forEach(n -> where.add(n.id));
        return where;
    }

    private void runForMs(long ms) throws Exception {
        long end = nowNanos + ms * MS;
        while (nowNanos < end) {
            nowNanos += STEP_NANOS;
            for (Node n : nodes.values()) {
                n.pending.add(new Input.Tick());
                List<Input> batch = new ArrayList<>(n.pending);
                n.pending.clear();
                for (Input in : batch) {
                    feed(n, in);
                }
            }
        }
    }

    /** Records the input through the codec and feeds the core what came back, as a replay would. */
    private void feed(Node n, Input in) throws Exception {
        Input recorded = InputCodec.decode(InputCodec.encode(in));
        assertThat(recorded).isEqualTo(in);
        Effects effects = n.core.step(recorded, nowNanos);
        for (Effect e : effects.ordered()) {
            switch (e) {
                case Effect.Failfast f -> throw new AssertionError("node " + n.id + " failed fast: " + f.reason());
                case Effect.Send s -> transmit(n, List.of(nodes.get(s.to())), RELIABLE_STREAM, s.message());
                case Effect.Broadcast b -> transmit(n, nodes.values().stream().filter(p -> p != n).toList(), HEARTBEAT_STREAM, b.message());
                case Effect.RunMethod m -> n.pending.add(new Input.MethodDone(m.runId(), fakeRun(n, m), "fake runner"));
                default -> { }
            }
        }
    }

    /** Seals once and hands the same frame to every receiver, as a UDP broadcast would. */
    private void transmit(Node from, List<Node> to, int stream, Message message) throws Exception {
        byte[] frame = from.sealer.seal(stream, MessageCodec.encode(message));
        messageTypesSeen.add(message.getClass());
        if (message instanceof Message.Heartbeat) {
            heartbeatFrameBytes.add(frame.length);
        }
        for (Node receiver : to) {
            Opened opened = receiver.opener.open(frame, 0, frame.length);
            assertThat(opened.senderId()).isEqualTo(from.id);
            Message decoded = MessageCodec.decode(opened.plaintext());
            assertThat(decoded).isEqualTo(message);
            receiver.pending.add(new Input.Received(decoded, NET));
        }
    }

    private static ResultCode fakeRun(Node n, Effect.RunMethod m) {
        return switch (m.method()) {
            case START -> {
                n.running.add(m.resource());
                yield ResultCode.SUCCESS;
            }
            case STOP -> {
                n.running.remove(m.resource());
                yield ResultCode.SUCCESS;
            }
            case PROBE -> n.running.contains(m.resource()) ? ResultCode.RUNNING : ResultCode.NOT_RUNNING;
            default -> ResultCode.SUCCESS;
        };
    }
}
