package dev.baton.api.type;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PropertySpecTest {

    private static PropertySpec intSpec(String dflt, String min, String max) {
        return PropertySpec.fromText("Port", PropertyType.INT, "the port", dflt, min, max, List.of(), false,
                Tunability.WHEN_DISABLED, false);
    }

    private static InvalidDescriptorException invalid(Runnable r) {
        return catchThrowableOfType(InvalidDescriptorException.class, r::run);
    }

    @Test
    void fromTextParsesDefaultAndBounds() {
        PropertySpec p = intSpec("80", "1", "65535");
        assertThat(p.defaultValue()).isEqualTo(80L);
        assertThat(p.min()).isEqualTo(1L);
        assertThat(p.max()).isEqualTo(65535L);
        assertThat(p.allowedValues()).isEmpty();
    }

    @Test
    void durationDefaultsAndBoundsAreParsedWithUnits() {
        PropertySpec p = PropertySpec.fromText("Wait", PropertyType.DURATION, null, "30s", "1s", "5m", null, false,
                Tunability.ANYTIME, false);
        assertThat(p.defaultValue()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.description()).isEmpty();
    }

    @Test
    void defaultBelowMinNamesTheDefault() {
        InvalidDescriptorException e = invalid(() -> intSpec("0", "1", "10"));
        assertThat(e.path()).isEqualTo("default");
        assertThat(e).hasMessage("default: default 0 is below min 1");
    }

    @Test
    void defaultAboveMaxNamesTheDefault() {
        InvalidDescriptorException e = invalid(() -> intSpec("11", "1", "10"));
        assertThat(e.path()).isEqualTo("default");
        assertThat(e).hasMessageContaining("default 11 is above max 10");
    }

    @Test
    void minAboveMaxNamesMin() {
        InvalidDescriptorException e = invalid(() -> intSpec(null, "10", "1"));
        assertThat(e.path()).isEqualTo("min");
        assertThat(e).hasMessageContaining("min 10 is above max 1");
    }

    @Test
    void unparsableFieldsNameTheirField() {
        assertThat(invalid(() -> intSpec("eighty", null, null)).path()).isEqualTo("default");
        assertThat(invalid(() -> intSpec(null, "x", null)).path()).isEqualTo("min");
        assertThat(invalid(() -> intSpec(null, null, "y")).path()).isEqualTo("max");
    }

    @Test
    void minAndMaxAreRefusedOnUnorderedTypes() {
        InvalidDescriptorException e = invalid(() -> PropertySpec.fromText("Name", PropertyType.STRING, "", null,
                null, "5", List.of(), false, Tunability.ANYTIME, false));
        assertThat(e.path()).isEqualTo("max");
        assertThat(e).hasMessageContaining("not string");
    }

    @Test
    void enumDefaultMustBeAnAllowedValue() {
        InvalidDescriptorException e = invalid(() -> new PropertySpec("Mode", PropertyType.ENUM, "", "fast", null,
                null, List.of("slow", "safe"), false, Tunability.ANYTIME, false));
        assertThat(e.path()).isEqualTo("default");
        assertThat(e).hasMessageContaining("'fast' is not one of [slow, safe]");
    }

    @Test
    void enumDefaultWrittenInOtherCaseTakesTheDeclaredSpelling() {
        PropertySpec p = PropertySpec.fromText("Mode", PropertyType.ENUM, "", "SAFE", null, null,
                List.of("slow", "safe"), false, Tunability.ANYTIME, false);
        assertThat(p.defaultValue()).isEqualTo("safe");
    }

    @Test
    void enumNeedsValuesAndOthersMayNotHaveThem() {
        assertThat(invalid(() -> new PropertySpec("Mode", PropertyType.ENUM, "", null, null, null, List.of(), false,
                Tunability.ANYTIME, false)).path()).isEqualTo("values");
        InvalidDescriptorException e = invalid(() -> new PropertySpec("Port", PropertyType.INT, "", null, null, null,
                List.of("a"), false, Tunability.ANYTIME, false));
        assertThat(e.path()).isEqualTo("values");
        assertThat(e).hasMessageContaining("not int");
    }

    @Test
    void enumValuesMayNotRepeatIgnoringCaseOrBeBlank() {
        assertThat(invalid(() -> new PropertySpec("Mode", PropertyType.ENUM, "", null, null, null,
                List.of("on", "ON"), false, Tunability.ANYTIME, false))).hasMessageContaining("'ON' is blank or repeated");
        assertThat(invalid(() -> new PropertySpec("Mode", PropertyType.ENUM, "", null, null, null,
                List.of("on", " "), false, Tunability.ANYTIME, false)).path()).isEqualTo("values");
    }

    @Test
    void aRequiredPropertyHasNoDefault() {
        InvalidDescriptorException e = invalid(() -> new PropertySpec("Root", PropertyType.STRING, "", "/srv", null,
                null, List.of(), true, Tunability.AT_CREATION, false));
        assertThat(e.path()).isEqualTo("default");
        assertThat(e).hasMessageContaining("required");
    }

    @Test
    void badNamesAreRefusedForTheWholeSpec() {
        for (String bad : List.of("1port", "my-port", "", "p".repeat(65))) {
            InvalidDescriptorException e = invalid(() -> new PropertySpec(bad, PropertyType.STRING, "", null, null,
                    null, List.of(), false, Tunability.ANYTIME, false));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.path()).isEmpty();
            assertThat(e).hasMessageContaining("must start with a letter");
        }
        assertThat(new PropertySpec("p".repeat(64), PropertyType.STRING, "", null, null, null, List.of(), false,
                Tunability.ANYTIME, false).name()).hasSize(64);
    }

    @Test
    void checkValueQuotesTheValueAndTheBound() {
        PropertySpec p = intSpec(null, "1", "10");
        assertThat(p.checkValue(5L)).isNull();
        assertThat(p.checkValue(0L)).isEqualTo("0 is below min 1");
        assertThat(p.checkValue(11L)).isEqualTo("11 is above max 10");
        PropertySpec d = PropertySpec.fromText("Wait", PropertyType.DURATION, "", null, "1s", "1m", List.of(), false,
                Tunability.ANYTIME, false);
        assertThat(d.checkValue(Duration.ofMillis(500))).isEqualTo("500ms is below min 1s");
    }

    @Test
    void withOverridesKeepsWhatIsNotOverridden() {
        PropertySpec p = intSpec("5", "1", "10");
        PropertySpec o = p.withOverrides(7L, null, 20L, Tunability.ANYTIME);
        assertThat(o.defaultValue()).isEqualTo(7L);
        assertThat(o.min()).isEqualTo(1L);
        assertThat(o.max()).isEqualTo(20L);
        assertThat(o.tunability()).isEqualTo(Tunability.ANYTIME);
        assertThat(p.tunability()).isEqualTo(Tunability.WHEN_DISABLED);
    }

    @Test
    void withOverridesStillChecksTheRules() {
        PropertySpec p = intSpec("5", "1", "10");
        assertThat(invalid(() -> p.withOverrides(null, 6L, null, null)).path()).isEqualTo("default");
    }

    @Test
    void exceptionMessageOmitsAnEmptyPath() {
        assertThat(new InvalidDescriptorException("", "whole thing").getMessage()).isEqualTo("whole thing");
        assertThat(new InvalidDescriptorException("a.b", "part").getMessage()).isEqualTo("a.b: part");
    }

    @Test
    void missingNameOrTypeIsAProgrammingError() {
        assertThatThrownBy(() -> new PropertySpec(null, PropertyType.STRING, "", null, null, null, null, false,
                Tunability.ANYTIME, false)).isInstanceOf(NullPointerException.class);
    }
}
