package dev.baton.runtime.js;

import org.graalvm.polyglot.Source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A type's JavaScript module, ready to evaluate: its source (parsed once per engine and shared
 * by every context), the folder its imports resolve in, and the name used in messages.
 *
 * @param displayName the module's path inside the plugin, e.g. {@code types/apache.js}
 */
public record JsModule(Source source, Path typesRoot, String displayName) {
    public JsModule {
        Objects.requireNonNull(source);
        Objects.requireNonNull(typesRoot);
        Objects.requireNonNull(displayName);
    }

    /**
     * Builds the module from its text; the module's path (inside {@code typesRoot}) anchors
     * relative imports.
     */
    public static JsModule of(Path typesRoot, String relativePath, String text, String displayName) throws IOException {
        Path file = typesRoot.resolve(relativePath).normalize();
        if (!file.startsWith(typesRoot.normalize())) {
            throw new IOException("module '" + relativePath + "' is outside the plugin's types folder");
        }
        Source source = Source.newBuilder("js", file.toFile())
                .content(text)
                .name(displayName)
                .mimeType("application/javascript+module")
                .build();
        return new JsModule(source, typesRoot, displayName);
    }
}
