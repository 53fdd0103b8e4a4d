package dev.baton.runtime.cli;

import dev.baton.runtime.TestPlugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The tools as an operator or plugin author runs them: output and exit status. */
class CliTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = BatonTool.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private Path plugins() throws Exception {
        TestPlugins p = new TestPlugins(dir.resolve("plugins"));
        p.plugin("good").type("echo", """
                properties:
                  Word: {type: string, required: true}
                """, """
                export function start(ctx) { return ctx.success("said " + ctx.props.Word); }
                export function stop(ctx) { return ctx.success(); }
                export function probe(ctx) { return ctx.notRunning("nothing runs"); }
                """).writeZip();
        p.plugin("bad").type("broken", """
                properties:
                  Port: {type: int, default: 70000, max: 65535}
                """, TestPlugins.TRIVIAL_MODULE).writeZip();
        return p.dir();
    }

    @Test
    void pluginsListsEachPluginAndWhyOneIsDisabled() throws Exception {
        Run r = run("plugins", "--dir", plugins().toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("good").contains("active").contains("types: echo");
        assertThat(r.out()).contains("bad").contains("DISABLED")
                .contains("types/broken.yaml:").contains("default 70000 is above max 65535");
    }

    @Test
    void checkPassesAGoodPluginFile() throws Exception {
        Path good = plugins().resolve("good.zip");
        Run r = run("check", good.toString());
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("active");
    }

    @Test
    void callRunsOneMethodAndExitsWithItsOcfCode() throws Exception {
        Path p = plugins();
        Run start = run("call", "--plugins", p.toString(), "echo", "start", "Word=hello");
        assertThat(start.status()).isZero();
        assertThat(start.out()).contains("SUCCESS").contains("said hello");
        Run probe = run("call", "--plugins", p.toString(), "echo", "probe", "Word=hello");
        assertThat(probe.status()).isEqualTo(7);
        assertThat(probe.out()).contains("NOT_RUNNING");
    }

    @Test
    void callReportsBadPropertiesByName() throws Exception {
        Path p = plugins();
        Run validate = run("call", "--plugins", p.toString(), "echo", "validate");
        assertThat(validate.status()).isEqualTo(6);
        assertThat(validate.out()).contains("CONFIG_ERROR").contains("Word: required");
        Run unknown = run("call", "--plugins", p.toString(), "echo", "start", "Word=x", "Wrod=y");
        assertThat(unknown.status()).isEqualTo(6);
        assertThat(unknown.err()).contains("Wrod: unknown property");
        Run badMethod = run("call", "--plugins", p.toString(), "echo", "restart");
        assertThat(badMethod.status()).isEqualTo(2);
        assertThat(badMethod.err()).contains("unknown method 'restart'");
    }

    @Test
    void newRefusesAnExistingFolderAndABadName() throws Exception {
        Files.createDirectories(dir.resolve("taken"));
        assertThat(run("new", "x", "--dir", dir.resolve("taken").toString()).status()).isEqualTo(2);
        Run bad = run("new", "Bad-Name", "--dir", dir.resolve("b").toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("lower case");
        assertThat(dir.resolve("b")).doesNotExist();
    }
}
