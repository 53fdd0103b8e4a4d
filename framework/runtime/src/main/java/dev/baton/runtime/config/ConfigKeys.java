package dev.baton.runtime.config;

import dev.baton.api.type.PropertyType;
import dev.baton.runtime.process.ProcessTag;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every runtime configuration key and its default, in one place. Later issues add their keys
 * here, never as string literals elsewhere.
 */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    /** This node's name as methods see it ({@code ctx.node}); the host name when unset. */
    public static final ConfigKey<String> NODE_NAME = string("node.name", "",
            "This node's name; the host name when empty");

    /**
     * The failfast tag: every process a method starts carries {@code BATON_TAG=<tag>} so this
     * node's guard can kill it, daemonized or not (dev.baton.runtime.guard). Unique per node on a
     * machine; empty: no tag.
     */
    public static final ConfigKey<String> FAILFAST_TAG = new ConfigKey<>("failfast.tag", "",
            t -> t.isEmpty() ? t : ProcessTag.requireValid(t),
            "Tag (BATON_TAG) every resource process carries, so the guard finds and kills it; empty: none");

    /** Threads that run method calls (see docs: why platform threads). */
    public static final ConfigKey<Integer> METHOD_THREADS = integer("method.threads", 8, 1, 256,
            "Method calls that run at once");
    public static final ConfigKey<Integer> METHOD_QUEUE_CAPACITY = integer("method.queue.capacity", 256, 1, 65_536,
            "Method calls that may wait for a thread; more are refused");
    public static final ConfigKey<ExecutorKind> METHOD_EXECUTOR = new ConfigKey<>("method.executor",
            ExecutorKind.PLATFORM, t -> ExecutorKind.valueOf(t.toUpperCase(Locale.ROOT)),
            "platform (default) or virtual: which threads run method calls");
    public static final ConfigKey<Integer> CONTEXT_POOL_PER_TYPE = integer("method.contextPool.perType", 4, 0, 256,
            "Idle JavaScript contexts kept per resource type for reuse (0: a fresh context per call)");
    public static final ConfigKey<Integer> LOG_MAX_LINES = integer("method.log.maxLines", 200, 1, 100_000,
            "Log lines kept per method call; later lines are counted and dropped");
    public static final ConfigKey<Integer> LOG_MAX_LINE_CHARS = integer("method.log.maxLineChars", 2_000, 80, 1_000_000,
            "Characters kept per log line");
    public static final ConfigKey<Integer> MESSAGE_MAX_CHARS = integer("method.message.maxChars", 2_000, 80, 1_000_000,
            "Characters kept of a method's result message");
    public static final ConfigKey<Integer> EXEC_DEFAULT_OUTPUT_BYTES = integer("method.exec.defaultOutputBytes",
            64 * 1024, 0, 256 * 1024 * 1024, "Bytes of stdout and of stderr ctx.exec keeps unless told otherwise");
    public static final ConfigKey<Integer> EXEC_MAX_OUTPUT_BYTES = integer("method.exec.maxOutputBytes",
            16 * 1024 * 1024, 0, 256 * 1024 * 1024, "The most bytes of stdout or stderr a method may ask ctx.exec to keep");
    public static final ConfigKey<Integer> EXEC_MAX_INPUT_BYTES = integer("method.exec.maxInputBytes",
            1024 * 1024, 0, 256 * 1024 * 1024, "The most bytes ctx.exec writes to a command's stdin");
    public static final ConfigKey<Integer> HTTP_MAX_BODY_BYTES = integer("method.http.maxBodyBytes",
            1024 * 1024, 0, 256 * 1024 * 1024, "The most bytes of a response body ctx.httpGet keeps");
    public static final ConfigKey<Integer> FILE_MAX_READ_BYTES = integer("method.file.maxReadBytes",
            4 * 1024 * 1024, 0, 256 * 1024 * 1024, "The most bytes ctx.readFile returns");
    public static final ConfigKey<Integer> MODULE_MAX_BYTES = integer("plugins.module.maxBytes",
            1024 * 1024, 1024, 64 * 1024 * 1024, "The largest JavaScript module a plugin may ship");
    public static final ConfigKey<Duration> MODULE_LOAD_TIMEOUT = duration("plugins.module.loadTimeout",
            Duration.ofSeconds(5), "Time a module's top-level code may run when a plugin loads");
    public static final ConfigKey<Duration> RGM_RESOURCE_MAX_IDLE = duration("rgm.resources.maxIdle",
            Duration.ofMinutes(10), "A resource the RGM has not run a method on for this long is dropped from the"
                    + " method cache (rebuilt on its next method)");
    public static final ConfigKey<Integer> RGM_RESOURCE_MAX_CACHED = integer("rgm.resources.maxCached", 100_000, 1,
            1_000_000, "Resources kept in the method cache; beyond it the least recently used idle ones are dropped");

    /** Which threads run method calls. */
    public enum ExecutorKind { PLATFORM, VIRTUAL }

    /** All keys, for documentation and for rejecting unknown keys in a configuration file. */
    public static List<ConfigKey<?>> all() {
        return List.of(NODE_NAME, FAILFAST_TAG, METHOD_THREADS, METHOD_QUEUE_CAPACITY, METHOD_EXECUTOR,
                CONTEXT_POOL_PER_TYPE, LOG_MAX_LINES, LOG_MAX_LINE_CHARS, MESSAGE_MAX_CHARS,
                EXEC_DEFAULT_OUTPUT_BYTES, EXEC_MAX_OUTPUT_BYTES, EXEC_MAX_INPUT_BYTES, HTTP_MAX_BODY_BYTES,
                FILE_MAX_READ_BYTES, MODULE_MAX_BYTES, MODULE_LOAD_TIMEOUT, RGM_RESOURCE_MAX_IDLE,
                RGM_RESOURCE_MAX_CACHED);
    }

    private static ConfigKey<String> string(String name, String dflt, String description) {
        return new ConfigKey<>(name, dflt, Function.identity(), description);
    }

    private static ConfigKey<Integer> integer(String name, int dflt, int min, int max, String description) {
        return new ConfigKey<>(name, dflt, t -> {
            int v = Integer.parseInt(t);
            if (v < min || v > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return v;
        }, description);
    }

    private static ConfigKey<Duration> duration(String name, Duration dflt, String description) {
        return new ConfigKey<>(name, dflt, PropertyType::parseDuration, description);
    }
}
