package dev.baton.e2e;

import dev.baton.runtime.guard.Failfast;
import java.util.Set;

/**
 * The processes a node's methods started, found as its guard finds them ({@link Failfast#processesOf}:
 * every process carrying the node's BATON_TAG, and their descendants), and killing them as a crash would.
 */
final class Processes {
    private Processes() {
    }

    static Set<Long> tagged(String tag) {
        return Failfast.processesOf(tag);
    }

    static void killTagged(String tag) {
        for (int round = 0; round < 10; round++) {
            Set<Long> pids = tagged(tag);
            if (pids.isEmpty()) {
                return;
            }
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
