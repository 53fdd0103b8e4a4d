package dev.baton.core.rgm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link TransitionGraph}: hands each action whose predecessors finished as expected to
 * the {@link ActionExecutor}, folds pseudo steps away at once, and tells its caller when to plan
 * again: after a result the graph did not expect, a result of an action from a replaced graph, a
 * backstop timeout, or when the graph completes. The same runner serves the daemon (the executor
 * sends the action to its node) and the simulator and scenario files (the executor is scripted).
 *
 * <p>The method runtime's timeout is authoritative; the runner's backstop (timeout + {@link
 * RgmDefaults#RUNNER_BACKSTOP_MARGIN_MS}) only covers a lost message or a node that died with the
 * action: the action is abandoned and its resource's state there becomes UNKNOWN, so it is
 * probed before anything else is decided about it.
 */
public final class GraphRunner {
    /** Performs one action; its result comes back through {@link #finished}. */
    public interface ActionExecutor {
        void execute(long actionId, Action action);
    }

    static final long FENCE_TIMEOUT_MS = 120_000;
    /**
     * A halt has no answer: the node fails fast and leaves the membership. If it is still a member
     * this long after, the request (or the node) was lost and the coordinator may ask again.
     */
    static final long HALT_TIMEOUT_MS = 10_000;

    private record InFlight(TransitionGraph graph, Action action, long deadlineMs) {
    }

    private final ActionExecutor executor;
    private final RgmState state;
    private final Map<Long, InFlight> inFlight = new HashMap<>();
    private TransitionGraph graph = TransitionGraph.empty();
    private int[] remaining = new int[0];
    private int pending;
    private long nextActionId;

    public GraphRunner(ActionExecutor executor, RgmState state, long firstActionId) {
        this.executor = executor;
        this.state = state;
        this.nextActionId = firstActionId;
    }

    /** Replaces the current graph: its actions not yet handed out are dropped; those in flight finish. */
    public void run(TransitionGraph next, long nowMs) {
        graph = next;
        remaining = new int[next.actions().size()];
        pending = remaining.length;
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < remaining.length; i++) {
            remaining[i] = next.predecessorCount(i);
            if (remaining[i] == 0) {
                ready.add(i);
            }
        }
        release(ready, nowMs);
    }

    private void release(ArrayDeque<Integer> ready, long nowMs) {
        while (!ready.isEmpty()) {
            Action a = graph.actions().get(ready.poll());
            if (a.isPseudo()) {
                complete(a.index(), ready);
            } else {
                long id = nextActionId++;
                inFlight.put(id, new InFlight(graph, a, nowMs + backstopMs(a)));
                state.dispatched(a);
                executor.execute(id, a);
            }
        }
    }

    private void complete(int index, ArrayDeque<Integer> ready) {
        pending--;
        for (int s : graph.successors(index)) {
            if (--remaining[s] == 0) {
                ready.add(s);
            }
        }
    }

    private long backstopMs(Action a) {
        if (a.kind() == Action.Kind.HALT) {
            return HALT_TIMEOUT_MS;
        }
        long timeoutMs = a.kind() == Action.Kind.FENCE ? FENCE_TIMEOUT_MS
                : state.config().resource(a.resource()).timeoutMs(a.method());
        return timeoutMs + RgmDefaults.RUNNER_BACKSTOP_MARGIN_MS;
    }

    /** The action this id was handed out as, if it is still awaited. */
    public Action awaited(long actionId) {
        InFlight f = inFlight.get(actionId);
        return f == null ? null : f.action();
    }

    /**
     * An awaited action finished; {@code expected} says whether its result is the one the graph
     * assumed. Returns whether to plan again.
     */
    public boolean finished(long actionId, boolean expected, long nowMs) {
        InFlight f = inFlight.remove(actionId);
        if (f == null) {
            return false;
        }
        if (f.graph() != graph || !expected) {
            return true;
        }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        complete(f.action().index(), ready);
        release(ready, nowMs);
        return pending == 0;
    }

    /**
     * An awaited action will not run: it is dropped like one past its backstop (its resource's
     * state on that node becomes UNKNOWN). Returns whether it was awaited.
     */
    public boolean abandon(long actionId) {
        InFlight f = inFlight.remove(actionId);
        if (f == null) {
            return false;
        }
        state.abandoned(f.action(), true);
        return true;
    }

    /** Gives up on actions past their backstop. Returns whether to plan again. */
    public boolean tick(long nowMs) {
        List<Action> expired = new ArrayList<>();
        for (Iterator<InFlight> it = inFlight.values().iterator(); it.hasNext(); ) {
            InFlight f = it.next();
            if (f.deadlineMs() <= nowMs) {
                expired.add(f.action());
                it.remove();
            }
        }
        expired.forEach(a -> state.abandoned(a, true));
        return !expired.isEmpty();
    }

    /** The earliest backstop deadline, for the driver's wake-up. */
    public long nextDeadlineMs() {
        long min = Long.MAX_VALUE;
        for (InFlight f : inFlight.values()) {
            min = Math.min(min, f.deadlineMs());
        }
        return min;
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    /** Whether the current graph has nothing left to run and nothing is awaited. */
    public boolean idle() {
        return pending == 0 && inFlight.isEmpty();
    }

    public TransitionGraph graph() {
        return graph;
    }
}
