package dev.baton.api.spi;

import org.pf4j.ExtensionPoint;

import java.util.List;

/**
 * Extension point: contributes resource types from Java code, for plugins that generate their
 * descriptors. Most plugins need no Java: the runtime reads every {@code types/*.yaml} in the
 * plugin and the JavaScript module each names. Types from a provider go through the same
 * validation as those files, and their modules may import helpers from the plugin's
 * {@code types/} folder.
 */
public interface ResourceTypeProvider extends ExtensionPoint {
    /** The types this plugin contributes; called once when the plugin loads. */
    List<ResourceTypeSource> resourceTypes();
}
