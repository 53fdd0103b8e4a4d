package dev.baton.api.spi;

import org.pf4j.ExtensionPoint;

import java.util.Map;

/** Extension point: creates fencing devices of one kind ({@code scsi3}, {@code ipmi}). */
public interface FencingDeviceProvider extends ExtensionPoint {
    String kind();

    FencingDevice create(String name, Map<String, String> settings);
}
