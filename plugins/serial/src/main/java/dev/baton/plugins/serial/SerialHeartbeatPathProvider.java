package dev.baton.plugins.serial;

import dev.baton.api.spi.HeartbeatPath;
import dev.baton.api.spi.HeartbeatPathProvider;
import org.pf4j.Extension;

import java.io.IOException;
import java.util.Map;

/** Opens heartbeat paths of kind {@value #KIND}: settings in {@link SerialSettings}. */
@Extension
public final class SerialHeartbeatPathProvider implements HeartbeatPathProvider {
    public static final String KIND = "serial";

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * @throws IllegalArgumentException when the settings are wrong (every problem named)
     * @throws IOException              when the device cannot be opened or configured
     */
    @Override
    public HeartbeatPath open(Map<String, String> settings) throws IOException {
        return SerialHeartbeatPath.open(SerialSettings.parse(settings));
    }
}
