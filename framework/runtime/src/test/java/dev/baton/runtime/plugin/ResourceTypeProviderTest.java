package dev.baton.runtime.plugin;

import dev.baton.api.method.ResultCode;
import dev.baton.api.spi.ResourceTypeProvider;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.method.MethodRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plugin with Java code: a ResourceTypeProvider compiled for real (with PF4J's annotation
 * processor named explicitly, as JDK 23+ requires) and found by PF4J. The plugin also carries its
 * own copy of baton-api in lib/: host-shared class loading must still hand it the host's
 * interfaces, or the extension would not be recognised.
 */
class ResourceTypeProviderTest {
    private static final String PROVIDER = """
            package test.provider;

            import dev.baton.api.spi.ResourceTypeProvider;
            import dev.baton.api.spi.ResourceTypeSource;
            import java.util.List;

            @org.pf4j.Extension
            public class GeneratedTypes implements ResourceTypeProvider {
                @Override
                public List<ResourceTypeSource> resourceTypes() {
                    String descriptor = String.join("\\n",
                            "name: generated",
                            "version: 1.0.0",
                            "module: generated.js",
                            "methods: {start: 5s, stop: 5s, probe: 5s}",
                            "properties:",
                            "  Factor: {type: int, default: 21}");
                    String module = String.join("\\n",
                            "import {twice} from './lib/util.js';",
                            "export function start(ctx) { return ctx.success('made ' + twice(ctx.props.Factor)); }",
                            "export function stop(ctx) { return ctx.success(); }",
                            "export function probe(ctx) { return ctx.notRunning(); }");
                    return List.of(new ResourceTypeSource("GeneratedTypes/generated.yaml", descriptor, module));
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aJavaProviderContributesATypeWhoseModuleImportsPluginHelpers() throws Exception {
        Path plugin = dir.resolve("plugins/javaplugin");
        Path classes = Files.createDirectories(plugin.resolve("classes"));
        Files.writeString(plugin.resolve("plugin.properties"), "plugin.id=javaplugin\nplugin.version=1.0.0\n");
        Files.createDirectories(classes.resolve("types/lib"));
        Files.writeString(classes.resolve("types/lib/util.js"), "export function twice(x) { return 2 * x; }\n");
        compile(classes);
        assertThat(classes.resolve("META-INF/extensions.idx")).content().contains("test.provider.GeneratedTypes");
        Files.createDirectories(plugin.resolve("lib"));
        jarOf(codeSource(ResourceTypeProvider.class), plugin.resolve("lib/own-copy-of-baton-api.jar"));

        try (JsEngine engine = new JsEngine();
             PluginCatalog catalog = PluginCatalog.loadDirectory(dir.resolve("plugins"), engine, BatonConfig.defaults());
             MethodRuntime runtime = new MethodRuntime(BatonConfig.defaults())) {
            assertThat(catalog.plugins()).singleElement()
                    .satisfies(s -> assertThat(s.state()).as(s.describe()).isEqualTo(PluginStatus.State.ACTIVE))
                    .satisfies(s -> assertThat(s.types()).containsExactly("generated"));
            var result = runtime.call(catalog.type("generated").orElseThrow().newResource("g", Map.of()), MethodName.START);
            assertThat(result.code()).isEqualTo(ResultCode.SUCCESS);
            assertThat(result.message()).isEqualTo("made 42");
        }
    }

    private static void compile(Path classes) throws IOException {
        Path src = Files.createDirectories(classes.getParent().resolve("src/test/provider")).resolve("GeneratedTypes.java");
        Files.writeString(src, PROVIDER);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        String classpath = System.getProperty("java.class.path");
        int status = javac.run(null, errors, errors, "-d", classes.toString(), "-cp", classpath,
                "-processorpath", classpath, "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor",
                src.toString());
        assertThat(status).as(errors.toString()).isZero();
    }

    private static Path codeSource(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Copies a classes folder (or a jar) into a jar. */
    private static void jarOf(Path classesOrJar, Path jar) throws IOException {
        if (Files.isRegularFile(classesOrJar)) {
            Files.copy(classesOrJar, jar);
            return;
        }
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classesOrJar)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new ZipEntry(classesOrJar.relativize(f).toString()));
                OutputStream o = out;
                o.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
    }
}
