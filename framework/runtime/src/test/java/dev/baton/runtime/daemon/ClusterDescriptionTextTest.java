package dev.baton.runtime.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.core.cluster.PathKind;
import org.junit.jupiter.api.Test;

class ClusterDescriptionTextTest {
    private static final String TEXT = """
            # two nodes, two networks, a serial line and a quorum server
            cluster name=prod
            node id=1 name=alpha
            node id=2 name=beta votes=1
            network name=public kind=ip port=7410 1=10.0.0.1 2=10.0.0.2
            network name=private kind=ip port=7411 1=10.1.0.1 2=10.1.0.2
            network name=tty kind=serial speed=38400 1=/dev/ttyS0 2=/dev/ttyUSB0
            quorum name=qs kind=quorum-server address=10.0.0.9:7500 nodes=1,2
            timing heartbeatIntervalMs=50 missThreshold=6 leaseMs=600
            """;

    @Test
    void readsEveryLineKind() {
        ClusterDescription d = ClusterDescriptionText.parse(TEXT, "test");
        assertThat(d.clusterName()).isEqualTo("prod");
        assertThat(d.config().nodeName(2)).isEqualTo("beta");
        assertThat(d.networks()).extracting(ClusterDescription.Path::name).containsExactly("public", "private", "tty");
        assertThat(d.ipNetworks()).hasSize(2);
        assertThat(d.networks().get(2).kind()).isEqualTo(PathKind.SERIAL);
        assertThat(d.networks().get(2).settings()).containsEntry("speed", "38400");
        assertThat(d.networks().get(2).endpoints()).containsEntry(2, "/dev/ttyUSB0");
        assertThat(d.networks().get(1).socketOf(2)).hasValueSatisfying(a -> assertThat(a.getPort()).isEqualTo(7411));
        assertThat(d.quorumDevice()).hasValueSatisfying(q -> assertThat(q.address().getPort()).isEqualTo(7500));
        assertThat(d.config().quorumDevice()).isPresent();
        assertThat(d.config().timing().heartbeatIntervalMs()).isEqualTo(50);
        assertThat(d.config().timing().missThreshold()).isEqualTo(6);
        assertThat(d.config().timing().failfastBoundMs()).isEqualTo(100); // a default kept
    }

    @Test
    void formatReadsBackTheSame() {
        ClusterDescription d = ClusterDescriptionText.parse(TEXT, "test");
        ClusterDescription again = ClusterDescriptionText.parse(ClusterDescriptionText.format(d), "formatted");
        assertThat(again.networks()).isEqualTo(d.networks());
        assertThat(again.config().timing()).isEqualTo(d.config().timing());
        assertThat(again.config().nodes()).isEqualTo(d.config().nodes());
        assertThat(again.quorumDevice().map(q -> q.nodes())).isEqualTo(d.quorumDevice().map(q -> q.nodes()));
    }

    @Test
    void errorsNameTheLineAndTheProblem() {
        assertThatThrownBy(() -> ClusterDescriptionText.parse("cluster name=x\nnode id=one name=a\n", "f.txt"))
                .hasMessageContaining("f.txt line 2").hasMessageContaining("id must be an integer");
        assertThatThrownBy(() -> ClusterDescriptionText.parse("cluster name=x\nnode id=1 name=a\nnetwork name=n kind=ip 1=10.0.0.1\n", "f"))
                .hasMessageContaining("line 3").hasMessageContaining("missing port=");
        assertThatThrownBy(() -> ClusterDescriptionText.parse("cluster name=x\nbogus a=b\n", "f"))
                .hasMessageContaining("line 2").hasMessageContaining("unknown line kind 'bogus'");
        assertThatThrownBy(() -> ClusterDescriptionText.parse("node id=1 name=a\n", "f"))
                .hasMessageContaining("no 'cluster name=...' line");
        assertThatThrownBy(() -> ClusterDescriptionText.parse("cluster name=x\nnode id=1 name=a\ntiming leaseMz=5\n", "f"))
                .hasMessageContaining("unknown timing keys [leaseMz]");
    }

    @Test
    void theCoreRulesStillApply() {
        // a serial path must join exactly two nodes; a network may not name unknown nodes
        assertThatThrownBy(() -> ClusterDescriptionText.parse("""
                cluster name=x
                node id=1 name=a
                network name=n kind=ip port=1 1=10.0.0.1 7=10.0.0.7
                """, "f")).hasMessageContaining("network n names node 7");
        assertThatThrownBy(() -> ClusterDescriptionText.parse("""
                cluster name=x
                node id=1 name=a
                node id=2 name=b
                node id=3 name=c
                network name=s kind=serial 1=/dev/a 2=/dev/b 3=/dev/c
                """, "f")).hasMessageContaining("must join exactly 2 nodes");
    }
}
