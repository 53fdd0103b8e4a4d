package dev.baton.sim.scenario;

import dev.baton.sim.SimLog;
import dev.baton.sim.Simulation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one scenario file against a fresh {@link Simulation} and returns the file as it should read:
 * every command followed by the output it produced now. The caller compares that text with the
 * file, or writes it back in update mode. A command that cannot run, an {@code assert} that fails
 * and a broken simulator invariant all throw {@link ScenarioFailure} naming the file and line,
 * in update mode too: golden output never papers over a failed check.
 *
 * <p>The format and every command: src/test/resources/scenarios/README.md in this module.
 */
public final class ScenarioRunner {
    /** A run prints at most this many lines; narrow {@code show} or shorten the run to see the rest. */
    public static final int MAX_RUN_LINES = 400;
    /** The longest single {@code run} or {@code converge}, in simulated time. */
    public static final long MAX_RUN_MS = 600_000;

    private final String file;
    private Simulation sim;
    private Faults faults;
    private Checks checks;
    private final Set<LineKind> shown = EnumSet.copyOf(LineKind.DEFAULTS);
    private long lastRunMark;

    private ScenarioRunner(String file) {
        this.file = file;
    }

    /** Runs {@code text} (the contents of {@code file}) and returns the regenerated file. */
    public static String regenerate(String file, String text) {
        ScenarioRunner runner = new ScenarioRunner(file);
        return Scenario.regenerate(file, text, command -> runner.execute(command));
    }

    private List<String> execute(Scenario.Command command) {
        return sanitize(dispatch(new Words(command.text())));
    }

    private List<String> dispatch(Words w) {
        String name = w.word("command");
        if (sim == null && !name.equals("cluster")) {
            throw new BadCommand("the first command must be 'cluster nodes=N ...'");
        }
        return switch (name) {
            case "cluster" -> cluster(w);
            case "run" -> run(w);
            case "converge" -> converge(w);
            case "show" -> show(w);
            case "status" -> {
                w.end();
                yield StatusText.of(sim, faults.deviceAvailable());
            }
            case "assert" -> {
                checks.check(w);
                yield List.of("ok");
            }
            default -> fault(name, w);
        };
    }

    private List<String> cluster(Words w) {
        if (sim != null) {
            throw new BadCommand("a scenario has one cluster command, at its start");
        }
        ClusterSetup.Built built = ClusterSetup.parse(w, clusterName(file));
        sim = new Simulation(built.config(), built.seed(), built.options());
        faults = new Faults(sim);
        checks = new Checks(sim, () -> sim.log().since(lastRunMark), faults::deviceAvailable);
        long mark = sim.log().count();
        sim.start();
        List<String> lines = new ArrayList<>(ClusterSetup.describe(built));
        sim.log().since(mark).forEach(l -> lines.add(l.toString()));
        return lines;
    }

    /** The file's base name: it lands in the bootstrap table, so it must not depend on where the file lies. */
    private static String clusterName(String file) {
        String base = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
        return base.endsWith(".txt") ? base.substring(0, base.length() - 4) : base;
    }

    private List<String> run(Words w) {
        long ms = runLength(w);
        lastRunMark = sim.log().count();
        sim.runForMs(ms);
        return shownSince(lastRunMark);
    }

    /** Runs until every node is in one quorate membership of all nodes (invariant (d)), or fails after the bound. */
    private List<String> converge(Words w) {
        long boundMs = runLength(w);
        lastRunMark = sim.log().count();
        long tookMs = sim.invariants().checkConverged(sim, boundMs);
        List<String> lines = new ArrayList<>(shownSince(lastRunMark));
        lines.add("converged after " + tookMs + " ms");
        return lines;
    }

    private static long runLength(Words w) {
        long ms = w.durationMs("duration, like 500ms or 3s");
        w.end();
        if (ms <= 0 || ms > MAX_RUN_MS) {
            throw new BadCommand("a run lasts 1 ms to " + MAX_RUN_MS / 1000 + " s, got " + ms + " ms");
        }
        return ms;
    }

    private List<String> shownSince(long mark) {
        List<String> lines = new ArrayList<>();
        Map<LineKind, Integer> hidden = new EnumMap<>(LineKind.class);
        int cutOff = 0;
        for (SimLog.Line line : sim.log().since(mark)) {
            LineKind kind = LineKind.of(line.text());
            if (!shown.contains(kind)) {
                hidden.merge(kind, 1, Integer::sum);
            } else if (lines.size() < MAX_RUN_LINES) {
                lines.add(line.toString());
            } else {
                cutOff++;
            }
        }
        return withNotes(lines, hidden, cutOff);
    }

    private static List<String> withNotes(List<String> lines, Map<LineKind, Integer> hidden, int cutOff) {
        if (cutOff > 0) {
            lines.add("(" + cutOff + " more lines not printed: the limit is " + MAX_RUN_LINES + "; narrow show or shorten the run)");
        }
        if (lines.isEmpty()) {
            List<String> kinds = hidden.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().word()).toList();
            lines.add(kinds.isEmpty() ? "(nothing happened)" : "(nothing shown; hidden: " + String.join(", ", kinds) + ")");
        }
        return lines;
    }

    /** {@code show KINDS}, {@code show +KIND -KIND}, {@code show all}, {@code show default}. */
    private List<String> show(Words w) {
        if (!w.hasMore()) {
            throw new BadCommand("show needs kinds, +kind, -kind, all or default");
        }
        if (w.peek().startsWith("+") || w.peek().startsWith("-")) {
            adjustShown(w);
        } else {
            replaceShown(w);
        }
        return List.of("showing " + String.join(" ", shown.stream().map(LineKind::word).toList()));
    }

    private void adjustShown(Words w) {
        while (w.hasMore()) {
            String word = w.word("kind");
            if (!word.startsWith("+") && !word.startsWith("-")) {
                throw new BadCommand("mix of +kind/-kind and plain kinds; write either 'show a b c' or 'show +a -b'");
            }
            LineKind kind = LineKind.parse(word.substring(1));
            if (word.startsWith("+")) {
                shown.add(kind);
            } else {
                shown.remove(kind);
            }
        }
    }

    private void replaceShown(Words w) {
        Set<LineKind> kinds = EnumSet.noneOf(LineKind.class);
        while (w.hasMore()) {
            String word = w.word("kind");
            switch (word) {
                case "all" -> kinds.addAll(EnumSet.allOf(LineKind.class));
                case "default" -> kinds.addAll(LineKind.DEFAULTS);
                default -> kinds.add(LineKind.parse(word));
            }
        }
        shown.clear();
        shown.addAll(kinds);
    }

    private List<String> fault(String name, Words w) {
        if (!Faults.NAMES.contains(name)) {
            throw new BadCommand("unknown command '" + name + "'; commands: cluster run converge show status assert "
                    + String.join(" ", Faults.NAMES.stream().sorted().toList()));
        }
        long mark = sim.log().count();
        faults.apply(name, w);
        List<String> lines = new ArrayList<>();
        sim.log().since(mark).forEach(l -> lines.add(l.toString()));
        return lines.isEmpty() ? List.of("ok") : lines;
    }

    /** Output lines never contain line breaks and never are empty, or the file would not parse back. */
    private static List<String> sanitize(List<String> lines) {
        return lines.stream().map(l -> l.replace("\r", "").replace("\n", " / ").stripTrailing())
                .map(l -> l.isEmpty() ? "(empty)" : l).toList();
    }
}
