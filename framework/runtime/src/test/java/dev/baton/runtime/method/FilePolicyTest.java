package dev.baton.runtime.method;

import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.method.MethodRuntimeTest.Env;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** ctx file functions reach only the paths the descriptor declares, with the access it declares. */
class FilePolicyTest {
    private static final String DESCRIPTOR = """
            properties:
              Root: {type: string}
              Conf: {type: string}
            files:
              - {path: "${Root}", access: read_write}
              - {path: "${Conf}", access: read}
            """;

    @TempDir
    Path dir;
    private Path root;
    private Path conf;
    private Path outside;

    @BeforeEach
    void folders() throws IOException {
        root = Files.createDirectories(dir.resolve("root"));
        conf = Files.createDirectories(dir.resolve("conf"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(conf.resolve("app.conf"), "listen 80\n");
        Files.writeString(outside.resolve("secret"), "s3cret\n");
    }

    /** Runs {@code body} as start with Root and Conf set (unless {@code props} overrides them). */
    private MethodResult run(String body, Map<String, String> props) throws IOException {
        Map<String, String> values = new HashMap<>(Map.of("Root", root.toString(), "Conf", conf.toString()));
        values.putAll(props);
        try (Env env = Env.load(dir, DESCRIPTOR, """
                export function start(ctx) {
                  const R = ctx.props.Root, C = ctx.props.Conf;
                %s
                }
                """.formatted(body))) {
            return env.call(env.resource("r1", values), MethodName.START);
        }
    }

    private MethodResult run(String body) throws IOException {
        return run(body, Map.of());
    }

    private static void assertRefused(MethodResult r, String operation, String verb) {
        assertThat(r.code()).as(r.toString()).isEqualTo(ResultCode.FAILED);
        assertThat(r.message()).contains(operation + ": '").contains("is outside the paths this type may " + verb)
                .contains("add it under files: in the descriptor");
    }

    @Test
    void readWriteUnderADeclaredPath() throws IOException {
        MethodResult r = run("""
                  ctx.mkdirs(R + "/logs/old");
                  ctx.writeFile(R + "/logs/app.log", "line one\\n");
                  const text = ctx.readFile(R + "/logs/app.log");
                  const existed = ctx.fileExists(R + "/logs/app.log");
                  const removedDir = ctx.removeFile(R + "/logs/old");
                  const again = ctx.removeFile(R + "/logs/old");
                  return ctx.success(JSON.stringify({text, existed, removedDir, again, missing: ctx.readFile(R + "/none")}));
                """);
        assertThat(MethodRuntimeTest.json(r)).containsEntry("text", "line one\n").containsEntry("existed", true)
                .containsEntry("removedDir", true).containsEntry("again", false).containsEntry("missing", null);
        assertThat(root.resolve("logs/app.log")).hasContent("line one");
        assertThat(root.resolve("logs/old")).doesNotExist();
    }

    @Test
    void writeFileReplacesTheFileWithTheGivenMode() throws IOException {
        Files.writeString(root.resolve("pid"), "old");
        MethodResult r = run("ctx.writeFile(R + '/pid', '1234', {mode: '0600'}); return ctx.success();");
        assertThat(r.code()).as(r.toString()).isEqualTo(ResultCode.SUCCESS);
        assertThat(root.resolve("pid")).hasContent("1234");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("pid")))).isEqualTo("rw-------");
        try (var files = Files.list(root)) {
            assertThat(files).as("no temporary file left behind").hasSize(1);
        }
    }

    @Test
    void aBadModeIsRefused() throws IOException {
        MethodResult r = run("ctx.writeFile(R + '/x', 'y', {mode: 'rw-r--r--'}); return ctx.success();");
        assertThat(r.message()).contains("mode 'rw-r--r--' is not octal");
        assertThat(root.resolve("x")).doesNotExist();
    }

    @Test
    void readFileHonoursMaxBytes() throws IOException {
        Files.writeString(root.resolve("big"), "0123456789");
        assertThat(run("return ctx.success(ctx.readFile(R + '/big', {maxBytes: 4}));").message()).isEqualTo("0123");
    }

    @Test
    void readingOutsideTheDeclaredPathsIsRefused() throws IOException {
        assertRefused(run("return ctx.success(ctx.readFile('" + outside.resolve("secret") + "'));"),
                "ctx.readFile", "read");
        assertRefused(run("return ctx.success(String(ctx.fileExists('/etc/passwd')));"), "ctx.fileExists", "read");
    }

    @Test
    void writingOutsideTheDeclaredPathsIsRefused() throws IOException {
        assertRefused(run("ctx.writeFile('" + outside.resolve("new") + "', 'x'); return ctx.success();"),
                "ctx.writeFile", "write");
        assertRefused(run("ctx.mkdirs('" + outside.resolve("d") + "'); return ctx.success();"), "ctx.mkdirs", "write");
        assertRefused(run("ctx.removeFile('" + outside.resolve("secret") + "'); return ctx.success();"),
                "ctx.removeFile", "write");
        assertThat(outside.resolve("new")).doesNotExist();
        assertThat(outside.resolve("d")).doesNotExist();
        assertThat(outside.resolve("secret")).exists();
    }

    @Test
    void aReadOnlyRuleAllowsReadingButNotWriting() throws IOException {
        assertThat(run("return ctx.success(ctx.readFile(C + '/app.conf'));").message()).isEqualTo("listen 80\n");
        MethodResult write = run("ctx.writeFile(C + '/app.conf', 'listen 81'); return ctx.success();");
        assertRefused(write, "ctx.writeFile", "write");
        assertThat(write.message()).contains(conf + " read");
        assertThat(conf.resolve("app.conf")).hasContent("listen 80");
    }

    @Test
    void dotDotCannotClimbOutOfAnAllowedFolder() throws IOException {
        assertRefused(run("return ctx.success(ctx.readFile(R + '/../outside/secret'));"), "ctx.readFile", "read");
    }

    @Test
    void aSymlinkInsideTheFolderLeadingOutsideIsRefused() throws IOException {
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.createSymbolicLink(root.resolve("secret-link"), outside.resolve("secret"));
        assertRefused(run("return ctx.success(ctx.readFile(R + '/link/secret'));"), "ctx.readFile", "read");
        assertRefused(run("return ctx.success(ctx.readFile(R + '/secret-link'));"), "ctx.readFile", "read");
        assertRefused(run("ctx.writeFile(R + '/link/planted', 'x'); return ctx.success();"), "ctx.writeFile", "write");
        assertThat(outside.resolve("planted")).doesNotExist();
    }

    @Test
    void aSymlinkThatStaysInsideIsFollowed() throws IOException {
        Files.createDirectories(root.resolve("real"));
        Files.writeString(root.resolve("real/f"), "inside");
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
        assertThat(run("return ctx.success(ctx.readFile(R + '/alias/f'));").message()).isEqualTo("inside");
    }

    @Test
    void relativePathsAreRefused() throws IOException {
        MethodResult r = run("return ctx.success(ctx.readFile('root/x'));");
        assertThat(r.code()).isEqualTo(ResultCode.FAILED);
        assertThat(r.message()).contains("ctx.readFile: 'root/x' is not an absolute path");
    }

    @Test
    void anUnsetPropertyGrantsNothing() throws IOException {
        MethodResult r = run("return ctx.success(String(ctx.fileExists('" + root + "/x')));", Map.of("Root", ""));
        assertRefused(r, "ctx.fileExists", "read");
        assertThat(r.message()).contains("(declared: " + conf + " read)");
    }

    @Test
    void aTypeWithoutFilesMayTouchNothing() throws IOException {
        try (Env env = Env.load(dir, "", "export function start(ctx) { return ctx.success(ctx.readFile('/etc/hostname')); }")) {
            MethodResult r = env.start();
            assertRefused(r, "ctx.readFile", "read");
            assertThat(r.message()).contains("(declared: none)");
        }
    }

    @Test
    void pidFilesAreReadUnderTheSameRules() throws IOException {
        Files.writeString(root.resolve("app.pid"), "4242 extra\n");
        Files.writeString(root.resolve("junk.pid"), "not a pid");
        MethodResult r = run("return ctx.success(ctx.readPidFile(R + '/app.pid') + ' ' + ctx.readPidFile(R + '/junk.pid')"
                + " + ' ' + ctx.readPidFile(R + '/none.pid'));");
        assertThat(r.message()).isEqualTo("4242 null null");
        Files.writeString(outside.resolve("x.pid"), "1");
        assertRefused(run("ctx.readPidFile('" + outside.resolve("x.pid") + "'); return ctx.success();"),
                "ctx.readPidFile", "read");
        assertRefused(run("ctx.trackPidFile('/run/other.pid'); return ctx.success();"), "ctx.trackPidFile", "read");
    }
}
