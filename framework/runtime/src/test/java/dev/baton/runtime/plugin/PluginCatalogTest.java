package dev.baton.runtime.plugin;

import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.BatonVersion;
import dev.baton.runtime.TestPlugins;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.method.MethodRuntime;
import dev.baton.runtime.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loading plugins with every kind of bad input: each bad plugin is disabled with a message that
 * names its file and line, and a good plugin loaded beside it stays active and works.
 */
class PluginCatalogTest {
    private static final String GOOD_MODULE = """
            export function start(ctx) { return ctx.success(); }
            export function stop(ctx) { return ctx.success(); }
            export function probe(ctx) { return ctx.running("good is fine"); }
            """;

    @TempDir
    Path dir;
    private TestPlugins plugins;
    private JsEngine engine;
    private MethodRuntime runtime;
    private PluginCatalog catalog;

    @BeforeEach
    void setUp() throws IOException {
        plugins = new TestPlugins(dir.resolve("plugins"));
        Files.createDirectories(plugins.dir());
        engine = new JsEngine();
        runtime = new MethodRuntime(BatonConfig.defaults());
    }

    @AfterEach
    void tearDown() {
        if (catalog != null) {
            catalog.close();
        }
        runtime.close();
        engine.close();
    }

    private PluginCatalog load() {
        return load(BatonConfig.defaults());
    }

    private PluginCatalog load(BatonConfig config) {
        catalog = PluginCatalog.loadDirectory(plugins.dir(), engine, config);
        return catalog;
    }

    /** Writes the good plugin, loads everything, and checks the good one is untouched. */
    private PluginStatus loadBesideGood(TestPlugins.Plugin bad) throws IOException {
        bad.writeFolder();
        plugins.plugin("good").type("good", "", GOOD_MODULE).writeFolder();
        load();
        assertGoodPluginWorks();
        return disabled(badId(bad));
    }

    private String badId(TestPlugins.Plugin bad) {
        return catalog.plugins().stream().map(PluginStatus::id).filter(id -> !id.equals("good")).findFirst()
                .orElseThrow();
    }

    private void assertGoodPluginWorks() {
        assertThat(catalog.plugin("good")).get().satisfies(s -> {
            assertThat(s.state()).as(s.describe()).isEqualTo(PluginStatus.State.ACTIVE);
            assertThat(s.types()).containsExactly("good");
            assertThat(s.problems()).isEmpty();
        });
        assertThat(probe("good").code()).isEqualTo(ResultCode.RUNNING);
    }

    private MethodResult probe(String typeName) {
        ResourceType type = catalog.type(typeName).orElseThrow(() -> new AssertionError("no type " + typeName));
        return runtime.call(type.newResource("r-" + typeName, Map.of()), MethodName.PROBE);
    }

    private PluginStatus disabled(String id) {
        PluginStatus s = catalog.plugin(id).orElseThrow(() -> new AssertionError("no status for " + id
                + " in " + catalog.plugins()));
        assertThat(s.state()).as(s.describe()).isEqualTo(PluginStatus.State.DISABLED);
        assertThat(s.types()).isEmpty();
        assertThat(s.problems()).isNotEmpty();
        return s;
    }

    private static SourceProblem onlyProblem(PluginStatus s) {
        assertThat(s.problems()).as(s.describe()).hasSize(1);
        return s.problems().get(0);
    }

    // ---- descriptors ----

    @Test
    void unknownPropertyTypeNamesPropertyTypeAndLine() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("web", """
                properties:
                  Port: {type: integer}
                """, TestPlugins.TRIVIAL_MODULE));
        SourceProblem p = onlyProblem(s);
        assertThat(p.file()).isEqualTo("types/web.yaml");
        assertThat(p.line()).isEqualTo(9);
        assertThat(p.message()).contains("Port").contains("'integer'");
        assertThat(catalog.type("web")).isEmpty();
    }

    @Test
    void exactDuplicatePropertyKeyIsRefused() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("web", """
                properties:
                  Port: {type: int}
                  Port: {type: int}
                """, TestPlugins.TRIVIAL_MODULE));
        assertThat(onlyProblem(s).toString()).isEqualTo("types/web.yaml:10: properties.Port: duplicate key (first at line 9)");
    }

    @Test
    void caseOnlyDuplicatePropertyIsRefused() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("web", """
                properties:
                  Port: {type: int}
                  port: {type: int}
                """, TestPlugins.TRIVIAL_MODULE));
        SourceProblem p = onlyProblem(s);
        assertThat(p.line()).isEqualTo(10);
        assertThat(p.message()).contains("properties.port").contains("'Port'");
    }

    @Test
    void extensionPropertyNamedLikeAStandardOneIsRefused() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("web", """
                properties:
                  Retry_count: {type: int}
                """, TestPlugins.TRIVIAL_MODULE));
        SourceProblem p = onlyProblem(s);
        assertThat(p.line()).isEqualTo(9);
        assertThat(p.message()).contains("the standard property 'Retry_count'");
    }

    @Test
    void defaultOutsideMinMaxIsRefused() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("web", """
                properties:
                  Port: {type: int, min: 1, max: 100, default: 101}
                """, TestPlugins.TRIVIAL_MODULE));
        SourceProblem p = onlyProblem(s);
        assertThat(p.line()).isEqualTo(9);
        assertThat(p.message()).isEqualTo("properties.Port.default: default 101 is above max 100");
    }

    @Test
    void enumDefaultNotAmongTheValuesIsRefused() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("web", """
                properties:
                  Mode:
                    type: enum
                    values: [fast, safe]
                    default: turbo
                """, TestPlugins.TRIVIAL_MODULE));
        SourceProblem p = onlyProblem(s);
        assertThat(p.line()).isEqualTo(12);
        assertThat(p.message()).contains("Mode.default").contains("'turbo' is not one of [fast, safe]");
    }

    @Test
    void yamlSyntaxErrorGivesFileAndLine() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").file("web.yaml", """
                name: web
                version: 1.0.0
                module: web.js
                methods: {start: 5s, stop: 5s
                """).file("web.js", TestPlugins.TRIVIAL_MODULE));
        SourceProblem p = onlyProblem(s);
        assertThat(p.file()).isEqualTo("types/web.yaml");
        assertThat(p.line()).isBetween(4, 5);
        assertThat(p.message()).startsWith("not valid YAML");
    }

    @Test
    void unknownTopLevelKeyIsRefused() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("web", "colour: blue\n", TestPlugins.TRIVIAL_MODULE));
        assertThat(onlyProblem(s).toString()).startsWith("types/web.yaml:8: colour: unknown key");
    }

    @Test
    void missingModuleFileIsNamed() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").file("web.yaml", TestPlugins.descriptor("web", "")));
        SourceProblem p = onlyProblem(s);
        assertThat(p.file()).isEqualTo("types/web.yaml");
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.message()).isEqualTo("module 'types/web.js' does not exist");
    }

    @Test
    void moduleOutsideTheTypesFolderIsRefused() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad")
                .file("web.yaml", TestPlugins.descriptor("web", "").replace("module: web.js", "module: ../../plugin.properties")));
        assertThat(onlyProblem(s).message()).contains("outside the plugin's types folder");
    }

    @Test
    void aModuleAboveTheSizeLimitIsRefused() throws IOException {
        plugins.plugin("big").type("big", "", TestPlugins.TRIVIAL_MODULE + "// " + "x".repeat(2000) + "\n").writeFolder();
        load(BatonConfig.defaults().with(ConfigKeys.MODULE_MAX_BYTES, 1024));
        assertThat(onlyProblem(disabled("big")).message()).contains("larger than the limit of 1024 bytes");
    }

    @Test
    void aTypeDefinedTwiceInOnePluginIsRefused() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("web", "", TestPlugins.TRIVIAL_MODULE)
                .file("web2.yaml", TestPlugins.descriptor("web", "")));
        SourceProblem p = onlyProblem(s);
        assertThat(p.file()).isEqualTo("types/web2.yaml");
        assertThat(p.message()).contains("'web' is defined twice in this plugin");
    }

    // ---- modules ----

    @Test
    void jsSyntaxErrorNamesTheModuleAndLine() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("x", "", """
                export function start(ctx) { return ctx.success(); }
                export function stop(ctx) {
                  return ctx.success(;
                }
                export function probe(ctx) { return ctx.notRunning(); }
                """));
        SourceProblem p = onlyProblem(s);
        assertThat(p.file()).isEqualTo("types/x.js");
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.message()).startsWith("syntax error");
        assertThat(p.toString()).startsWith("types/x.js:3: ");
    }

    @Test
    void declaredMethodMissingFromTheModuleNamesMethodAndYamlLine() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("x", "  validate: {timeout: 5s}\n",
                TestPlugins.TRIVIAL_MODULE));
        SourceProblem p = onlyProblem(s);
        assertThat(p.file()).isEqualTo("types/x.yaml");
        assertThat(p.line()).isEqualTo(8);
        assertThat(p.message()).isEqualTo("declares method validate but types/x.js exports no function named validate");
    }

    @Test
    void requiredMethodMissingFromTheModulePointsAtItsLine() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("x", "", """
                export function start(ctx) { return ctx.success(); }
                export function stop(ctx) { return ctx.success(); }
                export const probe = 42;
                """));
        SourceProblem p = onlyProblem(s);
        assertThat(p.line()).isEqualTo(7);
        assertThat(p.message()).contains("declares method probe");
    }

    @Test
    void moduleExportingAnUndeclaredMethodIsRefused() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("x", "", TestPlugins.TRIVIAL_MODULE
                + "export function update(ctx) { return ctx.success(); }\n"));
        SourceProblem p = onlyProblem(s);
        assertThat(p.file()).isEqualTo("types/x.js");
        assertThat(p.message()).contains("exports update but types/x.yaml does not declare it");
    }

    @Test
    void helperFunctionsThatAreNotMethodNamesMayBeExported() throws IOException {
        plugins.plugin("helpers").type("h", "", GOOD_MODULE + "export function helper() { return 1; }\n").writeFolder();
        load();
        assertThat(catalog.plugin("helpers")).get().extracting(PluginStatus::state).isEqualTo(PluginStatus.State.ACTIVE);
    }

    @Test
    void propsTypoIsCaughtAtLoadWithItsLine() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("x", """
                properties:
                  Port: {type: int, default: 80}
                """, """
                export function start(ctx) { return ctx.success(); }
                export function stop(ctx) { return ctx.success(); }
                export function probe(ctx) {
                  if (ctx.props.Port > 0 && ctx.props.port > 0) { return ctx.running(); }
                  return ctx.notRunning(String(ctx.props.Typo));
                }
                """));
        assertThat(s.problems()).extracting(SourceProblem::toString).containsExactly(
                "types/x.js:4: ctx.props.port is not a property of type x (did you mean Port?)",
                "types/x.js:5: ctx.props.Typo is not a property of type x");
    }

    @Test
    void topLevelEndlessLoopDisablesThePluginAfterTheLoadTimeout() throws IOException {
        plugins.plugin("loop").type("loop", "", "while (true) {}\n" + TestPlugins.TRIVIAL_MODULE).writeFolder();
        plugins.plugin("good").type("good", "", GOOD_MODULE).writeFolder();
        long start = System.nanoTime();
        load(BatonConfig.defaults().with(ConfigKeys.MODULE_LOAD_TIMEOUT, Duration.ofMillis(500)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        SourceProblem p = onlyProblem(disabled("loop"));
        assertThat(p.file()).isEqualTo("types/loop.js");
        assertThat(p.message()).isEqualTo("top-level code ran longer than 500 ms (an endless loop?)");
        assertGoodPluginWorks();
    }

    @Test
    void topLevelThrowIsReportedWithItsLine() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("x", "",
                TestPlugins.TRIVIAL_MODULE + "throw new Error('boom at load');\n"));
        SourceProblem p = onlyProblem(s);
        assertThat(p.file()).isEqualTo("types/x.js");
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.message()).contains("loading the module failed").contains("boom at load");
    }

    @Test
    void moduleMayImportAHelperShippedWithThePlugin() throws IOException {
        plugins.plugin("lib").type("withlib", "", """
                import { double } from './lib/util.js';
                export function start(ctx) { return ctx.success(); }
                export function stop(ctx) { return ctx.success(); }
                export function probe(ctx) { return ctx.running(String(double(21))); }
                """).file("lib/util.js", "export function double(x) { return 2 * x; }\n").writeFolder();
        load();
        assertThat(catalog.plugin("lib")).get().extracting(PluginStatus::state).isEqualTo(PluginStatus.State.ACTIVE);
        MethodResult r = probe("withlib");
        assertThat(r.code()).isEqualTo(ResultCode.RUNNING);
        assertThat(r.message()).isEqualTo("42");
    }

    @Test
    void importingAFileOutsideThePluginDisablesIt() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("x", "",
                "import secret from '../../../etc/passwd';\n" + TestPlugins.TRIVIAL_MODULE));
        SourceProblem p = onlyProblem(s);
        assertThat(p.file()).isEqualTo("types/x.js");
        assertThat(p.message()).contains("outside the plugin's types folder");
    }

    @Test
    void importingAMissingHelperIsReported() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("x", "",
                "import { nope } from './lib/missing.js';\n" + TestPlugins.TRIVIAL_MODULE));
        assertThat(onlyProblem(s).message()).contains("loading the module failed");
    }

    // ---- plugins ----

    @Test
    void pluginRequiringANewerBatonIsDisabled() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("future").requires(">=99.0.0")
                .type("future", "", TestPlugins.TRIVIAL_MODULE));
        SourceProblem p = onlyProblem(s);
        assertThat(p.file()).isEqualTo("plugin.properties");
        assertThat(p.message()).contains("requires Baton >=99.0.0").contains("this is Baton " + BatonVersion.forPluginChecks());
        assertThat(catalog.type("future")).isEmpty();
    }

    @Test
    void pluginRequiringThisBatonLoads() throws IOException {
        plugins.plugin("current").requires(">=" + BatonVersion.forPluginChecks()).type("cur", "", GOOD_MODULE).writeFolder();
        load();
        assertThat(catalog.plugin("current")).get().extracting(PluginStatus::state).isEqualTo(PluginStatus.State.ACTIVE);
    }

    @Test
    void sameTypeNameInTwoPluginsGoesToTheIdThatSortsFirst() throws IOException {
        plugins.plugin("beta").type("shared", "", GOOD_MODULE.replace("good is fine", "from beta")).writeZip();
        plugins.plugin("alpha").type("shared", "", GOOD_MODULE.replace("good is fine", "from alpha")).writeFolder();
        load();
        assertThat(catalog.plugin("alpha")).get().extracting(PluginStatus::state).isEqualTo(PluginStatus.State.ACTIVE);
        assertThat(catalog.type("shared")).get().extracting(ResourceType::pluginId).isEqualTo("alpha");
        assertThat(probe("shared").message()).isEqualTo("from alpha");
        PluginStatus beta = disabled("beta");
        assertThat(onlyProblem(beta).message()).contains("type 'shared' is already defined by plugin 'alpha'");
        assertThat(beta.describe()).contains("plugin 'beta'").contains("plugin 'alpha'");
    }

    @Test
    void brokenPluginPropertiesDisablesOnlyThatFolderAndNamesItsPath() throws IOException {
        Path broken = plugins.dir().resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("plugin.properties"), "plugin.version=1.0.0\nplugin.provider=test\n");
        plugins.plugin("good").type("good", "", GOOD_MODULE).writeFolder();
        plugins.plugin("other").type("other", "", GOOD_MODULE).writeJar();
        load();
        PluginStatus s = disabled("broken");
        assertThat(s.location()).isEqualTo(broken.toString());
        assertThat(s.describe()).contains(broken.toString());
        assertThat(onlyProblem(s).message()).startsWith("cannot load:").containsIgnoringCase("id");
        assertGoodPluginWorks();
        assertThat(probe("other").code()).isEqualTo(ResultCode.RUNNING);
    }

    @Test
    void zipJarAndFolderPluginsAllLoad() throws IOException {
        plugins.plugin("zipped").type("zt", "", GOOD_MODULE).writeZip();
        plugins.plugin("jarred").type("jt", "", GOOD_MODULE).file("lib/util.js", "export const x = 1;\n").writeJar();
        plugins.plugin("good").type("good", "", GOOD_MODULE).writeFolder();
        load();
        assertThat(catalog.plugins()).allSatisfy(s ->
                assertThat(s.state()).as(s.describe()).isEqualTo(PluginStatus.State.ACTIVE));
        assertThat(catalog.types()).extracting(ResourceType::name).containsExactlyInAnyOrder("zt", "jt", "good");
        assertThat(probe("zt").code()).isEqualTo(ResultCode.RUNNING);
        assertThat(probe("jt").code()).isEqualTo(ResultCode.RUNNING);
        assertThat(catalog.plugin("zipped").orElseThrow().version()).isEqualTo("1.0.0");
    }

    @Test
    void loadFilesLoadsTheGivenPluginsOnly() throws IOException {
        Path jar = plugins.plugin("jarred").type("jt", "", GOOD_MODULE).writeJar();
        Path zip = plugins.plugin("zipped").type("zt", "", GOOD_MODULE).writeZip();
        plugins.plugin("ignored").type("ig", "", GOOD_MODULE).writeFolder();
        catalog = PluginCatalog.loadFiles(List.of(jar, zip), engine, BatonConfig.defaults());
        assertThat(catalog.plugins()).extracting(PluginStatus::id).containsExactlyInAnyOrder("jarred", "zipped");
        assertThat(probe("jt").code()).isEqualTo(ResultCode.RUNNING);
        assertThat(probe("zt").code()).isEqualTo(ResultCode.RUNNING);
    }

    @Test
    void oneBadTypeDisablesItsWholePlugin() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad").type("fine", "", GOOD_MODULE)
                .type("broken", "properties:\n  X: {type: nope}\n", TestPlugins.TRIVIAL_MODULE));
        assertThat(onlyProblem(s).file()).isEqualTo("types/broken.yaml");
        assertThat(catalog.type("fine")).isEmpty();
    }

    @Test
    void everyProblemOfAPluginIsReported() throws IOException {
        PluginStatus s = loadBesideGood(plugins.plugin("bad")
                .type("one", "properties:\n  X: {type: nope}\n", TestPlugins.TRIVIAL_MODULE)
                .type("two", "", "export function start(ctx) {"));
        assertThat(s.problems()).extracting(SourceProblem::file).containsExactly("types/one.yaml", "types/two.js");
    }

    @Test
    void aMissingPluginsFolderLoadsNothing() {
        catalog = PluginCatalog.loadDirectory(dir.resolve("nowhere"), engine, BatonConfig.defaults());
        assertThat(catalog.plugins()).isEmpty();
        assertThat(catalog.types()).isEmpty();
    }

    @Test
    void closingTheCatalogDropsItsTypes() throws IOException {
        plugins.plugin("good").type("good", "", GOOD_MODULE).writeJar();
        load();
        assertThat(catalog.types()).hasSize(1);
        catalog.close();
        assertThat(catalog.types()).isEmpty();
        catalog = null;
    }
}
