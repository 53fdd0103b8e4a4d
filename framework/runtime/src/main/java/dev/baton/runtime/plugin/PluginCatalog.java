package dev.baton.runtime.plugin;

import java.util.Collections;
import dev.baton.api.spi.ResourceTypeProvider;
import dev.baton.api.spi.ResourceTypeSource;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.resource.ResourceType;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The plugins of this process and the resource types they contribute. Loading never fails as a
 * whole: a plugin that cannot be used is disabled with its reasons (file and line) and the
 * others load. Two plugins defining the same type name: the one whose id sorts first keeps it,
 * the other is disabled, naming both.
 *
 * <p>Start reading at {@link #loadDirectory} (deployment: zips and jars in a folder) or
 * {@link #loadModules} (development: Maven modules, as the testkit uses).
 */
public final class PluginCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginCatalog.class);

    private final BatonPluginManager manager;
    private final Map<String, ResourceType> types = new LinkedHashMap<>();
    private final List<PluginStatus> statuses = new ArrayList<>();
    private final List<Path> extractedDirs = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "baton-plugin-load-guard");
        t.setDaemon(true);
        return t;
    });

    private PluginCatalog(BatonPluginManager manager) {
        this.manager = manager;
    }

    /** Loads every plugin zip, jar or unpacked folder in {@code pluginsDir}. */
    public static PluginCatalog loadDirectory(Path pluginsDir, JsEngine engine, BatonConfig config) {
        PluginCatalog c = new PluginCatalog(new BatonPluginManager(RuntimeMode.DEPLOYMENT, List.of(pluginsDir)));
        if (Files.isDirectory(pluginsDir)) {
            c.manager.loadPlugins();
        } else {
            LOG.warn("plugins folder {} does not exist: no plugins loaded", pluginsDir);
        }
        c.initialize(engine, config);
        return c;
    }

    /** Loads plugin modules from their Maven module folders (classes from target/classes). */
    public static PluginCatalog loadModules(List<Path> moduleDirs, JsEngine engine, BatonConfig config) {
        List<Path> roots = moduleDirs.stream().map(p -> p.toAbsolutePath().getParent()).distinct().toList();
        PluginCatalog c = new PluginCatalog(new BatonPluginManager(RuntimeMode.DEVELOPMENT, roots));
        for (Path dir : moduleDirs) {
            c.manager.loadOne(dir.toAbsolutePath());
        }
        c.initialize(engine, config);
        return c;
    }

    /** Loads plugin archives or folders given one by one, in deployment layout. */
    public static PluginCatalog loadFiles(List<Path> pluginPaths, JsEngine engine, BatonConfig config) {
        List<Path> roots = pluginPaths.stream().map(p -> p.toAbsolutePath().getParent()).distinct().toList();
        PluginCatalog c = new PluginCatalog(new BatonPluginManager(RuntimeMode.DEPLOYMENT, roots));
        for (Path p : pluginPaths) {
            c.manager.loadOne(p.toAbsolutePath());
        }
        c.initialize(engine, config);
        return c;
    }

    private void initialize(JsEngine engine, BatonConfig config) {
        manager.rejectedPaths().forEach((path, reason) -> statuses.add(new PluginStatus(
                path.getFileName().toString(), "?", path.toString(), PluginStatus.State.DISABLED, List.of(),
                List.of(new SourceProblem(path.getFileName().toString(), 0, "cannot load: " + reason)))));
        TypeLoader loader = new TypeLoader(engine, config, timer);
        List<PluginWrapper> plugins = new ArrayList<>(manager.getPlugins());
        plugins.sort(Comparator.comparing(PluginWrapper::getPluginId));
        Map<String, TypeLoader.Loaded> loaded = new LinkedHashMap<>();
        for (PluginWrapper w : plugins) {
            List<SourceProblem> early = startOrExplain(w);
            loaded.put(w.getPluginId(), early.isEmpty() ? loadTypes(w, loader)
                    : new TypeLoader.Loaded(List.of(), early));
        }
        for (PluginWrapper w : plugins) {
            register(w, loaded.get(w.getPluginId()));
        }
        statuses.forEach(s -> {
            if (s.state() == PluginStatus.State.DISABLED) {
                LOG.warn("{}", s.describe());
            } else {
                LOG.info("{}", s.describe());
            }
        });
    }

    /** Starts a plugin PF4J accepted; returns why it cannot be used otherwise. */
    private List<SourceProblem> startOrExplain(PluginWrapper w) {
        String unmet = manager.unmetRequirement(w.getPluginId());
        if (unmet != null) {
            return List.of(new SourceProblem("plugin.properties", 0, unmet));
        }
        if (w.getPluginState() != PluginState.RESOLVED) {
            return List.of(new SourceProblem("plugin.properties", 0, "not resolved by PF4J (state "
                    + w.getPluginState() + "); check plugin.dependencies"));
        }
        PluginState state = manager.startPlugin(w.getPluginId());
        if (state != PluginState.STARTED) {
            Throwable why = w.getFailedException();
            return List.of(new SourceProblem("plugin.properties", 0, "failed to start: "
                    + (why == null ? state : why.getMessage())));
        }
        return List.of();
    }

    private TypeLoader.Loaded loadTypes(PluginWrapper w, TypeLoader loader) {
        List<SourceProblem> problems = new ArrayList<>();
        Path typesRoot = typesRoot(w, problems);
        List<ResourceTypeSource> provided = providedTypes(w, problems);
        if (!problems.isEmpty()) {
            return new TypeLoader.Loaded(List.of(), problems);
        }
        return loader.load(w.getPluginId(), typesRoot, provided);
    }

    private List<ResourceTypeSource> providedTypes(PluginWrapper w, List<SourceProblem> problems) {
        List<ResourceTypeSource> sources = new ArrayList<>();
        try {
            for (ResourceTypeProvider p : manager.getExtensions(ResourceTypeProvider.class, w.getPluginId())) {
                sources.addAll(p.resourceTypes());
            }
        } catch (RuntimeException | LinkageError e) {
            problems.add(new SourceProblem("ResourceTypeProvider", 0, "failed: " + e));
        }
        return sources;
    }

    /** Registers a plugin's types, or records it as disabled; a type name already taken disables the later plugin. */
    private void register(PluginWrapper w, TypeLoader.Loaded result) {
        List<SourceProblem> problems = new ArrayList<>(result.problems());
        for (ResourceType t : result.types()) {
            ResourceType existing = types.get(t.name());
            if (existing != null) {
                problems.add(new SourceProblem(t.descriptorFile(), 0, "type '" + t.name()
                        + "' is already defined by plugin '" + existing.pluginId() + "' (" + existing.descriptorFile()
                        + "); type names are unique across plugins"));
            }
        }
        String version = w.getDescriptor().getVersion();
        String location = w.getPluginPath().toString();
        if (!problems.isEmpty()) {
            result.types().forEach(ResourceType::close);
            if (w.getPluginState() == PluginState.STARTED) {
                manager.stopPlugin(w.getPluginId());
            }
            statuses.add(new PluginStatus(w.getPluginId(), version, location, PluginStatus.State.DISABLED, List.of(), problems));
            return;
        }
        result.types().forEach(t -> types.put(t.name(), t));
        statuses.add(new PluginStatus(w.getPluginId(), version, location, PluginStatus.State.ACTIVE,
                result.types().stream().map(ResourceType::name).toList(), List.of()));
    }

    /**
     * The plugin's types folder as a real directory: {@code classes/types} of an unpacked zip,
     * {@code target/classes/types} of a module, or the {@code types/} entries of a jar copied out.
     */
    private Path typesRoot(PluginWrapper w, List<SourceProblem> problems) {
        Path p = w.getPluginPath();
        if (Files.isDirectory(p)) {
            for (String candidate : List.of("classes/types", "target/classes/types", "types")) {
                if (Files.isDirectory(p.resolve(candidate))) {
                    return p.resolve(candidate);
                }
            }
        }
        try {
            return Files.isDirectory(p) ? emptyDir() : extractJarTypes(p);
        } catch (IOException e) {
            problems.add(new SourceProblem(p.getFileName().toString(), 0, "cannot read types/ from the jar: " + e.getMessage()));
            return p;
        }
    }

    /** A plugin without a types folder (its types come from a provider) still needs a root for imports. */
    private Path emptyDir() throws IOException {
        Path dir = Files.createTempDirectory("baton-plugin-types-");
        extractedDirs.add(dir);
        return dir;
    }

    private Path extractJarTypes(Path jar) throws IOException {
        Path dir = emptyDir();
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (JarEntry e : Collections.list(jf.entries())) {
                if (e.isDirectory() || !e.getName().startsWith("types/")) {
                    continue;
                }
                Path target = dir.resolve(e.getName().substring("types/".length())).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("entry " + e.getName() + " escapes the types folder");
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = jf.getInputStream(e)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return dir;
    }

    /**
     * Extensions of one extension point from every started plugin (heartbeat paths, quorum devices,
     * fencing devices); a plugin whose extension fails to instantiate is logged and skipped.
     */
    public <T> List<T> extensions(Class<T> point) {
        List<T> found = new ArrayList<>();
        for (PluginWrapper w : manager.getStartedPlugins()) {
            try {
                found.addAll(manager.getExtensions(point, w.getPluginId())); // per plugin: never a copy on the host class path
            } catch (RuntimeException e) {
                LOG.warn("plugin {}: loading its {} extensions failed: {}", w.getPluginId(), point.getSimpleName(), e.toString());
            }
        }
        return found;
    }

    public List<PluginStatus> plugins() {
        return List.copyOf(statuses);
    }

    public Optional<PluginStatus> plugin(String id) {
        return statuses.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public Optional<ResourceType> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public Collection<ResourceType> types() {
        return List.copyOf(types.values());
    }

    @Override
    public void close() {
        types.values().forEach(ResourceType::close);
        types.clear();
        // stopPlugins() throws ConcurrentModificationException in PF4J 3.15: stop one by one, newest first.
        List<PluginWrapper> started = new ArrayList<>(manager.getStartedPlugins());
        for (int i = started.size() - 1; i >= 0; i--) {
            manager.stopPlugin(started.get(i).getPluginId());
        }
        manager.unloadPlugins();
        timer.shutdownNow();
        extractedDirs.forEach(PluginCatalog::deleteTree);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot delete {}", dir, e);
        }
    }
}
