package dev.baton.api.type;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PropertyTypeTest {
    private static final List<String> COLORS = List.of("Red", "Green");

    @Test
    void descriptorNamesRoundTrip() {
        for (PropertyType t : PropertyType.values()) {
            assertThat(PropertyType.fromDescriptorName(t.descriptorName())).isEqualTo(t);
        }
        assertThat(PropertyType.STRING_LIST.descriptorName()).isEqualTo("string_list");
    }

    @Test
    void unknownDescriptorNameListsTheKnownOnes() {
        assertThatThrownBy(() -> PropertyType.fromDescriptorName("integer"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'integer'")
                .hasMessageContaining("string, int, boolean, enum, string_list, duration");
    }

    @Test
    void onlyIntAndDurationAreOrdered() {
        assertThat(PropertyType.INT.isOrdered()).isTrue();
        assertThat(PropertyType.DURATION.isOrdered()).isTrue();
        assertThat(PropertyType.STRING.isOrdered()).isFalse();
        assertThat(PropertyType.ENUM.isOrdered()).isFalse();
        assertThatThrownBy(() -> PropertyType.STRING.compare("a", "b")).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @CsvSource({"500ms,500ms", "30s,30s", "5m,5m", "1h,1h", "60s,1m", "3600s,1h", "1500ms,1500ms", "0ms,0ms",
            "' 45 s ',45s", "90m,90m"})
    void durationsParseAndFormatBackInTheLargestExactUnit(String text, String formatted) {
        Duration d = (Duration) PropertyType.DURATION.parse(text, List.of());
        assertThat(PropertyType.DURATION.format(d)).isEqualTo(formatted);
        assertThat(PropertyType.DURATION.parse(formatted, List.of())).isEqualTo(d);
    }

    @Test
    void durationValuesAreExact() {
        assertThat(PropertyType.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(PropertyType.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(PropertyType.parseDuration("3h")).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void aDurationWithoutUnitIsRefusedWithAnExample() {
        assertThatThrownBy(() -> PropertyType.DURATION.parse("30", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'30'")
                .hasMessageContaining("unit")
                .hasMessageContaining("30s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5s", "-3s", "10 sec", "s", "", "1d", "10S"})
    void malformedDurationsAreRefused(String text) {
        assertThatThrownBy(() -> PropertyType.parseDuration(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a duration");
    }

    @Test
    void intsParseToLongAndRoundTrip() {
        Object v = PropertyType.INT.parse(" 8080 ", List.of());
        assertThat(v).isEqualTo(8080L);
        assertThat(PropertyType.INT.format(v)).isEqualTo("8080");
        assertThat(PropertyType.INT.parse("-5", List.of())).isEqualTo(-5L);
    }

    @Test
    void aNonIntegerIsRefusedQuotingTheText() {
        assertThatThrownBy(() -> PropertyType.INT.parse("80a", List.of()))
                .hasMessage("'80a' is not an integer");
        assertThatThrownBy(() -> PropertyType.INT.parse("1.0", List.of()))
                .hasMessageContaining("not an integer");
    }

    @Test
    void booleansAcceptOnlyTrueAndFalseIgnoringCase() {
        assertThat(PropertyType.BOOLEAN.parse("TRUE", List.of())).isEqualTo(true);
        assertThat(PropertyType.BOOLEAN.parse("false", List.of())).isEqualTo(false);
        assertThat(PropertyType.BOOLEAN.format(true)).isEqualTo("true");
        assertThatThrownBy(() -> PropertyType.BOOLEAN.parse("yes", List.of()))
                .hasMessageContaining("'yes' is not a boolean");
    }

    @Test
    void enumsMatchIgnoringCaseAndKeepTheDeclaredSpelling() {
        assertThat(PropertyType.ENUM.parse("green", COLORS)).isEqualTo("Green");
        assertThat(PropertyType.ENUM.parse(" RED ", COLORS)).isEqualTo("Red");
        assertThatThrownBy(() -> PropertyType.ENUM.parse("Blue", COLORS))
                .hasMessage("'Blue' is not one of [Red, Green]");
    }

    @Test
    void stringListsSplitOnCommasTrimAndDropEmptyItems() {
        Object v = PropertyType.STRING_LIST.parse(" a, b ,,c, ", List.of());
        assertThat(v).isEqualTo(List.of("a", "b", "c"));
        assertThat(PropertyType.STRING_LIST.format(v)).isEqualTo("a,b,c");
        assertThat(PropertyType.STRING_LIST.parse("", List.of())).isEqualTo(List.of());
        assertThatThrownBy(() -> ((List<?>) v).clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void stringsAreKeptVerbatim() {
        assertThat(PropertyType.STRING.parse("  spaced ", List.of())).isEqualTo("  spaced ");
        assertThat(PropertyType.STRING.format("x")).isEqualTo("x");
    }

    @Test
    void compareOrdersValues() {
        assertThat(PropertyType.INT.compare(1L, 2L)).isNegative();
        assertThat(PropertyType.DURATION.compare(Duration.ofMinutes(1), Duration.ofSeconds(60))).isZero();
        assertThat(PropertyType.DURATION.compare(Duration.ofHours(1), Duration.ofSeconds(1))).isPositive();
    }
}
