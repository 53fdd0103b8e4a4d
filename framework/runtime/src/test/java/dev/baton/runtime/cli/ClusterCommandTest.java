package dev.baton.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.runtime.wire.ClusterKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The bootstrap commands as an operator runs them: keygen, cluster create, and their refusals. */
class ClusterCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run baton(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = BatonTool.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static final String DESCRIPTION = """
            cluster name=t
            node id=1 name=a
            node id=2 name=b
            network name=lo kind=ip port=7410 1=127.0.0.1 2=127.0.0.2
            """;

    @Test
    void keygenWritesAPrivateKeyAndNeverOverwritesOne() throws Exception {
        Path key = dir.resolve("cluster.key");
        Run first = baton("keygen", key.toString());
        assertThat(first.exit()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(first.out()).contains(ClusterKey.load(key).fingerprint());
        String before = Files.readString(key);
        assertThat(baton("keygen", key.toString()).exit()).isNotZero();
        assertThat(Files.readString(key)).isEqualTo(before);
    }

    @Test
    void createMakesTheStateAndRefusesASecondCluster() throws Exception {
        Path description = Files.writeString(dir.resolve("c.txt"), DESCRIPTION);
        Path state = dir.resolve("n1");
        Run created = baton("cluster", "create", "--state", state.toString(), "--node-id", "1", "--description", description.toString());
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(state.resolve("cluster.key")).exists();
        assertThat(Files.readString(state.resolve("node-id")).strip()).isEqualTo("1");
        assertThat(Files.readString(state.resolve("ccr/cluster.tbl"))).contains("network name=lo");
        Run again = baton("cluster", "create", "--state", state.toString(), "--node-id", "1", "--description", description.toString());
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("already belongs to a cluster");
    }

    @Test
    void aBadDescriptionIsRefusedNamingTheLineAndNothingIsWritten() throws Exception {
        Path description = Files.writeString(dir.resolve("bad.txt"), DESCRIPTION.replace("port=7410", "port=seventy"));
        Path state = dir.resolve("n1");
        Run r = baton("cluster", "create", "--state", state.toString(), "--node-id", "1", "--description", description.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("line 4").contains("port must be an integer");
        assertThat(state.resolve("cluster.key")).doesNotExist();
        Run notMember = baton("cluster", "create", "--state", state.toString(), "--node-id", "9", "--description",
                Files.writeString(dir.resolve("ok.txt"), DESCRIPTION).toString());
        assertThat(notMember.err()).contains("node 9 is not in the cluster description");
    }
}
