package dev.baton.api.type;

import dev.baton.api.method.ResultCode;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The methods a resource type may implement, in the order the RGM's lifecycle uses them.
 *
 * <p>Lifecycle: {@code boot} and {@code init} run on a node before any resource of the type does;
 * {@code validate} runs before a resource is created or its properties change;
 * {@code prenet_start} runs before the group's network addresses come up and {@code start} after;
 * {@code probe} runs while the resource is online (and on a joining node, to find services
 * already running there); {@code stop} runs before the addresses go down and
 * {@code postnet_stop} after; {@code update} tells a running resource that a property tunable
 * at any time changed; {@code fini} runs when the type is removed from a node.
 *
 * <p>start, stop and probe are required; an optional method that a type does not implement
 * succeeds without running anything.
 */
public enum MethodName {
    START(Kind.ACTION),
    STOP(Kind.ACTION),
    PROBE(Kind.PROBE),
    VALIDATE(Kind.VALIDATE),
    UPDATE(Kind.ACTION),
    INIT(Kind.ACTION),
    FINI(Kind.ACTION),
    BOOT(Kind.ACTION),
    PRENET_START(Kind.ACTION),
    POSTNET_STOP(Kind.ACTION);

    /** Methods every resource type must implement. */
    public static final Set<MethodName> REQUIRED = EnumSet.of(START, STOP, PROBE);

    private enum Kind { ACTION, PROBE, VALIDATE }

    private final Kind kind;

    MethodName(Kind kind) {
        this.kind = kind;
    }

    /** The exported JavaScript function's name and the descriptor key: {@code prenet_start}. */
    public String jsName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The standard property holding this method's timeout: {@code Prenet_start_timeout}. */
    public String timeoutProperty() {
        String js = jsName();
        return Character.toUpperCase(js.charAt(0)) + js.substring(1) + "_timeout";
    }

    public static Optional<MethodName> fromJsName(String name) {
        for (MethodName m : values()) {
            if (m.jsName().equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * The result codes this method may return. TIMED_OUT is never returned by a method: the
     * runtime assigns it.
     */
    public Set<ResultCode> allowedResults() {
        return switch (kind) {
            case PROBE -> EnumSet.of(ResultCode.RUNNING, ResultCode.NOT_RUNNING, ResultCode.DEGRADED,
                    ResultCode.FAILED, ResultCode.FAILED_HARD, ResultCode.CONFIG_ERROR);
            case VALIDATE -> EnumSet.of(ResultCode.SUCCESS, ResultCode.FAILED, ResultCode.CONFIG_ERROR);
            case ACTION -> EnumSet.of(ResultCode.SUCCESS, ResultCode.FAILED, ResultCode.FAILED_HARD,
                    ResultCode.CONFIG_ERROR);
        };
    }
}
