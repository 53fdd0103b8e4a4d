package dev.baton.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatonVersionTest {
    @Test
    void theParentPomsBatonVersionPropertyFollowsTheProjectVersion() {
        assertThat(BatonVersion.declaredInParent())
                .as("pom.xml: <baton.version> must equal <version>; plugin projects resolve Baton through it")
                .isEqualTo(BatonVersion.full());
    }

    @Test
    void pluginRequirementsAreCheckedAgainstTheReleasePart() {
        assertThat(BatonVersion.releasePart("0.1.0-SNAPSHOT")).isEqualTo("0.1.0");
        assertThat(BatonVersion.releasePart("1.2.3")).isEqualTo("1.2.3");
        assertThat(BatonVersion.forPluginChecks()).doesNotContain("-");
    }
}
