package dev.baton.api.spi;

import java.util.Objects;

/**
 * One resource type as text, the way a {@link ResourceTypeProvider} hands it over.
 *
 * @param descriptorName a file-like name used in error messages, e.g. {@code types/memcached.yaml}
 * @param descriptorYaml the descriptor, in the same YAML form as a {@code types/*.yaml} file
 * @param moduleSource   the JavaScript module the descriptor's {@code module:} names
 */
public record ResourceTypeSource(String descriptorName, String descriptorYaml, String moduleSource) {
    public ResourceTypeSource {
        Objects.requireNonNull(descriptorName, "descriptorName");
        Objects.requireNonNull(descriptorYaml, "descriptorYaml");
        Objects.requireNonNull(moduleSource, "moduleSource");
    }
}
