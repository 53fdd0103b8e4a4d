package dev.baton.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.core.ccr.PreparedChange;
import dev.baton.core.ccr.Table;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.QuorumDeviceSpec;
import dev.baton.core.cluster.Timing;
import dev.baton.core.membership.Epoch;
import dev.baton.core.membership.Membership;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Messages that pass authentication can still be nonsense (a buggy peer, a version skew): random
 * field values in every message type must never throw out of {@link NodeCore#step}, and the core
 * keeps answering afterwards.
 */
class NodeCoreGarbageTest {
    private static final long MS = 1_000_000L;
    private static final ClusterConfig CONFIG = ClusterConfig.of("c", List.of(NodeSpec.of(1, "a"), NodeSpec.of(2, "b"), NodeSpec.of(3, "c")),
            List.of(NetworkSpec.of("net1", PathKind.IP, Set.of(1, 2, 3))), Optional.of(QuorumDeviceSpec.of("qd", Set.of(1, 2, 3))),
            Optional.empty(), false, Timing.DEFAULTS);

    @Test
    void tenThousandRandomMessagesNeverThrowAndTheCoreKeepsStepping() {
        Random random = new Random(42);
        NodeCore core = new NodeCore(2, CONFIG);
        long now = 0;
        core.step(Input.Boot.empty(), now);
        int stepsBeforeFailfast = 0;
        for (int i = 0; i < 10_000; i++) {
            now += random.nextInt(5) * MS;
            core.step(new Input.Received(randomMessage(random), random.nextBoolean() ? "net1" : "bogus"), now);
            stepsBeforeFailfast += core.status(now).failed() ? 0 : 1;
        }
        assertThat(stepsBeforeFailfast).as("the core stayed alive through most of the garbage, so it really processed it").isGreaterThan(5_000);
        if (!core.status(now).failed()) {
            assertThat(core.step(new Input.Tick(), now + 200 * MS).wakeAtNanos()).isGreaterThan(now);
        }
    }

    private static Message randomMessage(Random r) {
        int from = r.nextInt(6) - 1;
        Epoch epoch = new Epoch(r.nextInt(5), r.nextInt(6) - 1);
        return switch (r.nextInt(13)) {
            case 0 -> new Message.Heartbeat(from, epoch, r.nextLong(), r.nextLong(), Map.of(r.nextInt(6), Set.of("net1", "x")), Map.of(2, r.nextLong()));
            case 1 -> new Message.Propose(from, epoch, ids(r));
            case 2 -> new Message.Accept(from, epoch, Map.of(r.nextInt(6), (long) r.nextInt(2_000) - 500), Map.of(r.nextInt(6), (long) r.nextInt(3) - 1),
                    r.nextBoolean(), Map.of("t", version(r)), Optional.of(new PreparedChange("x", table(r))), Set.of(version(r)));
            case 3 -> new Message.Reject(from, epoch, epoch, "no");
            case 4 -> new Message.Commit(from, new Membership(epoch, new TreeSet<>(ids(r)), r.nextBoolean(), r.nextBoolean(), "?"),
                    Map.of(r.nextInt(6), (long) r.nextInt(3_000) - 1), Set.of("x"), Set.of(version(r)), Map.of("t", version(r)), Map.of("t", r.nextInt(6)));
            case 5 -> new Message.Cleared(from, epoch, r.nextInt(6));
            case 6 -> new Message.Prepare(from, epoch, new PreparedChange("x", table(r)), version(r));
            case 7 -> new Message.Prepared(from, epoch, "x", r.nextBoolean(), "");
            case 8 -> new Message.CommitChange(from, epoch, "x");
            case 9 -> new Message.Applied(from, epoch, "x");
            case 10 -> new Message.AbortChange(from, epoch, "x");
            case 11 -> new Message.TableRequest(from, "t");
            default -> new Message.TableReply(from, table(r));
        };
    }

    private static Set<Integer> ids(Random r) {
        Set<Integer> ids = new TreeSet<>();
        for (int i = 0; i < r.nextInt(5); i++) {
            ids.add(r.nextInt(6) - 1);
        }
        return ids;
    }

    private static TableVersion version(Random r) {
        return new TableVersion(new Epoch(r.nextInt(4), r.nextInt(4)), r.nextInt(4), r.nextLong());
    }

    private static Table table(Random r) {
        return r.nextBoolean() ? Table.create("t", new Epoch(r.nextInt(4), 1), r.nextInt(4), "c" + r.nextInt(3))
                : new Table("t", version(r), "tampered");
    }
}
