package dev.baton.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this Baton build, as Maven stamped it. */
public final class BatonVersion {
    private static final Properties STAMPED = load();
    private static final String FULL = STAMPED.getProperty("version");

    private BatonVersion() {
    }

    /** The full version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String full() {
        return FULL;
    }

    /**
     * The version that plugins' {@code Plugin-Requires} is checked against: the release part
     * only. A development build of 0.1.0 must satisfy {@code >=0.1.0}, which a semantic-version
     * comparison of {@code 0.1.0-SNAPSHOT} would refuse (a pre-release sorts before its release).
     */
    public static String forPluginChecks() {
        return releasePart(FULL);
    }

    static String releasePart(String version) {
        int cut = version.indexOf('-');
        return cut < 0 ? version : version.substring(0, cut);
    }

    /** The parent pom's baton.version property, which must equal the Maven version (see pom.xml). */
    static String declaredInParent() {
        return STAMPED.getProperty("declared");
    }

    private static Properties load() {
        try (InputStream in = BatonVersion.class.getResourceAsStream("baton-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("baton-version.properties is missing from the runtime jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
