package dev.baton.runtime.guard;

import com.sun.jna.LastErrorException;
import dev.baton.runtime.process.Posix;
import dev.baton.runtime.process.ProcessRunner;
import dev.baton.runtime.process.ProcessTag;

import java.io.FileOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops everything this node runs, at once (ARCHITECTURE.md, "failfast"): SIGKILL to every
 * process carrying this node's tag (and every process descending from one), then removal of the
 * node's addresses. Never runs a stop method: a node that fails fast may be the one whose
 * storage or network is gone, and a stop method could hang on exactly that.
 *
 * <p>Then {@link #finish} exits (tests) or restarts the machine (production).
 */
public final class Failfast implements AutoCloseable {
    /** Sweeps of /proc before giving up on processes that will not go away (uninterruptible sleep). */
    private static final int MAX_ROUNDS = 20;
    /** Pause when a sweep found only processes already signalled: they are still tearing down. */
    private static final long ROUND_PAUSE_NANOS = 2_000_000;
    private static final int WARM_UP_SCANS = 20;
    private static final String SYSRQ_TRIGGER = "/proc/sysrq-trigger";

    private final ScheduledExecutorService timer;
    private final InterfaceAddresses interfaces;

    public Failfast() {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "baton-failfast-timer");
            t.setDaemon(true);
            return t;
        });
        this.interfaces = new InterfaceAddresses(new ProcessRunner(timer));
    }

    /**
     * Kills every process whose environment holds {@code BATON_TAG=<tag>} exactly, and every
     * descendant of one, sweeping /proc again until none is left (at most {@value #MAX_ROUNDS}
     * rounds; a process forked during a sweep is caught by the next), then removes each address
     * from whatever interface holds it.
     *
     * @param addresses IPv4/IPv6 literals with optional {@code /prefix}; a bad one is reported, not fatal
     * @param selfPid   the caller's pid, never killed
     * @param sparePids other pids never killed
     */
    public FailfastReport killEverything(String tag, Set<String> addresses, long selfPid, Set<Long> sparePids) {
        long startNanos = System.nanoTime();
        Set<Long> excluded = new HashSet<>(sparePids);
        excluded.add(selfPid);
        Sweep sweep = sweep(new ProcScan(ProcessTag.entry(tag)), excluded);
        long killNanos = System.nanoTime() - startNanos;
        List<String> problems = new ArrayList<>();
        List<GuardAddress> parsed = parseAll(addresses, problems);
        InterfaceAddresses.Removal removal = interfaces.removeAll(parsed);
        problems.addAll(removal.problems());
        return new FailfastReport(List.copyOf(sweep.killed), List.copyOf(sweep.survivors), sweep.rounds,
                removal.removed(), problems, killNanos, System.nanoTime() - startNanos);
    }

    /**
     * Runs the sweep's scan a few times and the address listing once, killing nothing, so the code
     * is compiled and the {@code ip} binary loaded before a failfast needs them (the guard's JVM
     * runs C1 only, and a cold scan interpreted costs tens of milliseconds). Returns what it saw.
     */
    public String warmUp(String tag) {
        Posix.signal(ProcessHandle.current().pid(), 0); // signal 0 only checks: loads the native binding
        ProcScan scan = new ProcScan(ProcessTag.entry(tag));
        Set<Long> self = Set.of(ProcessHandle.current().pid());
        int tagged = 0;
        long scanNanos = 0;
        for (int i = 0; i < WARM_UP_SCANS; i++) {
            long start = System.nanoTime();
            tagged = scan.targets(self).size();
            scanNanos = System.nanoTime() - start;
        }
        String seen = tagged + " tagged process(es) now, a scan takes " + scanNanos / 1_000 + " us";
        try {
            return seen + "; " + interfaces.list().size() + " interface address(es)";
        } catch (IOException e) {
            return seen + "; cannot list addresses: " + e.getMessage();
        }
    }

    private record Sweep(Set<Long> killed, Set<Long> survivors, int rounds) {
    }

    private static Sweep sweep(ProcScan scan, Set<Long> excluded) {
        Set<Long> killed = new LinkedHashSet<>();
        Set<Long> present = Set.of();
        int rounds = 0;
        while (rounds < MAX_ROUNDS) {
            rounds++;
            present = scan.targets(excluded);
            if (present.isEmpty()) {
                break;
            }
            boolean fresh = false;
            for (long pid : present) {
                if (Posix.signal(pid, Posix.SIGKILL)) {
                    fresh |= killed.add(pid);
                }
            }
            if (!fresh) {
                LockSupport.parkNanos(ROUND_PAUSE_NANOS);
            }
        }
        return new Sweep(killed, present, rounds);
    }

    private static List<GuardAddress> parseAll(Set<String> addresses, List<String> problems) {
        List<GuardAddress> parsed = new ArrayList<>();
        for (String a : addresses) {
            try {
                parsed.add(GuardAddress.parse(a));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        return parsed;
    }

    /**
     * Ends this process (EXIT: exit code {@link FailfastAction#EXIT_CODE}) or the whole machine
     * (REBOOT). REBOOT throws unless {@code rebootAllowed}: the explicit production flag. If every
     * way to restart fails (no sysrq, no CAP_SYS_BOOT), the process exits with
     * {@code EXIT_CODE + 1} after saying why on stderr. Never returns otherwise.
     */
    /** The live processes {@link #killEverything} would kill for {@code tag} now: tagged ones and their descendants. */
    public static Set<Long> processesOf(String tag) {
        return new ProcScan(ProcessTag.entry(tag)).targets(Set.of());
    }

    public static void finish(FailfastAction action, boolean rebootAllowed) {
        if (action == FailfastAction.REBOOT) {
            if (!rebootAllowed) {
                throw new IllegalStateException("failfast REBOOT refused: the production flag (--allow-reboot)"
                        + " is not set");
            }
            System.err.println("baton-guard: restart failed: " + restartMachine());
            Runtime.getRuntime().halt(FailfastAction.EXIT_CODE + 1);
        }
        Runtime.getRuntime().halt(FailfastAction.EXIT_CODE);
    }

    /**
     * Restarts the machine like a power cut: sysrq 'b' (emergency restart, no sync, no unmount), and
     * reboot(2) if sysrq is not built in. Returns only if both failed, with the reasons.
     */
    private static String restartMachine() {
        String problems;
        try (FileOutputStream trigger = new FileOutputStream(SYSRQ_TRIGGER)) {
            trigger.write('b');
            trigger.flush();
            problems = SYSRQ_TRIGGER + " accepted 'b' but the machine still runs";
        } catch (IOException e) {
            problems = SYSRQ_TRIGGER + ": " + e.getMessage();
        }
        try {
            GuardNative.reboot(GuardNative.RB_AUTOBOOT);
            return problems + "; reboot(2) returned";
        } catch (LastErrorException e) {
            return problems + "; reboot(2): " + GuardNative.describe(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
