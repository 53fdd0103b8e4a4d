package dev.baton.e2e.testbed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs every cleanup step even when earlier ones fail, and remembers the failures. */
final class Teardown {

    /** A cleanup step that may throw anything. */
    interface Step {
        void run() throws Exception;
    }

    private final String owner;
    private final List<Exception> failures = new ArrayList<>();

    Teardown(String owner) {
        this.owner = owner;
    }

    void step(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            failures.add(new IllegalStateException(owner + ": " + what + " failed", e));
        }
    }

    void throwFirstFailure() {
        if (failures.isEmpty()) {
            return;
        }
        IllegalStateException first = new IllegalStateException(owner + ": cleanup failed", failures.getFirst());
        failures.stream().skip(1).forEach(first::addSuppressed);
        throw first;
    }

    void printFailures() {
        failures.forEach(f -> System.err.println("[teardown] " + f + (f.getCause() == null ? "" : ": " + f.getCause())));
    }

    /** SIGKILLs a process and its descendants (children first, so none escapes to init), then waits. */
    static void killTree(ProcessHandle root, Duration wait) throws Exception {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        for (ProcessHandle handle : tree) {
            handle.destroyForcibly();
        }
        awaitExit(tree, wait);
    }

    /** SIGKILLs every process inside a namespace (daemons that detached from us included). */
    static void killNamespaceProcesses(String namespace, Duration wait) throws Exception {
        List<ProcessHandle> inside = Commands.runOk("ip", "netns", "pids", namespace).stdout().lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> ProcessHandle.of(Long.parseLong(line)))
                .flatMap(Optional::stream)
                .toList();
        for (ProcessHandle handle : inside) {
            handle.destroyForcibly();
        }
        awaitExit(inside, wait);
    }

    private static void awaitExit(List<ProcessHandle> handles, Duration wait)
            throws InterruptedException, ExecutionException {
        long deadlineNanos = System.nanoTime() + wait.toNanos();
        for (ProcessHandle handle : handles) {
            try {
                handle.onExit().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("pid " + handle.pid() + " still alive " + wait.toMillis() + " ms after SIGKILL");
            }
        }
    }
}
