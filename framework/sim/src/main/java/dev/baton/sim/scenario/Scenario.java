package dev.baton.sim.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A scenario file parsed into blocks, in the style of etcd raft's datadriven testdata: a command
 * line, a {@code ----} line, then the expected output up to the next blank line. Comments
 * ({@code #}) and blank lines between blocks are kept verbatim, so {@link #render} gives the file
 * back unchanged when every command prints what it expects.
 */
public record Scenario(String name, List<Block> blocks) {
    public static final String SEPARATOR = "----";
    /** A file longer than this is not a readable scenario. */
    public static final int MAX_LINES = 20_000;

    /** One part of a scenario file. */
    public sealed interface Block {
    }

    /** A comment or blank line, kept as it is. */
    public record Verbatim(String line) implements Block {
    }

    /**
     * A command with its line number (1-based), the input lines written between it and the
     * separator (a configuration, say; usually none) and the output the file expects of it.
     */
    public record Command(int lineNumber, String text, List<String> input, List<String> expected) implements Block {
        public Command {
            input = List.copyOf(input);
            expected = List.copyOf(expected);
        }

        public Command(int lineNumber, String text, List<String> expected) {
            this(lineNumber, text, List.of(), expected);
        }
    }

    public Scenario {
        blocks = List.copyOf(blocks);
    }

    /** Parses a scenario; a command not followed by {@code ----} fails with the file and line. */
    public static Scenario parse(String name, String text) {
        List<String> lines = text.lines().toList();
        if (lines.size() > MAX_LINES) {
            throw new ScenarioFailure(name, lines.size(), "the file has " + lines.size() + " lines; the limit is " + MAX_LINES);
        }
        List<Block> blocks = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                blocks.add(new Verbatim(line));
                i++;
                continue;
            }
            i = parseCommand(name, lines, i, blocks);
        }
        return new Scenario(name, blocks);
    }

    private static int parseCommand(String name, List<String> lines, int start, List<Block> blocks) {
        int i = start + 1;
        List<String> input = new ArrayList<>();
        while (i < lines.size() && !lines.get(i).isBlank() && !lines.get(i).equals(SEPARATOR)) {
            input.add(lines.get(i));
            i++;
        }
        if (i >= lines.size() || !lines.get(i).equals(SEPARATOR)) {
            String got = i >= lines.size() ? "the end of the file" : "'" + lines.get(i) + "'";
            throw new ScenarioFailure(name, start + 1, "a command (and its input lines) must be followed by a line '" + SEPARATOR
                    + "' and its expected output (which may be empty); got " + got);
        }
        i++;
        List<String> expected = new ArrayList<>();
        while (i < lines.size() && !lines.get(i).isEmpty()) {
            expected.add(lines.get(i));
            i++;
        }
        blocks.add(new Command(start + 1, lines.get(start).strip(), input, expected));
        return i < lines.size() ? i + 1 : i;
    }

    /**
     * The file with every command's expected output replaced by {@code output}: a command, the
     * separator, its output, a blank line. Trailing blank lines collapse to one final newline.
     */
    public String render(Function<Command, List<String>> output) {
        StringBuilder text = new StringBuilder();
        for (Block block : blocks) {
            switch (block) {
                case Verbatim v -> text.append(v.line()).append('\n');
                case Command c -> {
                    text.append(c.text()).append('\n');
                    c.input().forEach(line -> text.append(line).append('\n'));
                    text.append(SEPARATOR).append('\n');
                    output.apply(c).forEach(line -> text.append(line).append('\n'));
                    text.append('\n');
                }
            }
        }
        return text.toString().stripTrailing() + "\n";
    }

    /**
     * Runs every command of the file through {@code execute} and returns the file regenerated. A
     * command that cannot run or a check that fails becomes a {@link ScenarioFailure} naming the
     * file and line ({@link BadCommand}: the command is wrong; {@link CheckFailed}: the system is).
     */
    public static String regenerate(String file, String text, java.util.function.Function<Command, List<String>> execute) {
        Scenario scenario = parse(file, text);
        java.util.Map<Command, List<String>> outputs = new java.util.IdentityHashMap<>();
        for (Block block : scenario.blocks()) {
            if (block instanceof Command command) {
                outputs.put(command, run(file, command, execute));
            }
        }
        return scenario.render(outputs::get);
    }

    private static List<String> run(String file, Command command, java.util.function.Function<Command, List<String>> execute) {
        try {
            return execute.apply(command);
        } catch (BadCommand e) {
            throw new ScenarioFailure(file, command.lineNumber(), e.getMessage() + " (in '" + command.text() + "')");
        } catch (CheckFailed e) {
            throw new ScenarioFailure(file, command.lineNumber(), command.text() + ": " + e.getMessage());
        } catch (dev.baton.sim.InvariantViolation e) {
            throw new ScenarioFailure(file, command.lineNumber(), "simulator " + e.getMessage(), e);
        } catch (ScenarioFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ScenarioFailure(file, command.lineNumber(), "'" + command.text() + "' threw " + e, e);
        }
    }
}
