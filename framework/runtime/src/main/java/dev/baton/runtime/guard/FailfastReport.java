package dev.baton.runtime.guard;

import java.util.List;

/**
 * What one {@link Failfast#killEverything} did.
 *
 * @param killedPids       every process sent SIGKILL, in the order it was found
 * @param survivorPids     tagged processes still present after the last round (in uninterruptible
 *                         sleep, or still tearing down); empty when the sweep saw none left
 * @param rounds           scans of /proc made
 * @param removedAddresses each removed address as {@code ADDR/PREFIX dev IF}
 * @param problems         addresses that could not be parsed or removed, and why
 * @param killNanos        time spent killing
 * @param totalNanos       time spent killing and removing addresses
 */
public record FailfastReport(List<Long> killedPids, List<Long> survivorPids, int rounds,
        List<String> removedAddresses, List<String> problems, long killNanos, long totalNanos) {
    public FailfastReport {
        killedPids = List.copyOf(killedPids);
        survivorPids = List.copyOf(survivorPids);
        removedAddresses = List.copyOf(removedAddresses);
        problems = List.copyOf(problems);
    }

    /** One line for the log. */
    public String describe() {
        return "killed " + killedPids.size() + " process(es) " + killedPids + " in " + rounds + " round(s), "
                + (survivorPids.isEmpty() ? "none left" : "still present: " + survivorPids)
                + "; removed " + removedAddresses + (problems.isEmpty() ? "" : "; problems: " + problems)
                + "; kill " + killNanos / 1_000 + " us, total " + totalNanos / 1_000 + " us";
    }
}
