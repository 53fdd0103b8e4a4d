package dev.baton.sim.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of one command line, read left to right. Every reader names what it expected, so a
 * bad argument fails with a message that says what was wrong ({@link BadCommand}).
 */
final class Words {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s)");
    private static final long MAX_DURATION_NANOS = 3_600_000_000_000L;

    private final List<String> words;
    private int next;

    Words(String line) {
        this.words = Arrays.stream(line.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    boolean hasMore() {
        return next < words.size();
    }

    String peek() {
        return hasMore() ? words.get(next) : null;
    }

    String word(String what) {
        if (!hasMore()) {
            throw new BadCommand("missing " + what);
        }
        return words.get(next++);
    }

    /** Everything left on the line, as written (single spaces between words). */
    String rest(String what) {
        if (!hasMore()) {
            throw new BadCommand("missing " + what);
        }
        String rest = String.join(" ", words.subList(next, words.size()));
        next = words.size();
        return rest;
    }

    void end() {
        if (hasMore()) {
            throw new BadCommand("unexpected '" + String.join(" ", words.subList(next, words.size())) + "'");
        }
    }

    int nodeId(String what) {
        return integer(word(what), what);
    }

    long durationMs(String what) {
        return toMs(parseDurationNanos(word(what), what), what);
    }

    boolean yesNo(String what) {
        String word = word(what + " (yes or no)");
        return switch (word) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new BadCommand(what + " must be yes or no, got '" + word + "'");
        };
    }

    // ---- leaf parsers, shared with the cluster options -----------------------------------------

    static int integer(String text, String what) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadCommand(what + " must be a whole number, got '" + text + "'");
        }
    }

    static long longInteger(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadCommand(what + " must be a whole number, got '" + text + "'");
        }
    }

    static double rate(String text, String what) {
        boolean percent = text.endsWith("%");
        try {
            double value = Double.parseDouble(percent ? text.substring(0, text.length() - 1) : text) / (percent ? 100.0 : 1.0);
            if (value < 0 || value > 1) {
                throw new BadCommand(what + " must lie between 0 and 1 (or 0% and 100%), got '" + text + "'");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new BadCommand(what + " must be a fraction like 0.2 or 20%, got '" + text + "'");
        }
    }

    /** {@code 1,2,3} or {@code 1-3}, or a mix: {@code 1-3,5}. */
    static SortedSet<Integer> nodeList(String text, String what) {
        SortedSet<Integer> ids = new TreeSet<>();
        for (String part : text.split(",")) {
            int dash = part.indexOf('-');
            if (dash > 0) {
                int from = integer(part.substring(0, dash), what);
                int to = integer(part.substring(dash + 1), what);
                if (to < from || to - from > 64) {
                    throw new BadCommand(what + ": '" + part + "' is not a range of node ids");
                }
                for (int id = from; id <= to; id++) {
                    ids.add(id);
                }
            } else {
                ids.add(integer(part, what));
            }
        }
        return ids;
    }

    /** {@code 250us}, {@code 500ms}, {@code 3s}, {@code 1.5s}. */
    static long parseDurationNanos(String text, String what) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new BadCommand(what + " must be a duration like 500ms, 3s or 250us, got '" + text + "'");
        }
        double unitNanos = switch (m.group(2)) {
            case "us" -> 1_000.0;
            case "ms" -> 1_000_000.0;
            default -> 1_000_000_000.0;
        };
        double nanos = Double.parseDouble(m.group(1)) * unitNanos;
        if (nanos > MAX_DURATION_NANOS) {
            throw new BadCommand(what + " " + text + " is longer than the limit of one hour");
        }
        return Math.round(nanos);
    }

    static long toMs(long nanos, String what) {
        if (nanos % 1_000_000L != 0) {
            throw new BadCommand(what + " must be a whole number of milliseconds");
        }
        return nanos / 1_000_000L;
    }

    /** Splits {@code key=value} options; a bare word is a flag with an empty value. */
    static List<String[]> options(Words words) {
        List<String[]> options = new ArrayList<>();
        while (words.hasMore()) {
            String word = words.word("option");
            int eq = word.indexOf('=');
            options.add(eq < 0 ? new String[] {word, ""} : new String[] {word.substring(0, eq), word.substring(eq + 1)});
        }
        return options;
    }
}
