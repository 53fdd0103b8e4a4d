package dev.baton.plugins.serial;

import dev.baton.api.spi.HeartbeatPath;
import dev.baton.api.spi.HeartbeatPathProvider;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.plugin.PluginStatus;
import dev.baton.testkit.PluginHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginManager;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The plugin loaded the way Baton loads plugins (the testkit's harness: Baton's PF4J manager,
 * host-shared API and JNA), its provider found as a PF4J extension by kind, and a path it
 * opened carrying frames over a socat pair.
 *
 * <p>The plugin is laid out as its zip is (plugin.properties, classes/, lib/) and loaded in
 * deployment mode, as the daemon loads dist/plugins. Development mode
 * ({@code PluginHarness.forModule()}) does not work for Java extensions yet: BatonPluginManager
 * picks its plugin loaders in PF4J's constructor, before it sets the development mode, so a
 * module's target/classes never reaches the plugin class loader.
 *
 * <p>The runtime has no accessor yet for extensions other than resource types, so the catalog's
 * own plugin manager is read by reflection; the daemon would call
 * {@code manager.getExtensions(HeartbeatPathProvider.class, pluginId)} for each started plugin
 * and pick the one whose {@code kind()} is the configured kind.
 */
class SerialPluginLoadTest {
    @TempDir
    Path dir;

    @Test
    void theProviderIsAnExtensionOfKindSerialLoadedByThePluginClassLoader() throws Exception {
        try (PluginHarness harness = PluginHarness.forPluginFile(deploymentLayout());
                SocatPair socat = SocatPair.start(dir)) {
            PluginStatus status = harness.assertLoaded();
            assertThat(status.id()).isEqualTo("serial");
            HeartbeatPathProvider provider = providerOfKind(harness.catalog(), "serial");
            assertThat(provider.getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
            // Shared with the host, not a second copy inside the plugin.
            assertThat(provider.getClass().getClassLoader().loadClass("com.sun.jna.Native"))
                    .isSameAs(com.sun.jna.Native.class);
            try (HeartbeatPath a = provider.open(Map.of("device", socat.a().toString(), "speed", "57600"));
                    SerialHeartbeatPath b = SerialHeartbeatPath.open(SerialSettings.of(socat.b()))) {
                a.send("through the plugin".getBytes(StandardCharsets.UTF_8));
                assertThat(b.receive(Duration.ofSeconds(5))).get()
                        .isEqualTo("through the plugin".getBytes(StandardCharsets.UTF_8));
                assertThat(a.name()).isEqualTo("serial:" + socat.a());
            }
            assertThatThrownBy(() -> provider.open(Map.of("device", socat.a().toString(), "speed", "12345")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'speed' 12345 is not a standard line speed");
        }
    }

    /** What the plugin zip holds (framework/plugin-build's assembly): this module has no runtime dependencies for lib/. */
    private Path deploymentLayout() throws IOException {
        Path built = Path.of("target/classes").toAbsolutePath();
        Path plugin = Files.createDirectories(dir.resolve("plugins/serial"));
        Files.createDirectories(plugin.resolve("lib"));
        Files.copy(built.resolve("plugin.properties"), plugin.resolve("plugin.properties"));
        try (Stream<Path> files = Files.walk(built)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = plugin.resolve("classes").resolve(built.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
        return plugin;
    }

    /**
     * Asks each started plugin, as the catalog does for resource types: {@code getExtensions(type)}
     * without a plugin id would also return the copy on the test class path (target/classes is on it).
     */
    private static HeartbeatPathProvider providerOfKind(PluginCatalog catalog, String kind) throws Exception {
        PluginManager manager = pluginManager(catalog);
        List<HeartbeatPathProvider> providers = manager.getStartedPlugins().stream()
                .flatMap(w -> manager.getExtensions(HeartbeatPathProvider.class, w.getPluginId()).stream()).toList();
        return providers.stream().filter(p -> p.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no HeartbeatPathProvider of kind '" + kind + "' among " + providers));
    }

    private static PluginManager pluginManager(PluginCatalog catalog) throws Exception {
        Field manager = PluginCatalog.class.getDeclaredField("manager");
        manager.setAccessible(true);
        return (PluginManager) manager.get(catalog);
    }
}
