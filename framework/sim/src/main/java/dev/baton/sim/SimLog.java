package dev.baton.sim;

import dev.baton.core.Event;
import dev.baton.core.cluster.ClusterConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What happened in a run, one readable line per event: "  1234 ms  node 2  installs epoch 3.1 …".
 * Bounded: a long run keeps its last {@link #MAX_LINES} lines, enough to read a failure.
 */
public final class SimLog {
    public static final int MAX_LINES = 20_000;

    /** One line of the log. */
    public record Line(long timeMs, int node, String text) {
        @Override
        public String toString() {
            return String.format("%7d ms  node %d  %s", timeMs, node, text);
        }
    }

    private final Deque<Line> lines = new ArrayDeque<>();
    private long dropped;

    SimLog(ClusterConfig config) {
    }

    public void add(long nowNanos, int node, String text) {
        if (lines.size() == MAX_LINES) {
            lines.removeFirst();
            dropped++;
        }
        lines.addLast(new Line(nowNanos / 1_000_000L, node, text));
    }

    void event(long nowNanos, int node, Event event) {
        add(nowNanos, node, describe(event));
    }

    /** How an event reads in the log and in scenario transcripts. */
    public static String describe(Event event) {
        return switch (event) {
            case Event.MembershipChanged e -> "installs " + e.membership();
            case Event.PathChanged e -> "path " + e.event();
            case Event.NodeCleared e -> "node " + e.node() + " cleared: " + e.how();
            case Event.FormationRefused e -> "formation refused: " + e.reason();
            case Event.Stalled e -> "stalled for " + e.gapMs() + " ms";
            case Event.FenceFailed e -> "fence of node " + e.node() + " failed: " + e.detail();
            case Event.ChangeCommitted e -> "change " + e.requestId() + " committed: " + e.table() + " at " + e.version();
            case Event.ChangeFailed e -> "change " + e.requestId() + " failed: " + e.reason();
            case Event.ChangeInDoubt e -> "change " + e.requestId() + " in doubt: " + e.reason();
            case Event.TableRefused e -> "table " + e.table() + " from " + e.source() + " refused: " + e.reason();
            case Event.RgmPlanned e -> "rgm plan: " + String.join(" / ", e.summary().lines().map(String::strip).toList());
            case Event.RgmRequestAnswered e -> "rgm request " + e.requestId() + ": " + e.refusal().map(r -> "refused: " + r).orElse("ok");
            case Event.RgmConfigRefused e -> "rgm configuration refused: " + e.reason();
        };
    }

    public List<Line> lines() {
        return new ArrayList<>(lines);
    }

    /** How many lines were ever added, dropped ones included: a mark for {@link #since}. */
    public long count() {
        return dropped + lines.size();
    }

    /** The lines added since {@link #count()} returned {@code mark}, as far as they are still kept. */
    public List<Line> since(long mark) {
        long skip = Math.max(0, mark - dropped);
        return lines.stream().skip(skip).toList();
    }

    public List<Line> tail(int count) {
        List<Line> all = lines();
        return all.subList(Math.max(0, all.size() - count), all.size());
    }

    public String tailText(int count) {
        StringBuilder text = new StringBuilder();
        if (dropped > 0 && count >= lines.size()) {
            text.append("(").append(dropped).append(" earlier lines dropped)\n");
        }
        tail(count).forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }
}
