package dev.baton.runtime.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Kills a process with everything it started. A child that called setsid has left our process
 * group, so both the group and the parent-child tree are swept, a few rounds in case something
 * forked while we were killing.
 */
public final class ProcessTrees {
    private static final int ROUNDS = 3;

    private ProcessTrees() {
    }

    /**
     * SIGKILLs {@code pid}, its process group if it leads one, and all its descendants with the
     * groups they lead. Returns how many processes were signalled.
     */
    public static int killTree(long pid) {
        int signalled = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<Long> targets = snapshot(pid);
            if (targets.isEmpty()) {
                break;
            }
            for (long target : targets) {
                signalled += killWithGroup(target);
            }
        }
        return signalled;
    }

    private static List<Long> snapshot(long pid) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(root -> {
            if (ProcessInfo.alive(pid)) {
                pids.add(pid);
            }
            root.descendants().filter(h -> ProcessInfo.alive(h.pid())).forEach(h -> pids.add(h.pid()));
        });
        return pids;
    }

    private static int killWithGroup(long pid) {
        int n = 0;
        if (Posix.processGroup(pid) == pid && Posix.signalGroup(pid, Posix.SIGKILL)) {
            n++;
        }
        if (Posix.signal(pid, Posix.SIGKILL)) {
            n++;
        }
        return n;
    }
}
