package dev.baton.core.heartbeat;

import dev.baton.core.heartbeat.PathCondition.LocalAdapterDown;
import dev.baton.core.heartbeat.PathCondition.NetworkDown;
import dev.baton.core.heartbeat.PathCondition.NodeIpDown;
import dev.baton.core.heartbeat.PathCondition.NodeUnreachable;
import dev.baton.core.heartbeat.PathCondition.RemoteAdapterDown;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PathMonitorTest {
    private final PathMonitor monitor = new PathMonitor();

    @Test
    void newConditionsAreReportedDownOnceSortedByText() {
        Set<PathCondition> conditions = Set.of(new NodeUnreachable(3), new NetworkDown("net2"), new LocalAdapterDown("net1"));

        assertThat(monitor.update(conditions)).extracting(PathEvent::toString).containsExactly(
                "DOWN: local adapter on net1 down",
                "DOWN: network net2 down",
                "DOWN: node 3 unreachable");
        assertThat(monitor.update(conditions)).isEmpty();
        assertThat(monitor.current())
                .containsExactly(new NetworkDown("net2"), new LocalAdapterDown("net1"), new NodeUnreachable(3));
    }

    @Test
    void clearedConditionsComeUpBeforeNewOnesGoDown() {
        monitor.update(Set.of(new RemoteAdapterDown(3, "net1"), new RemoteAdapterDown(3, "net2"), new NetworkDown("net3")));

        assertThat(monitor.update(Set.of(new NetworkDown("net3"), new NodeIpDown(3), new NodeUnreachable(2))))
                .containsExactly(
                        PathEvent.up(new RemoteAdapterDown(3, "net1")),
                        PathEvent.up(new RemoteAdapterDown(3, "net2")),
                        PathEvent.down(new NodeUnreachable(2)),
                        PathEvent.down(new NodeIpDown(3)));
        assertThat(monitor.current()).containsExactly(new NetworkDown("net3"), new NodeIpDown(3), new NodeUnreachable(2));
    }

    @Test
    void aHealedClusterReportsEverythingUp() {
        monitor.update(Set.of(new NodeUnreachable(2)));

        assertThat(monitor.update(Set.of())).extracting(PathEvent::toString).containsExactly("UP: node 2 unreachable");
        assertThat(monitor.current()).isEmpty();
    }
}
