package dev.baton.api.spi;

import org.pf4j.ExtensionPoint;

import java.io.IOException;
import java.util.Map;

/** Extension point: opens heartbeat paths of one kind ({@code serial}, {@code disk}). */
public interface HeartbeatPathProvider extends ExtensionPoint {
    /** The kind named in the cluster configuration. */
    String kind();

    /** Opens a path from its configuration (device, speed …); the settings come from the CCR. */
    HeartbeatPath open(Map<String, String> settings) throws IOException;
}
