package dev.baton.runtime.daemon;

import dev.baton.api.spi.HeartbeatPath;
import dev.baton.api.spi.HeartbeatPathProvider;
import dev.baton.runtime.plugin.PluginCatalog;
import java.io.IOException;
import java.util.Map;

/** Opens the serial heartbeat paths through the plugin that provides kind {@value #KIND}. */
final class SerialPaths {
    static final String KIND = "serial";

    private SerialPaths() {
    }

    static HeartbeatPath open(PluginCatalog catalog, Map<String, String> settings, String pathName) throws IOException {
        HeartbeatPathProvider provider = catalog.extensions(HeartbeatPathProvider.class).stream()
                .filter(p -> KIND.equals(p.kind())).findFirst()
                .orElseThrow(() -> new IOException("path " + pathName + " is a serial line, but no loaded plugin provides"
                        + " heartbeat paths of kind '" + KIND + "' (is the serial plugin in the plugins folder?)"));
        try {
            return provider.open(settings);
        } catch (IOException e) {
            throw new IOException("path " + pathName + ": cannot open " + settings.get("device") + ": " + e.getMessage(), e);
        }
    }
}
