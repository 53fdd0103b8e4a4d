package dev.baton.sim;

import java.io.PrintStream;

/**
 * Replays random seeds exactly: {@code ./baton sim --seed N} (or {@code --from A --to B}; add
 * {@code --log} for every event of the run, {@code --groups} for the runs with random resource groups). Prints what each run did, or the broken invariant
 * with the events leading to it. {@code --failover} measures the protocol's share of failover
 * time instead ({@link FailoverTiming}).
 */
public final class Replay {
    private Replay() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--failover")) {
            FailoverTiming.main(args);
            return;
        }
        long from = 1;
        long to = 1;
        boolean wholeLog = false;
        boolean groups = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> {
                    from = Long.parseLong(value(args, ++i));
                    to = from;
                }
                case "--from" -> from = Long.parseLong(value(args, ++i));
                case "--to" -> to = Long.parseLong(value(args, ++i));
                case "--log" -> wholeLog = true;
                case "--groups" -> groups = true;
                default -> usage("unknown argument " + args[i]);
            }
        }
        System.exit(replay(from, to, wholeLog, groups, System.out) ? 0 : 1);
    }

    static boolean replay(long from, long to, boolean wholeLog, PrintStream out) {
        return replay(from, to, wholeLog, false, out);
    }

    /** With {@code groups}, the runs carry random resource groups ({@link RandomRun#RandomRun(long, boolean)}). */
    static boolean replay(long from, long to, boolean wholeLog, boolean groups, PrintStream out) {
        boolean allPassed = true;
        for (long seed = from; seed <= to; seed++) {
            RandomRun run = new RandomRun(seed, groups);
            if (wholeLog && groups) {
                out.print(run.resourceGroups().orElse(""));
            }
            try {
                RandomRun.Outcome outcome = run.run();
                if (wholeLog) {
                    out.print(run.simulation().log().tailText(SimLog.MAX_LINES));
                }
                out.println(outcome);
            } catch (InvariantViolation violation) {
                allPassed = false;
                if (wholeLog) {
                    out.print(run.simulation().log().tailText(SimLog.MAX_LINES));
                }
                out.println("seed " + seed + " (" + run.config().nodeIds().size() + " nodes) FAILED: " + violation.getMessage());
            }
        }
        return allPassed;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: baton sim --seed N | --from A --to B [--log] [--groups] | --failover");
        System.exit(2);
    }
}
