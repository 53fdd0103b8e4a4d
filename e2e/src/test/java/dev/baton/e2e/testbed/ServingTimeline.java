package dev.baton.e2e.testbed;

import dev.baton.e2e.testbed.ServingObserver.GapStats;
import dev.baton.e2e.testbed.ServingObserver.Interval;
import dev.baton.e2e.testbed.ServingObserver.LongGap;
import dev.baton.e2e.testbed.ServingObserver.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
  * What the serving observer saw, kept bounded: the samples at which the set of serving nodes
  * changed, the intervals with two or more servers, and the distribution of gaps between samples.
  * Pure bookkeeping (times come in as arguments), not thread-safe: the observer locks around it.
  *
  * <p>A sample's gap is {@code end of this sample - start of the previous one}: each namespace was
  * read somewhere inside each sample, so that is the longest a namespace can have gone unread.
  */
final class ServingTimeline {

    static final long GAP_LIMIT_NANOS = 20_000_000;
    static final int MAX_CHANGES = 100_000;
    static final int MAX_INTERVALS = 1_000;
    static final int MAX_LONG_GAPS = 1_000;
    private static final long BUCKET_NANOS = 100_000;
    private static final int BUCKETS = 10_000;

    private final long originNanos;
    private final List<Sample> changes = new ArrayList<>();
    private final List<Interval> doubleServing = new ArrayList<>();
    private final List<LongGap> longGaps = new ArrayList<>();
    private final long[] gapHistogram = new long[BUCKETS + 1];
    private boolean changesOverflowed;
    private long samples;
    private long longGapCount;
    private long maxGapNanos;
    private int maxServers;
    private Sample last;
    private long openFromNanos = -1;
    private Set<Integer> openNodes = Set.of();

    ServingTimeline(long originNanos) {
        this.originNanos = originNanos;
    }

    void record(long startNanos, long endNanos, Set<Integer> serving) {
        Set<Integer> nodes = frozenSorted(serving);
        if (last != null) {
            countGap(last, endNanos - last.sampleNanos(), nodes);
        }
        if (last == null || !last.servingNodes().equals(nodes)) {
            addChange(new Sample(startNanos, nodes));
        }
        trackDoubleServing(startNanos, nodes);
        maxServers = Math.max(maxServers, nodes.size());
        last = new Sample(startNanos, nodes);
        samples++;
    }

    private void countGap(Sample previous, long gapNanos, Set<Integer> nodes) {
        gapHistogram[(int) Math.min(BUCKETS, gapNanos / BUCKET_NANOS)]++;
        maxGapNanos = Math.max(maxGapNanos, gapNanos);
        if (gapNanos > GAP_LIMIT_NANOS) {
            longGapCount++;
            if (longGaps.size() < MAX_LONG_GAPS) {
                longGaps.add(new LongGap(previous.sampleNanos(), gapNanos, previous.servingNodes(), nodes));
            }
        }
    }

    private void addChange(Sample sample) {
        if (changes.size() < MAX_CHANGES) {
            changes.add(sample);
        } else {
            changesOverflowed = true;
        }
    }

    private void trackDoubleServing(long sampleNanos, Set<Integer> nodes) {
        if (nodes.size() >= 2) {
            if (openFromNanos < 0) {
                openFromNanos = sampleNanos;
                openNodes = nodes;
            } else {
                openNodes = union(openNodes, nodes);
            }
        } else if (openFromNanos >= 0) {
            if (doubleServing.size() < MAX_INTERVALS) {
                doubleServing.add(new Interval(openFromNanos, sampleNanos, openNodes));
            }
            openFromNanos = -1;
            openNodes = Set.of();
        }
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        TreeSet<Integer> all = new TreeSet<>(a);
        all.addAll(b);
        return Collections.unmodifiableSortedSet(all);
    }

    /** Node sets print in order ([1, 2]), which failure messages rely on. */
    private static Set<Integer> frozenSorted(Set<Integer> nodes) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(nodes));
    }

    // ---- queries ----

    Sample last() {
        return last;
    }

    long samples() {
        return samples;
    }

    int maxServers() {
        return maxServers;
    }

    /** Closed intervals with two or more servers, then the open one (untilNanos -1) if any. */
    List<Interval> doubleServing() {
        List<Interval> all = new ArrayList<>(doubleServing);
        if (openFromNanos >= 0) {
            all.add(new Interval(openFromNanos, -1, openNodes));
        }
        return List.copyOf(all);
    }

    List<Sample> changes() {
        return List.copyOf(changes);
    }

    boolean changesOverflowed() {
        return changesOverflowed;
    }

    List<LongGap> longGaps() {
        return List.copyOf(longGaps);
    }

    /** Long gaps across which the serving set changed: a double serving could hide inside them. */
    List<LongGap> blindTransitions() {
        return longGaps.stream().filter(g -> !g.before().equals(g.after())).toList();
    }

    GapStats gapStats() {
        return new GapStats(samples, maxGapNanos, medianGapNanos(), longGapCount, blindTransitions().size());
    }

    private long medianGapNanos() {
        long total = 0;
        for (long count : gapHistogram) {
            total += count;
        }
        long seen = 0;
        for (int bucket = 0; bucket <= BUCKETS; bucket++) {
            seen += gapHistogram[bucket];
            if (total > 0 && seen * 2 >= total) {
                return bucket * BUCKET_NANOS + BUCKET_NANOS / 2;
            }
        }
        return 0;
    }

    // ---- text for failure messages ----

    String ms(long nanos) {
        return String.format(Locale.ROOT, "+%.1f ms", (nanos - originNanos) / 1e6);
    }

    /** The changes from {@code aroundFromNanos - marginNanos} to {@code aroundUntilNanos + marginNanos}, at most maxLines. */
    String excerpt(long aroundFromNanos, long aroundUntilNanos, long marginNanos, int maxLines) {
        StringBuilder text = new StringBuilder();
        int lines = 0;
        for (Sample change : changes) {
            boolean inside = change.sampleNanos() >= aroundFromNanos - marginNanos
                    && (aroundUntilNanos < 0 || change.sampleNanos() <= aroundUntilNanos + marginNanos);
            if (inside && lines++ < maxLines) {
                text.append("    ").append(ms(change.sampleNanos())).append("  serving ").append(sorted(change.servingNodes())).append('\n');
            }
        }
        if (lines > maxLines) {
            text.append("    ... ").append(lines - maxLines).append(" more changes\n");
        }
        return text.toString();
    }

    static List<Integer> sorted(Set<Integer> nodes) {
        return nodes.stream().sorted().toList();
    }
}
