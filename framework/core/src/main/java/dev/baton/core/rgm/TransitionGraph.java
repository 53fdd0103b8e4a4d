package dev.baton.core.rgm;

import dev.baton.api.type.MethodName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The scheduler's output: actions with orderings (an action runs once everything ordered before it
 * finished as expected), the decisions behind them, and the groups that cannot go where they
 * should, each with the reason. {@link #summary()} is the readable form the golden scenarios pin.
 */
public final class TransitionGraph {
    private final List<Action> actions;
    private final List<int[]> successors;
    private final int[] predecessorCount;
    private final List<String> decisions;
    private final Map<String, String> blocked;

    private TransitionGraph(Builder b) {
        this.actions = List.copyOf(b.actions);
        this.successors = new ArrayList<>(b.successors.size());
        for (List<Integer> s : b.successors) {
            int[] to = new int[s.size()];
            for (int k = 0; k < to.length; k++) {
                to[k] = s.get(k);
            }
            successors.add(to);
        }
        this.predecessorCount = new int[actions.size()];
        for (int[] s : successors) {
            for (int to : s) {
                predecessorCount[to]++;
            }
        }
        this.decisions = List.copyOf(b.decisions);
        this.blocked = Collections.unmodifiableMap(new TreeMap<>(b.blocked));
    }

    public static TransitionGraph empty() {
        return new Builder().build();
    }

    public List<Action> actions() {
        return actions;
    }

    public int[] successors(int action) {
        return successors.get(action);
    }

    public int predecessorCount(int action) {
        return predecessorCount[action];
    }

    public List<String> decisions() {
        return decisions;
    }

    /** Group name → why it is not where it should be. */
    public Map<String, String> blocked() {
        return blocked;
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }

    /** Real (non-pseudo) actions. */
    public long methodCount() {
        return actions.stream().filter(a -> !a.isPseudo()).count();
    }

    /**
     * The readable form: decisions, then numbered actions with the numbers of the real actions
     * they wait for (pseudo steps folded away), then blocked groups.
     */
    public String summary() {
        StringBuilder s = new StringBuilder();
        decisions.forEach(d -> s.append("  ").append(d).append('\n'));
        List<List<Integer>> preds = realPredecessors();
        int[] number = new int[actions.size()];
        int next = 1;
        for (Action a : actions) {
            if (!a.isPseudo()) {
                number[a.index()] = next++;
            }
        }
        s.append("Transition summary:").append(actions.stream().allMatch(Action::isPseudo) ? " nothing to do\n" : "\n");
        for (Action a : actions) {
            if (a.isPseudo()) {
                continue;
            }
            s.append(String.format("  %2d. %s", number[a.index()], a.text()));
            TreeSet<Integer> after = new TreeSet<>();
            preds.get(a.index()).forEach(p -> after.add(number[p]));
            if (!after.isEmpty()) {
                s.append("  (after ").append(String.join(", ", after.stream().map(String::valueOf).toList())).append(')');
            }
            s.append('\n');
        }
        blocked.forEach((g, why) -> s.append("Blocked: ").append(g).append(": ").append(why).append('\n'));
        return s.toString();
    }

    /** For each action, the nearest real actions ordered before it, looking through pseudo steps. */
    private List<List<Integer>> realPredecessors() {
        List<List<Integer>> direct = new ArrayList<>();
        actions.forEach(a -> direct.add(new ArrayList<>()));
        for (int from = 0; from < actions.size(); from++) {
            for (int to : successors.get(from)) {
                direct.get(to).add(from);
            }
        }
        List<List<Integer>> real = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            real.add(null);
        }
        for (int i = 0; i < actions.size(); i++) {
            resolve(i, direct, real);
        }
        return real;
    }

    private List<Integer> resolve(int i, List<List<Integer>> direct, List<List<Integer>> real) {
        if (real.get(i) != null) {
            return real.get(i);
        }
        List<Integer> out = new ArrayList<>();
        for (int p : direct.get(i)) {
            if (actions.get(p).isPseudo()) {
                out.addAll(resolve(p, direct, real));
            } else {
                out.add(p);
            }
        }
        real.set(i, out);
        return out;
    }

    /** Collects actions and orderings; actions are numbered in the order they are added. */
    public static final class Builder {
        private final List<Action> actions = new ArrayList<>();
        private final List<List<Integer>> successors = new ArrayList<>();
        private final List<String> decisions = new ArrayList<>();
        private final Map<String, String> blocked = new TreeMap<>();

        public int method(int node, int resource, MethodName method, String text) {
            return add(Action.Kind.METHOD, node, resource, method, text);
        }

        public int fence(int node, String text) {
            return add(Action.Kind.FENCE, node, -1, null, text);
        }

        public int halt(int node, String text) {
            return add(Action.Kind.HALT, node, -1, null, text);
        }

        public int pseudo(String text) {
            return add(Action.Kind.PSEUDO, -1, -1, null, text);
        }

        private int add(Action.Kind kind, int node, int resource, MethodName method, String text) {
            int index = actions.size();
            actions.add(new Action(index, kind, node, resource, method, text));
            successors.add(new ArrayList<>(2));
            return index;
        }

        /** {@code after} runs only once {@code before} finished as expected; -1 on either side is ignored. */
        public void order(int before, int after) {
            if (before >= 0 && after >= 0 && before != after) {
                successors.get(before).add(after);
            }
        }

        public void decision(String text) {
            decisions.add(text);
        }

        public void block(String group, String reason) {
            blocked.putIfAbsent(group, reason);
        }

        public int size() {
            return actions.size();
        }

        public TransitionGraph build() {
            return new TransitionGraph(this);
        }
    }
}
