package dev.baton.runtime.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.core.Effects;
import dev.baton.core.Input;
import dev.baton.core.Message;
import dev.baton.core.NodeCore;
import dev.baton.core.ccr.Table;
import dev.baton.core.membership.Epoch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the daemon records replays to the same decisions; a recording that lost its beginning is refused. */
class RecordingReplayTest {
    private static final String CLUSTER = """
            cluster name=r
            node id=1 name=a
            node id=2 name=b
            node id=3 name=c
            network name=lo kind=ip port=7410 1=127.0.0.1 2=127.0.0.2 3=127.0.0.3
            """;

    @TempDir
    Path dir;

    private List<Input> run() {
        List<Input> inputs = new ArrayList<>();
        inputs.add(new Input.Boot(Epoch.NONE, List.of(Table.create("cluster", Epoch.NONE, 1, CLUSTER)), Optional.empty(), Set.of()));
        for (int i = 0; i < 300; i++) {
            inputs.add(new Input.Tick());
            for (int peer = 2; peer <= 3; peer++) {
                inputs.add(new Input.Received(new Message.Heartbeat(peer, Epoch.NONE, 0, i, Map.of(1, Set.of("lo"),
                        2, Set.of("lo"), 3, Set.of("lo")), Map.of()), "lo"));
            }
        }
        return inputs;
    }

    @Test
    void aReplayProducesTheSameEffectsAsTheLiveRun() throws Exception {
        NodeCore live = new NodeCore(1, ClusterDescriptionText.parse(CLUSTER, "t").config());
        List<Effects> liveEffects = new ArrayList<>();
        try (Recording recording = new Recording(dir, 1 << 20, 4)) {
            long now = 5_000_000_000L;
            for (Input in : run()) {
                now += 7_000_000;
                recording.record(in, now);
                liveEffects.add(live.step(in, now));
            }
        }
        List<Effects> replayed = new ArrayList<>();
        long steps = Replay.run(dir, 1, step -> replayed.add(step.effects()));
        assertThat(steps).isEqualTo(liveEffects.size());
        assertThat(replayed).isEqualTo(liveEffects);
        assertThat(liveEffects.stream().mapToLong(e -> e.ordered().size()).sum()).as("the run decided things").isPositive();
    }

    @Test
    void rotationIsBoundedAndAReplayWithoutItsBeginningIsRefused() throws Exception {
        try (Recording recording = new Recording(dir, 4_096, 2)) {
            long now = 1;
            for (int round = 0; round < 5; round++) {
                for (Input in : run()) {
                    recording.record(in, now++);
                }
            }
        }
        assertThat(Recording.files(dir)).hasSize(2);
        assertThatThrownBy(() -> Replay.run(dir, 1, step -> { }))
                .hasMessageContaining("rotation dropped part of the run");
    }
}
