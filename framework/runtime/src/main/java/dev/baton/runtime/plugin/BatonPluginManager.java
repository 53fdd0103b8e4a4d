package dev.baton.runtime.plugin;

import java.util.Set;
import java.util.HashSet;
import dev.baton.runtime.BatonVersion;
import org.pf4j.CompoundPluginDescriptorFinder;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DevelopmentPluginLoader;
import org.pf4j.JarPluginLoader;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginLoader;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;
import org.pf4j.PropertiesPluginDescriptorFinder;
import org.pf4j.RuntimeMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PF4J set up for Baton: shared host classes (see {@link HostSharedClassLoader}), the Baton
 * version checked against {@code plugin.requires}, no enabled/disabled files written into the
 * plugins folder, and every failure to load remembered with its reason instead of only logged.
 */
final class BatonPluginManager extends DefaultPluginManager {
    private final Map<Path, String> rejectedPaths = new LinkedHashMap<>();
    private final Map<String, String> unmetRequirements = new LinkedHashMap<>();

    BatonPluginManager(RuntimeMode mode, List<Path> roots) {
        super(roots);
        this.runtimeMode = mode;
        this.resolveRecoveryStrategy = ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE;
        setSystemVersion(BatonVersion.forPluginChecks());
    }

    /** Loads one plugin from its path; on failure returns null and remembers why. */
    PluginWrapper loadOne(Path path) {
        PluginWrapper w = loadPluginFromPath(path);
        resolvePlugins();
        return w;
    }

    Map<Path, String> rejectedPaths() {
        return rejectedPaths;
    }

    /** Why a plugin's {@code plugin.requires} is not met, if it is not. */
    String unmetRequirement(String pluginId) {
        return unmetRequirements.get(pluginId);
    }

    @Override
    protected PluginWrapper loadPluginFromPath(Path pluginPath) {
        try {
            PluginWrapper w = super.loadPluginFromPath(pluginPath);
            if (w == null) {
                rejectedPaths.put(pluginPath, "cannot unpack the plugin archive");
            }
            return w;
        } catch (RuntimeException e) {
            rejectedPaths.put(pluginPath, e.getMessage() == null ? e.toString() : e.getMessage());
            return null;
        }
    }

    @Override
    protected boolean isPluginValid(PluginWrapper pluginWrapper) {
        boolean valid = super.isPluginValid(pluginWrapper);
        if (!valid) {
            unmetRequirements.put(pluginWrapper.getPluginId(), "requires Baton "
                    + pluginWrapper.getDescriptor().getRequires() + "; this is Baton " + BatonVersion.full());
        }
        return valid;
    }

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return new CompoundPluginDescriptorFinder()
                .add(new BuildAwarePropertiesFinder())
                .add(new ManifestPluginDescriptorFinder());
    }

    @Override
    protected PluginStatusProvider createPluginStatusProvider() {
        return new InMemoryStatusProvider();
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new CompoundPluginLoader()
                .add(new DevelopmentPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path p, PluginDescriptor d) {
                        return new HostSharedClassLoader(pluginManager, d, getClass().getClassLoader());
                    }
                }, this::isDevelopment)
                .add(new JarPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path p, PluginDescriptor d) {
                        return new HostSharedClassLoader(pluginManager, d, getClass().getClassLoader());
                    }
                }, this::isNotDevelopment)
                .add(new DefaultPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path p, PluginDescriptor d) {
                        return new HostSharedClassLoader(pluginManager, d, getClass().getClassLoader());
                    }
                }, this::isNotDevelopment);
    }

    /**
     * Reads plugin.properties at the plugin's root, or, for a module in development mode, the
     * copy Maven filtered into target/classes (the root copy still holds ${project.version}).
     */
    private static final class BuildAwarePropertiesFinder extends PropertiesPluginDescriptorFinder {
        @Override
        protected Path getPropertiesPath(Path pluginPath, String propertiesFileName) {
            if (Files.isDirectory(pluginPath)) {
                Path built = pluginPath.resolve("target/classes").resolve(propertiesFileName);
                if (Files.exists(built)) {
                    return built;
                }
            }
            return super.getPropertiesPath(pluginPath, propertiesFileName);
        }

        @Override
        public boolean isApplicable(Path pluginPath) {
            return super.isApplicable(pluginPath) && Files.exists(getPropertiesPath(pluginPath, propertiesFileName));
        }
    }

    /** Enabling and disabling is Baton's business (the CCR, later), not files beside the plugins. */
    private static final class InMemoryStatusProvider implements PluginStatusProvider {
        private final Set<String> disabled = new HashSet<>();

        @Override
        public synchronized boolean isPluginDisabled(String pluginId) {
            return disabled.contains(pluginId);
        }

        @Override
        public synchronized void disablePlugin(String pluginId) {
            disabled.add(pluginId);
        }

        @Override
        public synchronized void enablePlugin(String pluginId) {
            disabled.remove(pluginId);
        }
    }
}
