package dev.baton.sim;

import java.io.PrintStream;

/**
 * Replays random seeds exactly: {@code ./baton sim --seed N} (or {@code --from A --to B}).
 * Prints what each run did, or the broken invariant with the events leading to it.
 */
public final class Replay {
    private Replay() {
    }

    public static void main(String[] args) {
        long from = 1;
        long to = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> {
                    from = Long.parseLong(value(args, ++i));
                    to = from;
                }
                case "--from" -> from = Long.parseLong(value(args, ++i));
                case "--to" -> to = Long.parseLong(value(args, ++i));
                default -> usage("unknown argument " + args[i]);
            }
        }
        System.exit(replay(from, to, System.out) ? 0 : 1);
    }

    static boolean replay(long from, long to, PrintStream out) {
        boolean allPassed = true;
        for (long seed = from; seed <= to; seed++) {
            RandomRun run = new RandomRun(seed);
            try {
                out.println(run.run());
            } catch (InvariantViolation violation) {
                allPassed = false;
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
        System.err.println(problem + "\nusage: baton sim --seed N | --from A --to B");
        System.exit(2);
    }
}
