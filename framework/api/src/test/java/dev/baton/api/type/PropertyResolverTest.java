package dev.baton.api.type;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PropertyResolverTest {
    private static final ResourceTypeDescriptor WEB = ResourceTypeDescriptorTest.minimal("web")
            .property(new PropertySpec("Server_root", PropertyType.STRING, "", null, null, null, List.of(), true,
                    Tunability.AT_CREATION, false))
            .property(PropertySpec.fromText("Port", PropertyType.INT, "", "80", "1", "65535", List.of(), false,
                    Tunability.WHEN_DISABLED, false))
            .property(PropertySpec.fromText("Mode", PropertyType.ENUM, "", "safe", null, null, List.of("fast", "safe"),
                    false, Tunability.ANYTIME, false))
            .property(PropertySpec.fromText("Hosts", PropertyType.STRING_LIST, "", null, null, null, List.of(), false,
                    Tunability.ANYTIME, false))
            .property(PropertySpec.fromText("Grace", PropertyType.DURATION, "", "10s", "1s", "1m", List.of(), false,
                    Tunability.ANYTIME, false))
            .fileAccess(new FileAccessRule("${Server_root}", FileAccess.READ_WRITE))
            .build();

    private static PropertyResolver.Resolution resolve(Map<String, String> given) {
        return PropertyResolver.resolve(WEB, given);
    }

    private static ResolvedProperties created() {
        PropertyResolver.Resolution r = resolve(Map.of("Server_root", "/srv/web"));
        assertThat(r.problems()).isEmpty();
        return r.values();
    }

    @Test
    void defaultsFillWhatIsNotGiven() {
        ResolvedProperties v = created();
        assertThat(v.getString("Server_root")).isEqualTo("/srv/web");
        assertThat(v.getInt("Port")).isEqualTo(80L);
        assertThat(v.getString("Mode")).isEqualTo("safe");
        assertThat(v.getDuration("Grace")).isEqualTo(Duration.ofSeconds(10));
        assertThat(v.getDuration("Start_timeout")).isEqualTo(Duration.ofSeconds(60));
        assertThat(v.getInt("Retry_count")).isEqualTo(2L);
        assertThat(v.isSet("Hosts")).isFalse();
    }

    @Test
    void givenValuesAreParsedWithTheirTypes() {
        ResolvedProperties v = resolve(Map.of("Server_root", "/srv", "Port", "8080", "Mode", "FAST",
                "Hosts", "a,b", "Grace", "30s", "Probe_timeout", "3s")).values();
        assertThat(v.getInt("Port")).isEqualTo(8080L);
        assertThat(v.getString("Mode")).isEqualTo("fast");
        assertThat(v.getStringList("Hosts")).containsExactly("a", "b");
        assertThat(v.getDuration("Grace")).isEqualTo(Duration.ofSeconds(30));
        assertThat(v.getDuration("Probe_timeout")).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void namesMatchIgnoringCaseAndAreStoredAsDeclared() {
        PropertyResolver.Resolution r = resolve(Map.of("server_root", "/srv", "PORT", "81"));
        assertThat(r.ok()).isTrue();
        assertThat(r.values().asMap()).containsKeys("Server_root", "Port").doesNotContainKeys("server_root", "PORT");
        assertThat(r.values().getInt("Port")).isEqualTo(81L);
    }

    @Test
    void theSameNameGivenTwiceInDifferentCaseIsAProblem() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("Server_root", "/srv");
        given.put("port", "81");
        given.put("Port", "82");
        assertThat(resolve(given).problems()).singleElement().satisfies(p -> {
            assertThat(p.property()).isEqualTo("Port");
            assertThat(p.message()).contains("given twice");
        });
    }

    @Test
    void anUnknownPropertySuggestsTheClosestName() {
        PropertyResolver.Resolution r = resolve(Map.of("Server_root", "/srv", "Prot", "80"));
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.property()).isEqualTo("Prot");
            assertThat(p.message()).isEqualTo("unknown property of type web (did you mean Port?)");
        });
    }

    @Test
    void aFarOffUnknownNameGetsNoSuggestion() {
        PropertyResolver.Resolution r = resolve(Map.of("Server_root", "/srv", "Colour_scheme", "dark"));
        assertThat(r.problems()).singleElement().satisfies(p ->
                assertThat(p.message()).isEqualTo("unknown property of type web"));
    }

    @Test
    void aMissingRequiredPropertyIsNamed() {
        PropertyResolver.Resolution r = resolve(Map.of());
        assertThat(r.problems()).containsExactly(new PropertyProblem("Server_root", "required, and no value was given"));
    }

    @Test
    void anEmptyValueForARequiredPropertyCountsAsMissing() {
        assertThat(resolve(Map.of("Server_root", "")).problems())
                .extracting(PropertyProblem::property).containsExactly("Server_root");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        PropertyResolver.Resolution r = resolve(Map.of("Port", "99999", "Mode", "turbo", "Grace", "30", "Bogus", "1"));
        assertThat(r.problems()).extracting(PropertyProblem::property)
                .containsExactlyInAnyOrder("Bogus", "Server_root", "Port", "Mode", "Grace");
        assertThat(r.problems()).extracting(PropertyProblem::toString).contains(
                "Port: 99999 is above max 65535",
                "Mode: 'turbo' is not one of [fast, safe]");
        assertThat(r.problems()).filteredOn(p -> p.property().equals("Grace"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("30s"));
    }

    @Test
    void aStandardTimeoutBelowItsMinimumIsRefused() {
        PropertyResolver.Resolution r = resolve(Map.of("Server_root", "/srv", "Start_timeout", "50ms"));
        assertThat(r.problems()).containsExactly(new PropertyProblem("Start_timeout", "50ms is below min 100ms"));
    }

    @Test
    void aRelativePathInAFilesPropertyIsRefused() {
        PropertyResolver.Resolution r = resolve(Map.of("Server_root", "srv/web"));
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.property()).isEqualTo("Server_root");
            assertThat(p.message()).contains("'srv/web' is not an absolute path");
        });
    }

    @Test
    void updateOfAnAnytimePropertyIsAllowedWhileEnabled() {
        PropertyResolver.Resolution r = PropertyResolver.resolveUpdate(WEB, created(), Map.of("mode", "fast"), true);
        assertThat(r.problems()).isEmpty();
        assertThat(r.values().getString("Mode")).isEqualTo("fast");
        assertThat(r.values().getString("Server_root")).isEqualTo("/srv/web");
    }

    @Test
    void updateOfAWhenDisabledPropertyNeedsTheResourceDisabled() {
        PropertyResolver.Resolution enabled = PropertyResolver.resolveUpdate(WEB, created(), Map.of("Port", "81"), true);
        assertThat(enabled.problems()).singleElement().satisfies(p -> {
            assertThat(p.property()).isEqualTo("Port");
            assertThat(p.message()).contains("disable it first").contains("when_disabled");
        });
        PropertyResolver.Resolution disabled = PropertyResolver.resolveUpdate(WEB, created(), Map.of("Port", "81"), false);
        assertThat(disabled.problems()).isEmpty();
        assertThat(disabled.values().getInt("Port")).isEqualTo(81L);
    }

    @Test
    void anAtCreationPropertyNeverChanges() {
        for (boolean enabled : new boolean[] {true, false}) {
            PropertyResolver.Resolution r = PropertyResolver.resolveUpdate(WEB, created(),
                    Map.of("Server_root", "/srv/other"), enabled);
            assertThat(r.problems()).singleElement().satisfies(p -> {
                assertThat(p.property()).isEqualTo("Server_root");
                assertThat(p.message()).contains("at_creation");
            });
        }
    }

    @Test
    void anEmptyValueInAnUpdateRevertsToTheDefault() {
        ResolvedProperties changed = PropertyResolver.resolveUpdate(WEB, created(), Map.of("Grace", "45s"), true).values();
        assertThat(changed.getDuration("Grace")).isEqualTo(Duration.ofSeconds(45));
        PropertyResolver.Resolution reverted = PropertyResolver.resolveUpdate(WEB, changed, Map.of("Grace", ""), true);
        assertThat(reverted.problems()).isEmpty();
        assertThat(reverted.values().getDuration("Grace")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anEmptyValueInAnUpdateUnsetsAPropertyWithoutDefault() {
        ResolvedProperties withHosts = PropertyResolver.resolveUpdate(WEB, created(), Map.of("Hosts", "a"), true).values();
        assertThat(withHosts.isSet("Hosts")).isTrue();
        ResolvedProperties cleared = PropertyResolver.resolveUpdate(WEB, withHosts, Map.of("Hosts", ""), true).values();
        assertThat(cleared.isSet("Hosts")).isFalse();
    }

    @Test
    void anUpdateWithABadValueKeepsTheOldOneAndReportsIt() {
        PropertyResolver.Resolution r = PropertyResolver.resolveUpdate(WEB, created(), Map.of("Grace", "2h"), true);
        assertThat(r.problems()).containsExactly(new PropertyProblem("Grace", "2h is above max 1m"));
        assertThat(r.values().getDuration("Grace")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anUpdateNamingAnUnknownPropertyIsReported() {
        PropertyResolver.Resolution r = PropertyResolver.resolveUpdate(WEB, created(), Map.of("Grase", "5s"), true);
        assertThat(r.problems()).singleElement().satisfies(p ->
                assertThat(p.message()).contains("did you mean Grace?"));
    }

    @Test
    void problemsListIsImmutable() {
        PropertyResolver.Resolution r = resolve(Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.problems().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
