package dev.baton.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One step's effects in the order the driver must perform them (see {@link Effect} for the order
 * and why), plus when the core next needs a {@link Input.Tick}.
 */
public record Effects(List<Effect> ordered, long wakeAtNanos) {
    public Effects {
        ordered = List.copyOf(ordered);
    }

    public static Effects none(long wakeAtNanos) {
        return new Effects(List.of(), wakeAtNanos);
    }

    public boolean isEmpty() {
        return ordered.isEmpty();
    }

    public <T extends Effect> List<T> of(Class<T> type) {
        return ordered.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Collects effects during a step; {@link #build} sorts them stably by rank. */
    public static final class Builder {
        private final List<Effect> effects = new ArrayList<>();

        public Builder add(Effect effect) {
            effects.add(effect);
            return this;
        }

        public Builder notify(Event event) {
            return add(new Effect.Notify(event));
        }

        public boolean has(Class<? extends Effect> type) {
            return effects.stream().anyMatch(type::isInstance);
        }

        public Effects build(long wakeAtNanos) {
            List<Effect> sorted = new ArrayList<>(effects);
            sorted.sort(Comparator.comparingInt(Effect::rank));
            return new Effects(sorted, wakeAtNanos);
        }
    }
}
