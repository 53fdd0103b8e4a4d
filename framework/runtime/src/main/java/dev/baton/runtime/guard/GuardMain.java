package dev.baton.runtime.guard;

import dev.baton.runtime.process.Posix;
import dev.baton.runtime.process.ProcessInfo;
import dev.baton.runtime.process.ProcessTag;

import java.io.IOException;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The guard: a tiny JVM beside batond that enforces failfast when batond cannot (ARCHITECTURE.md
 * rule 3, the role of sbd or Sun Cluster's pmfd). It reads batond's commands ({@link GuardCommand})
 * from stdin on one thread and watches the armed deadline on another; when batond dies (stdin
 * ends without BYE) or stalls past the deadline, it SIGKILLs batond, kills every tagged process,
 * removes the addresses ({@link Failfast}), then exits with 70 or restarts the machine.
 *
 * <pre>
 * java -Xms16m -Xmx16m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 ... -cp CLASSPATH dev.baton.runtime.guard.GuardMain
 *      --tag T --daemon-pid P --action exit|reboot [--allow-reboot] [--rt-priority 1-99|0]
 * </pre>
 * Exit codes: 0 clean (BYE, or stdin closed while disarmed), 2 refused to start, 70 failfast
 * fired (exit), 71 failfast fired but the restart failed. Its stdout carries one line, READY or
 * REFUSED; its log goes to stderr.
 */
public final class GuardMain {
    /** The longest the watcher sleeps: bounds how late a deadline is noticed if a wake-up is lost. */
    private static final long POLL_MAX_NANOS = 10_000_000;

    private final GuardOptions options;
    private final GuardState state = new GuardState();
    private final BoundedLines stdin = new BoundedLines(System.in, GuardCommand.MAX_LINE_CHARS);
    private final long selfPid = ProcessHandle.current().pid();
    private final long daemonStartTicks;
    private final Failfast failfast = new Failfast();
    private final Thread watcher = Thread.currentThread();

    private GuardMain(GuardOptions options, long daemonStartTicks) {
        this.options = options;
        this.daemonStartTicks = daemonStartTicks;
    }

    public static void main(String[] args) {
        GuardOptions options;
        try {
            options = GuardOptions.parse(args);
        } catch (IllegalArgumentException e) {
            refuse(e.getMessage() + "\n" + GuardOptions.USAGE);
            return;
        }
        if (options.tag().equals(System.getenv(ProcessTag.ENV))) {
            refuse("the guard's own environment carries " + ProcessTag.ENV + "=" + options.tag()
                    + ": it would tag the commands it runs");
        }
        OptionalLong ticks = ProcScan.startTicks(options.daemonPid());
        if (ticks.isEmpty()) {
            refuse("daemon pid " + options.daemonPid() + " does not exist");
        }
        new GuardMain(options, ticks.getAsLong()).run();
    }

    private void run() {
        log("starting: " + options.describe() + ", pid " + selfPid);
        awaitHello();
        String realtime = Realtime.tryLockMemory().describe() + "; " + fifo("watcher");
        String warm = failfast.warmUp(options.tag());
        log(realtime + "; " + warm);
        System.out.println("READY " + realtime + "; " + warm);
        System.out.flush();
        Thread reader = new Thread(this::readCommands, "baton-guard-stdin");
        reader.setDaemon(true);
        reader.start();
        watchDeadline();
    }

    private void awaitHello() {
        GuardCommand first;
        try {
            BoundedLines.Line line = stdin.next();
            first = line == null ? null : GuardCommand.parse(line.text());
        } catch (IOException | IllegalArgumentException e) {
            refuse("cannot read HELLO: " + e.getMessage());
            return;
        }
        GuardState.Decision d = first == null ? state.onEof(System.nanoTime())
                : state.onCommand(first, System.nanoTime());
        if (d instanceof GuardState.Leave leave) {
            refuse(leave.reason());
        }
    }

    private void watchDeadline() {
        while (true) {
            long now = System.nanoTime();
            act(state.onTick(now));
            LockSupport.parkNanos(state.nanosToNextCheck(now, POLL_MAX_NANOS));
        }
    }

    private void readCommands() {
        log(fifo("stdin reader"));
        while (true) {
            BoundedLines.Line line;
            try {
                line = stdin.next();
            } catch (IOException e) {
                log("stdin failed: " + e.getMessage() + "; taken as its end");
                line = null;
            }
            if (line == null) {
                act(state.onEof(System.nanoTime()));
                return;
            }
            command(line);
            LockSupport.unpark(watcher);
        }
    }

    private void command(BoundedLines.Line line) {
        if (line.truncated()) {
            log("ignored a line longer than " + GuardCommand.MAX_LINE_CHARS + " characters");
            return;
        }
        try {
            act(state.onCommand(GuardCommand.parse(line.text()), System.nanoTime()));
        } catch (IllegalArgumentException e) {
            log("ignored a bad line: " + e.getMessage());
        }
    }

    private void act(GuardState.Decision decision) {
        if (decision instanceof GuardState.Fire fire) {
            fire(fire.reason());
        } else if (decision instanceof GuardState.Leave leave) {
            log("exiting without killing: " + leave.reason());
            Runtime.getRuntime().halt(leave.exitCode());
        }
    }

    /** Batond first: once it is dead it cannot start a new tagged process behind the sweep. */
    private void fire(String reason) {
        log("FAILFAST at nanoTime " + System.nanoTime() + ": " + reason);
        String daemon = killDaemon();
        FailfastReport report = failfast.killEverything(options.tag(), state.addresses(), selfPid, Set.of());
        log("FAILFAST done at nanoTime " + System.nanoTime() + ": " + daemon + "; " + report.describe()
                + "; now " + options.action().word());
        try {
            Failfast.finish(options.action(), options.allowReboot());
        } catch (IllegalStateException e) {
            log(e.getMessage());
            Runtime.getRuntime().halt(FailfastAction.EXIT_CODE + 1);
        }
    }

    /** SIGKILL reaches a stopped process too; the start time check keeps a reused pid safe. */
    private String killDaemon() {
        long pid = options.daemonPid();
        OptionalLong ticks = ProcScan.startTicks(pid);
        if (!ProcessInfo.alive(pid) || ticks.isEmpty() || ticks.getAsLong() != daemonStartTicks) {
            return "batond (pid " + pid + ") already gone";
        }
        return Posix.signal(pid, Posix.SIGKILL) ? "SIGKILLed batond (pid " + pid + ")"
                : "batond (pid " + pid + ") could not be signalled";
    }

    private String fifo(String thread) {
        return options.rtPriority() == 0 ? thread + ": real-time scheduling not asked for"
                : thread + ": " + Realtime.trySetFifo(options.rtPriority()).describe();
    }

    private static void refuse(String why) {
        System.out.println("REFUSED " + why.replace('\n', ' '));
        System.out.flush();
        log("refusing to start: " + why);
        Runtime.getRuntime().halt(GuardState.EXIT_REFUSED);
    }

    private static void log(String message) {
        System.err.println("baton-guard " + Instant.now() + " " + message);
    }
}
