package dev.baton.api.type;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a resource property. Values arrive as text (from the shell, the CCR or a
 * descriptor default) and are parsed into one Java type per property type:
 *
 * <ul>
 *   <li>{@code string}: {@link String}</li>
 *   <li>{@code int}: {@link Long}</li>
 *   <li>{@code boolean}: {@link Boolean}, written {@code true} or {@code false}</li>
 *   <li>{@code enum}: {@link String}, one of the declared values (matched ignoring case,
 *       stored in the declared spelling)</li>
 *   <li>{@code string_list}: an unmodifiable {@code List<String>}, written comma-separated</li>
 *   <li>{@code duration}: {@link Duration}, written with a unit: {@code 500ms}, {@code 30s},
 *       {@code 5m}, {@code 1h}</li>
 * </ul>
 */
public enum PropertyType {
    STRING, INT, BOOLEAN, ENUM, STRING_LIST, DURATION;

    private static final Pattern DURATION_TEXT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");

    /** The name used in descriptors: {@code string_list}. */
    public String descriptorName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PropertyType fromDescriptorName(String name) {
        for (PropertyType t : values()) {
            if (t.descriptorName().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown property type '" + name
                + "' (known: string, int, boolean, enum, string_list, duration)");
    }

    /** Whether min and max apply to this type. */
    public boolean isOrdered() {
        return this == INT || this == DURATION;
    }

    /**
     * Parses a value written as text.
     *
     * @param allowedValues the enum's declared values; ignored for other types
     * @throws IllegalArgumentException with a message that quotes the text and says what was expected
     */
    public Object parse(String text, List<String> allowedValues) {
        return switch (this) {
            case STRING -> text;
            case INT -> parseInt(text);
            case BOOLEAN -> parseBoolean(text);
            case ENUM -> parseEnum(text, allowedValues);
            case STRING_LIST -> parseList(text);
            case DURATION -> parseDuration(text);
        };
    }

    /** Writes a parsed value back as text that {@link #parse} accepts. */
    public String format(Object value) {
        return switch (this) {
            case STRING_LIST -> String.join(",", castList(value));
            case DURATION -> formatDuration((Duration) value);
            default -> String.valueOf(value);
        };
    }

    /** Compares two values of an ordered type (int or duration). */
    public int compare(Object a, Object b) {
        return switch (this) {
            case INT -> Long.compare((Long) a, (Long) b);
            case DURATION -> ((Duration) a).compareTo((Duration) b);
            default -> throw new IllegalStateException(this + " has no order");
        };
    }

    private static Long parseInt(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an integer");
        }
    }

    private static Boolean parseBoolean(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.valueOf(t);
        }
        throw new IllegalArgumentException("'" + text + "' is not a boolean (true or false)");
    }

    private static String parseEnum(String text, List<String> allowedValues) {
        for (String allowed : allowedValues) {
            if (allowed.equalsIgnoreCase(text.trim())) {
                return allowed;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + allowedValues);
    }

    private static List<String> parseList(String text) {
        List<String> items = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String item = part.trim();
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return List.copyOf(items);
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m} or {@code 1h}. */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION_TEXT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a duration: write a whole number and a unit (ms, s, m, h), e.g. 30s");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** Writes a duration in the largest unit that represents it exactly. */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms != 0 && ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object value) {
        return (List<String>) value;
    }
}
