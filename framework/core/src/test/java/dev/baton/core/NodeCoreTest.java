package dev.baton.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.NetworkSpec;
import dev.baton.core.cluster.NodeSpec;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.cluster.Timing;
import dev.baton.core.membership.Epoch;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The step contract; the protocols themselves are exercised by the simulator's scenarios and random seeds. */
class NodeCoreTest {
    private static final long MS = 1_000_000L;
    private static final ClusterConfig CONFIG = ClusterConfig.of("c", List.of(NodeSpec.of(1, "a"), NodeSpec.of(2, "b"), NodeSpec.of(3, "c")),
            List.of(NetworkSpec.of("net1", PathKind.IP, Set.of(1, 2, 3)), NetworkSpec.of("tty", PathKind.SERIAL, Set.of(2, 3))),
            Optional.empty(), Optional.empty(), false, Timing.DEFAULTS);

    private static Message.Heartbeat heartbeatFrom(int from, long seq, Set<Integer> hears) {
        Map<Integer, Set<String>> heard = new java.util.TreeMap<>();
        hears.forEach(peer -> heard.put(peer, Set.of("net1")));
        return new Message.Heartbeat(from, Epoch.NONE, 0, seq, heard, Map.of());
    }

    @Test
    void nothingHappensBeforeBoot() {
        NodeCore core = new NodeCore(2, CONFIG);
        assertThat(core.step(new Input.Tick(), 0).isEmpty()).isTrue();
        assertThat(core.step(new Input.Received(heartbeatFrom(1, 1, Set.of(2)), "net1"), 1).isEmpty()).isTrue();
    }

    @Test
    void bootSendsAHeartbeatOnEveryPathOfTheNodeAndAsksToBeWokenWellWithinTheDriftMargin() {
        Effects effects = new NodeCore(2, CONFIG).step(Input.Boot.empty(), 0);
        assertThat(effects.of(Effect.Broadcast.class)).extracting(Effect.Broadcast::network).containsExactly("net1", "tty");
        assertThat(effects.wakeAtNanos()).isEqualTo(Timing.DEFAULTS.driftMarginMs() * MS / 4);
    }

    @Test
    void aPromiseIsPersistedBeforeTheAcceptThatClaimsIt() {
        NodeCore core = new NodeCore(2, CONFIG);
        core.step(Input.Boot.empty(), 0);
        core.step(new Input.Received(heartbeatFrom(1, 1, Set.of(2, 3)), "net1"), 10 * MS);
        core.step(new Input.Received(heartbeatFrom(3, 1, Set.of(1, 2)), "net1"), 11 * MS);
        Effects effects = core.step(new Input.Received(new Message.Propose(1, new Epoch(1, 1), Set.of(1, 2, 3)), "net1"), 12 * MS);
        List<Effect> ordered = effects.ordered();
        int persist = indexOf(ordered, Effect.PersistPromise.class);
        int accept = ordered.indexOf(ordered.stream().filter(e -> e instanceof Effect.Send s && s.message() instanceof Message.Accept).findFirst().orElseThrow());
        assertThat(persist).isNotNegative().isLessThan(accept);
    }

    @Test
    void aProposalFromANodeThisNodeDoesNotHearIsRejectedWithTheReason() {
        NodeCore core = new NodeCore(2, CONFIG);
        core.step(Input.Boot.empty(), 0);
        core.step(new Input.Received(heartbeatFrom(1, 1, Set.of(2)), "net1"), 10 * MS);
        Effects effects = core.step(new Input.Received(new Message.Propose(1, new Epoch(1, 1), Set.of(1, 2, 3)), "net1"), 12 * MS);
        Message.Reject reject = (Message.Reject) effects.of(Effect.Send.class).stream().map(Effect.Send::message)
                .filter(Message.Reject.class::isInstance).findFirst().orElseThrow();
        assertThat(reject.reason()).isEqualTo("node 2 does not hear node 3");
    }

    @Test
    void aNonMemberRefusesConfigurationChangesWithTheReason() {
        NodeCore core = new NodeCore(2, CONFIG);
        core.step(Input.Boot.empty(), 0);
        Effects effects = core.step(new Input.ProposeChange(7, "rg", "x"), 1);
        assertThat(effects.of(Effect.Notify.class)).singleElement().extracting(Effect.Notify::event)
                .isEqualTo(new Event.ChangeFailed(7, "node 2 is not in a quorate membership; configuration changes need quorum"));
    }

    private static int indexOf(List<Effect> effects, Class<?> type) {
        for (int i = 0; i < effects.size(); i++) {
            if (type.isInstance(effects.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
