package dev.baton.sim.scenario;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a simulator log line is about, for the {@code show} filter of {@code run}. Classified by the
 * line's text as {@link dev.baton.sim.SimLog} and {@link dev.baton.sim.Simulation} write it; a line
 * no kind claims is {@link #OTHER}, shown by default so that a new kind of line is never hidden.
 */
enum LineKind {
    MEMBERSHIP(t -> t.startsWith("installs ")),
    REFUSED(t -> t.startsWith("formation refused") || (t.startsWith("table ") && t.contains(" refused: "))),
    CLEARED(Pattern.compile("^node \\d+ cleared: ").asPredicate()),
    FAILFAST(t -> t.startsWith("FAILFAST")),
    GUARD(t -> t.startsWith("guard:") || t.equals("resources killed")),
    FENCE(t -> t.startsWith("fenced node ") || t.startsWith("FAILED to fence") || t.startsWith("fence of node ")),
    DEVICE(t -> t.startsWith("device race")),
    CHANGE(t -> t.startsWith("change ")),
    RESTART(t -> t.startsWith("restart") || t.startsWith("rebooted") || t.startsWith("power off") || t.startsWith("powered back on")),
    FAULT(t -> t.equals("crash") || t.startsWith("daemon ") || t.startsWith("machine ") || t.startsWith("clock jumps")
            || t.startsWith("operator ")),
    PATH(t -> t.startsWith("path ")),
    STALL(t -> t.startsWith("stalled for ")),
    OTHER(t -> true);

    static final Set<LineKind> DEFAULTS = EnumSet.complementOf(EnumSet.of(PATH));

    private final Predicate<String> matches;

    LineKind(Predicate<String> matches) {
        this.matches = matches;
    }

    static LineKind of(String text) {
        for (LineKind kind : values()) {
            if (kind.matches.test(text)) {
                return kind;
            }
        }
        return OTHER;
    }

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static LineKind parse(String word) {
        for (LineKind kind : values()) {
            if (kind.word().equals(word)) {
                return kind;
            }
        }
        List<String> kinds = EnumSet.allOf(LineKind.class).stream().map(LineKind::word).toList();
        throw new BadCommand("unknown kind '" + word + "'; kinds: " + String.join(" ", kinds) + ", or all, default");
    }
}
