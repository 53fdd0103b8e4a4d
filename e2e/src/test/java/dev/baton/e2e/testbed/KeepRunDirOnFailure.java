package dev.baton.e2e.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
  * Keeps the run folders of testbeds made during a failing test class, and deletes them when every
  * test of the class passed. Registered for the whole module through JUnit's extension
  * autodetection (junit-platform.properties), so a scenario needs nothing to get it. A folder whose
  * testbed is still open at the end of the class is kept too; outside JUnit nothing is deleted.
  *
  * <p>The verdict waits until the class ends because a testbed closed by try-with-resources is
  * closed before JUnit knows whether the test failed.
  */
public final class KeepRunDirOnFailure implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    /** {@code -Dbaton.e2e.keep=true} keeps every run folder (logs of a benchmark run, for instance). */
    public static final String KEEP_PROPERTY = "baton.e2e.keep";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeepRunDirOnFailure.class);
    private static final String MARK = "firstRunDir";
    private static final String FAILED = "failed";

    private record RunDir(long sequence, Path dir, boolean closed) {}

    private static final List<RunDir> RUN_DIRS = new ArrayList<>();
    private static long nextSequence;

    static synchronized void register(Path dir) {
        RUN_DIRS.add(new RunDir(nextSequence++, dir, false));
    }

    static synchronized void closed(Path dir) {
        RUN_DIRS.replaceAll(r -> r.dir.equals(dir) ? new RunDir(r.sequence, r.dir, true) : r);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (KeepRunDirOnFailure.class) {
            context.getStore(NAMESPACE).put(MARK, nextSequence);
        }
    }

    /**
      * Marks the enclosing classes, not the engine (that would keep every later class's folders too);
      * the test's own store is already closed when watchers run.
      */
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        for (ExtensionContext c = context.getParent().orElse(null); c != null && c.getParent().isPresent(); c = c.getParent().orElse(null)) {
            c.getStore(NAMESPACE).put(FAILED, true);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        boolean failed = store.getOrDefault(FAILED, Boolean.class, false) || context.getExecutionException().isPresent()
                || Boolean.getBoolean(KEEP_PROPERTY);
        long mark = store.getOrDefault(MARK, Long.class, 0L);
        for (RunDir runDir : takeFrom(mark)) {
            if (failed || !runDir.closed) {
                System.out.println("[testbed] kept " + runDir.dir + (failed ? " (a test failed)" : " (testbed still open)"));
            } else {
                deleteTree(runDir.dir);
            }
        }
    }

    private static synchronized List<RunDir> takeFrom(long mark) {
        List<RunDir> taken = RUN_DIRS.stream().filter(r -> r.sequence >= mark).toList();
        RUN_DIRS.removeAll(taken);
        return taken;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete run folder " + dir, e);
        }
    }
}
