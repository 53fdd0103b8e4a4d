package dev.baton.api.spi;

import org.pf4j.ExtensionPoint;

import java.util.Map;

/** Extension point: creates quorum devices of one kind ({@code scsi3-disk}, {@code quorum-server}). */
public interface QuorumDeviceProvider extends ExtensionPoint {
    String kind();

    QuorumDevice create(String name, Map<String, String> settings);
}
