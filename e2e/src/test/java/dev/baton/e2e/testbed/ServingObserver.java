package dev.baton.e2e.testbed;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
  * Watches which node namespaces serve a logical address, sampling all of them every
  * {@link #PERIOD_NANOS} (10 ms). A node serves the address when it is configured (and usable) on an
  * interface that is up and has carrier: an address behind a cut bridge port does not count. An nft
  * block ({@link Testbed#blockIp}) does not change serving: the node still holds the address.
  *
  * <p>How it samples, chosen by measurement on a 2-core machine (numbers in e2e/README.md):
  * forking {@code ip -n nX address show} per namespace per sample took 14-22 ms per sample of 4
  * namespaces with the machine otherwise idle and ~200 ms (up to 0.9 s) with it saturated: one
  * sample outlasts the period. {@code ip monitor} would be cheap but is not a sample: state
  * rebuilt from events is only as right as the parser and as fresh as the last event that made it
  * through. So each namespace gets one long-running {@code ip -n nX -json -batch -} helper
  * ({@link LineProcess}); a sample writes {@code address show to ADDR/32} to all helpers at once
  * and reads one JSON line from each, which asks the kernel for the current state in well under a
  * millisecond per namespace, in parallel, with no fork. The sampler is a high-priority platform
  * thread, and it and the helpers ask for real-time scheduling (chrt), falling back to nice -10,
  * then to nothing, so a busy machine (three daemons on two cores) does not starve the observer.
  *
  * <p>The 20 ms guarantee and long gaps: a gap (see {@link GapStats}) over
  * {@link ServingTimeline#GAP_LIMIT_NANOS} means the observer was blind that long. On a busy 2-core
  * machine an occasional one happens (this JVM's own GC, a burst of daemon threads). Failing every
  * such test would make the suite flaky for no safety reason, and ignoring them would make the
  * guarantee hollow. So {@link #assertNeverDoubleServed()} fails for a long gap across which the set
  * of serving nodes changed (a handover happened while the observer was blind, and two servers could
  * hide inside it), and reports every other long gap loudly on stderr without failing (the same
  * server before and after: a double serving would need a second node to take and drop the address
  * inside the gap).
  */
public final class ServingObserver implements AutoCloseable {

    public static final long PERIOD_NANOS = 10_000_000;
    /** The sampler counts as stalled, and waits fail, when no sample came for this long. */
    private static final long STALL_NANOS = 2_000_000_000L;
    private static final int EXCERPT_LINES = 40;
    private static final long EXCERPT_MARGIN_NANOS = 500_000_000L;

    /** The first sample at which the set of serving nodes was {@code servingNodes}. */
    public record Sample(long sampleNanos, Set<Integer> servingNodes) {}

    /**
      * Two or more nodes served from sample {@code fromNanos} until sample {@code untilNanos} (the
      * first with fewer; -1 while it lasts); {@code nodes} is every node seen serving meanwhile. The
      * true interval may be longer by up to one sample gap at each end.
      */
    public record Interval(long fromNanos, long untilNanos, Set<Integer> nodes) {
        public boolean ongoing() {
            return untilNanos < 0;
        }

        public double durationMs() {
            return ongoing() ? Double.NaN : (untilNanos - fromNanos) / 1e6;
        }
    }

    /** A gap over the limit: after the sample at {@code afterSampleNanos}, {@code gapNanos} went unobserved. */
    public record LongGap(long afterSampleNanos, long gapNanos, Set<Integer> before, Set<Integer> after) {}

    /**
      * Gaps actually achieved: a gap is the end of a sample minus the start of the previous one, the
      * longest any namespace can have gone unread. {@code gapsOverLimit} counts gaps over 20 ms,
      * {@code blindTransitions} those across which the serving set changed.
      */
    public record GapStats(long samples, long maxGapNanos, long medianGapNanos, long gapsOverLimit, long blindTransitions) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d samples, gap median %.1f ms, max %.1f ms, %d over 20 ms, %d across a change",
                    samples, medianGapNanos / 1e6, maxGapNanos / 1e6, gapsOverLimit, blindTransitions);
        }
    }

    private final InetAddress address;
    private final String label;
    private final List<Integer> nodes;
    private final List<LineProcess> helpers;
    private final String command;
    private final ServingTimeline timeline;
    private final Thread sampler;
    private final List<String> boostNotes = new ArrayList<>();
    private volatile boolean closing;
    private RuntimeException failure;

    private ServingObserver(InetAddress address, Map<Integer, String> namespaceByNode, Path logDir) {
        this.address = address;
        this.label = "srvobs-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 28) | 1 << 28).substring(1, 8);
        this.nodes = List.copyOf(namespaceByNode.keySet());
        this.command = "address show to " + IpAddrJson.hostPrefix(address);
        this.helpers = startHelpers(namespaceByNode.values(), Scheduling.wrapperForHelpers(boostNotes), logDir, label);
        this.timeline = new ServingTimeline(System.nanoTime());
        this.sampler = Thread.ofPlatform().name(label).daemon().priority(Thread.MAX_PRIORITY).unstarted(this::sampleLoop);
    }

    private static List<LineProcess> startHelpers(Iterable<String> namespaces, List<String> wrapper, Path logDir, String label) {
        if (!Files.isDirectory(logDir)) {
            throw new IllegalArgumentException("log folder " + logDir + " does not exist");
        }
        List<LineProcess> helpers = new ArrayList<>();
        try {
            for (String namespace : namespaces) {
                helpers.add(LineProcess.ipBatch(namespace, wrapper, logDir.resolve(label + "-" + namespace + ".log")));
            }
            return helpers;
        } catch (RuntimeException e) {
            Teardown teardown = new Teardown(label);
            helpers.forEach(h -> teardown.step("stop ip helper pid " + h.pid(), h::close));
            teardown.printFailures();
            throw e;
        }
    }

    /** Observes {@code address} on every node of the testbed; closed with it. Returns after the first sample. */
    public static ServingObserver start(Testbed testbed, String address) {
        Map<Integer, String> namespaces = new LinkedHashMap<>();
        for (int node = 1; node <= testbed.nodes(); node++) {
            namespaces.put(node, testbed.ns(node));
        }
        return testbed.track(start(namespaces, address, testbed.dir()));
    }

    /** Observes {@code address} in the given namespaces (node id to namespace name); helper logs go to logDir. */
    public static ServingObserver start(Map<Integer, String> namespaceByNode, String address, Path logDir) {
        ServingObserver observer = new ServingObserver(IpAddrJson.literal(address), namespaceByNode, logDir);
        observer.sampler.start();
        try {
            observer.awaitSample(s -> true, Duration.ofSeconds(10), "a first sample");
            return observer;
        } catch (RuntimeException | AssertionError e) {
            observer.close();
            throw e;
        }
    }

    // ---- sampling ----

    private void sampleLoop() {
        Scheduling.boostCurrentThread(boostNotes);
        try {
            while (!closing) {
                long startNanos = System.nanoTime();
                Set<Integer> serving = sampleOnce();
                long endNanos = System.nanoTime();
                synchronized (this) {
                    timeline.record(startNanos, endNanos, serving);
                    notifyAll();
                }
                parkUntil(startNanos + PERIOD_NANOS);
            }
        } catch (RuntimeException e) {
            if (!closing) {
                fail(e);
            }
        }
    }

    private Set<Integer> sampleOnce() {
        for (LineProcess helper : helpers) {
            helper.send(command);
        }
        Set<Integer> serving = new TreeSet<>();
        for (int i = 0; i < helpers.size(); i++) {
            if (IpAddrJson.serves(helpers.get(i).receive(), address)) {
                serving.add(nodes.get(i));
            }
        }
        return serving;
    }

    private static void parkUntil(long deadlineNanos) {
        for (long left; (left = deadlineNanos - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    private synchronized void fail(RuntimeException e) {
        failure = e;
        notifyAll();
    }

    // ---- queries ----

    /** The nodes serving the address at the latest sample. */
    public synchronized Set<Integer> servingNodesNow() {
        requireHealthy();
        return timeline.last().servingNodes();
    }

    public synchronized int maxSimultaneousServers() {
        requireHealthy();
        return timeline.maxServers();
    }

    /** Every interval in which two or more nodes served, oldest first (the last may be ongoing). */
    public synchronized List<Interval> doubleServing() {
        requireHealthy();
        return timeline.doubleServing();
    }

    /** The samples at which the set of serving nodes changed, oldest first (at most 100,000). */
    public synchronized List<Sample> timeline() {
        return timeline.changes();
    }

    public synchronized GapStats sampleGapStats() {
        return timeline.gapStats();
    }

    /** Gaps over 20 ms, oldest first (at most 1,000). */
    public synchronized List<LongGap> longGaps() {
        return timeline.longGaps();
    }

    /** How the sampler and the ip helpers were scheduled (real-time, nice, or as they came). */
    public synchronized List<String> schedulingNotes() {
        return List.copyOf(boostNotes);
    }

    /** Waits until {@code node} serves; returns the System.nanoTime of the first sample that saw it. */
    public long awaitServedBy(int node, Duration timeout) {
        requireKnown(node);
        return awaitSample(s -> s.servingNodes().contains(node), timeout, "node " + node + " serving " + address.getHostAddress());
    }

    /** Waits until exactly {@code servingNodes} serve (empty: nobody); returns that sample's System.nanoTime. */
    public long awaitServers(Set<Integer> servingNodes, Duration timeout) {
        servingNodes.forEach(this::requireKnown);
        Set<Integer> wanted = Set.copyOf(servingNodes);
        return awaitSample(s -> s.servingNodes().equals(wanted), timeout, "exactly " + ServingTimeline.sorted(wanted) + " serving " + address.getHostAddress());
    }

    private synchronized long awaitSample(Predicate<Sample> condition, Duration timeout, String what) {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        while (true) {
            requireHealthy();
            Sample last = timeline.last();
            if (last != null && condition.test(last)) {
                return firstSampleOfCurrentRun(last);
            }
            long leftNanos = deadlineNanos - System.nanoTime();
            if (leftNanos <= 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + "; latest sample: " + (last == null ? "none" : ServingTimeline.sorted(last.servingNodes())) + "\n" + recentTimeline());
            }
            waitNanos(Math.min(leftNanos, 100_000_000L));
        }
    }

    /** When the last sample's set has held since an earlier change, the time of that change. */
    private long firstSampleOfCurrentRun(Sample last) {
        List<Sample> changes = timeline.changes();
        Sample change = changes.isEmpty() ? last : changes.getLast();
        return change.servingNodes().equals(last.servingNodes()) ? change.sampleNanos() : last.sampleNanos();
    }

    private void waitNanos(long nanos) {
        try {
            wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the serving observer", e);
        }
    }

    // ---- assertions ----

    /**
      * Fails when two nodes were seen serving at once, when the serving set changed across a gap over
      * 20 ms (the observer cannot vouch for that handover), or when the sampler failed; reports other
      * long gaps on stderr. The message carries the timeline around each problem.
      */
    public synchronized void assertNeverDoubleServed() {
        requireHealthy();
        List<String> problems = new ArrayList<>();
        for (Interval interval : timeline.doubleServing()) {
            problems.add("nodes " + ServingTimeline.sorted(interval.nodes()) + " served " + address.getHostAddress() + " together from "
                    + timeline.ms(interval.fromNanos()) + (interval.ongoing() ? " on (still)" : " until " + timeline.ms(interval.untilNanos())
                    + String.format(Locale.ROOT, " (%.1f ms)", interval.durationMs())) + ":\n"
                    + timeline.excerpt(interval.fromNanos(), interval.untilNanos(), EXCERPT_MARGIN_NANOS, EXCERPT_LINES));
        }
        for (LongGap gap : timeline.blindTransitions()) {
            problems.add(String.format(Locale.ROOT, "the observer was blind for %.1f ms after %s while the serving set changed from %s to %s:%n",
                    gap.gapNanos() / 1e6, timeline.ms(gap.afterSampleNanos()), ServingTimeline.sorted(gap.before()), ServingTimeline.sorted(gap.after()))
                    + timeline.excerpt(gap.afterSampleNanos(), gap.afterSampleNanos() + gap.gapNanos(), EXCERPT_MARGIN_NANOS, EXCERPT_LINES));
        }
        if (timeline.changesOverflowed()) {
            problems.add("the serving set changed more than " + ServingTimeline.MAX_CHANGES + " times (flapping)");
        }
        reportLongGaps();
        if (!problems.isEmpty()) {
            throw new AssertionError(address.getHostAddress() + " (" + sampleGapStats() + "):\n" + String.join("\n", problems));
        }
    }

    private void reportLongGaps() {
        GapStats stats = timeline.gapStats();
        if (stats.gapsOverLimit() > 0) {
            System.err.println("[serving observer] WARNING " + address.getHostAddress() + ": " + stats.gapsOverLimit()
                    + " sample gap(s) over 20 ms with the same servers on both sides (" + stats + "); longest first ones:");
            timeline.longGaps().stream().limit(10).forEach(g -> System.err.printf(Locale.ROOT,
                    "    %.1f ms after %s, serving %s%n", g.gapNanos() / 1e6, timeline.ms(g.afterSampleNanos()), ServingTimeline.sorted(g.before())));
        }
    }

    private String recentTimeline() {
        List<Sample> changes = timeline.changes();
        long from = changes.isEmpty() ? 0 : changes.get(Math.max(0, changes.size() - EXCERPT_LINES)).sampleNanos();
        return timeline.excerpt(from, -1, 0, EXCERPT_LINES);
    }

    private void requireHealthy() {
        if (failure != null) {
            throw new IllegalStateException("serving observer for " + address.getHostAddress() + " failed", failure);
        }
        Sample last = timeline.last();
        if (last != null && !closing && System.nanoTime() - last.sampleNanos() > STALL_NANOS) {
            throw new IllegalStateException("serving observer for " + address.getHostAddress() + " has not sampled for "
                    + (System.nanoTime() - last.sampleNanos()) / 1_000_000 + " ms");
        }
    }

    private void requireKnown(int node) {
        if (!nodes.contains(node)) {
            throw new IllegalArgumentException("node " + node + " is not observed (observed: " + nodes + ")");
        }
    }

    /** Stops sampling and the helpers; the timeline stays readable. Idempotent. */
    @Override
    public void close() {
        closing = true;
        Teardown teardown = new Teardown(label);
        for (LineProcess helper : helpers) {
            teardown.step("stop ip helper pid " + helper.pid(), helper::close);
        }
        teardown.step("stop sampler", () -> sampler.join(Duration.ofSeconds(5)));
        teardown.throwFirstFailure();
    }

    @Override
    public String toString() {
        return "ServingObserver " + label + " of " + address.getHostAddress() + " on nodes " + nodes;
    }
}
