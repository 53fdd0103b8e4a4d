package dev.baton.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

/**
 * Golden scenario files: each file is run and its regenerated text compared with the file.
 * {@code -Dbaton.updateGolden=true} rewrites the files that differ instead (read the diff before
 * committing); a failed check fails in update mode too.
 */
final class GoldenFiles {
    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final boolean UPDATE = Boolean.getBoolean("baton.updateGolden");

    private GoldenFiles() {
    }

    /** One dynamic test per {@code .txt} file under {@code dir}; {@code regenerate} takes (name, text). */
    static Stream<DynamicTest> tests(Path dir, BinaryOperator<String> regenerate) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(MODULE.resolve(dir))) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(files).as("scenario files in " + MODULE.resolve(dir)).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(),
                () -> check(dir, f, regenerate)));
    }

    private static void check(Path dir, Path file, BinaryOperator<String> regenerate) throws IOException {
        String name = dir.resolve(file.getFileName()).toString();
        String expected = Files.readString(file);
        String actual;
        try {
            actual = regenerate.apply(name, expected);
        } catch (ScenarioFailure e) {
            throw new AssertionFailedError(e.getMessage(), e);
        }
        if (actual.equals(expected)) {
            return;
        }
        if (UPDATE) {
            Files.writeString(file, actual);
            System.out.println("updated " + name);
            return;
        }
        throw new AssertionFailedError(firstDifference(name, expected, actual)
                + "\nIf the new output is right, rewrite with -Dbaton.updateGolden=true and read the diff.", expected, actual);
    }

    private static String firstDifference(String name, String expected, String actual) {
        List<String> e = expected.lines().toList();
        List<String> a = actual.lines().toList();
        int i = 0;
        while (i < e.size() && i < a.size() && e.get(i).equals(a.get(i))) {
            i++;
        }
        return name + ":" + (i + 1) + ": output differs from the file\n  file: " + (i < e.size() ? e.get(i) : "(end of file)")
                + "\n  now:  " + (i < a.size() ? a.get(i) : "(end of output)");
    }
}
