package dev.baton.runtime.rgm;

import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.PropertyProblem;
import dev.baton.core.Effect;
import dev.baton.core.Input;
import dev.baton.core.Message;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;
import dev.baton.runtime.method.MethodRejectedException;
import dev.baton.runtime.method.MethodRuntime;
import dev.baton.runtime.method.MethodRuntime.CallOptions;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.resource.InvalidPropertiesException;
import dev.baton.runtime.resource.Resource;
import dev.baton.runtime.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Performs the core's {@link Effect.RunMethod} with the real method runtime and answers each one
 * with exactly one {@link Input.MethodDone}, through the callback given at construction.
 *
 * <p>Why it is shaped this way:
 * <ul>
 * <li>The core waits for an answer to every run it asked for and never for an exception, so every
 *     way a method can fail to run (an unknown type, properties that do not resolve, a busy
 *     resource, a full queue, a passed lease) is turned into a result code the RGM already acts
 *     on, and {@link #perform} does not throw. Only an {@link Error} escapes: a daemon whose VM is
 *     in trouble should stop (STYLE.md 13) rather than keep answering.</li>
 * <li>A start's lease deadline goes to the method runtime as the call's not-after deadline, which
 *     is checked on the method's own thread just before the JavaScript runs. Checking it here,
 *     when the effect arrives, would miss the time the call then waits for a thread and a context
 *     (ARCHITECTURE.md rule 4: no stale start after a pause).</li>
 * <li>{@code timeoutMs} comes from the core and overrides the resource's {@code <Method>_timeout}:
 *     the RGM's backstop timer is computed from the same number (rule 5), so the two never
 *     disagree about when a method is late.</li>
 * <li>Resources are kept per name because a {@link Resource} carries the one-method-at-a-time
 *     guard. An instance leaves the cache only by being claimed for good (it then refuses every
 *     method), and one with a method in flight is never replaced: a run that arrives with new
 *     properties while the old ones are still in use is refused as busy rather than run beside it.</li>
 * <li>The cache is bounded twice (STYLE.md 11): entries not used for
 *     {@link ConfigKeys#RGM_RESOURCE_MAX_IDLE} are dropped, and beyond
 *     {@link ConfigKeys#RGM_RESOURCE_MAX_CACHED} the least recently used idle ones go first.
 *     Dropping is cheap: an entry is rebuilt from the next effect, which carries type and
 *     properties. {@link #forget} drops one at once, e.g. when the resource is deleted.</li>
 * </ul>
 *
 * <p>Threads: {@link #perform} and {@link #forget} are meant for the event-loop thread (they are
 * synchronized, so any thread is safe). The callback runs on whichever thread finished the call:
 * a method thread, the runtime's watchdog, or the caller of {@code perform} itself for answers
 * given at once. It should only hand the answer over to the event loop, and not block.
 */
public final class MethodEffects {
    private static final Logger LOG = LoggerFactory.getLogger(MethodEffects.class);
    /** What a claimed instance reports as "running" should anything still try to use it. */
    private static final String RETIRED = "nothing (dropped from the method cache)";

    private final PluginCatalog catalog;
    private final MethodRuntime runtime;
    private final Consumer<Input.MethodDone> done;
    private final long maxIdleNanos;
    private final int maxCached;
    /** In access order, least recently used first: the idle sweep stops at the first fresh entry. */
    private final LinkedHashMap<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true);

    private record Cached(ResourceType type, Map<String, String> properties, Resource resource, long lastUsedNanos) {
        boolean matches(ResourceType t, Map<String, String> p) {
            return type == t && properties.equals(p);
        }
    }

    public MethodEffects(PluginCatalog catalog, MethodRuntime runtime, BatonConfig config,
            Consumer<Input.MethodDone> done) {
        this.catalog = Objects.requireNonNull(catalog);
        this.runtime = Objects.requireNonNull(runtime);
        this.done = Objects.requireNonNull(done);
        this.maxIdleNanos = saturatedNanos(config.get(ConfigKeys.RGM_RESOURCE_MAX_IDLE));
        this.maxCached = config.get(ConfigKeys.RGM_RESOURCE_MAX_CACHED);
    }

    /** Starts the method; its {@link Input.MethodDone} follows through the callback, exactly once. */
    public void perform(Effect.RunMethod run) {
        CompletableFuture<MethodResult> result;
        try {
            result = submit(run);
        } catch (RuntimeException e) {
            LOG.error("internal error performing run {}: {} of {}", run.runId(), run.method(), run.resource(), e);
            result = answered(ResultCode.FAILED, "internal error before " + run.method() + " of " + run.resource()
                    + " could run: " + e);
        }
        result.whenComplete((r, e) -> answer(run, r, e));
    }

    /**
     * Drops a resource's cached instance now, e.g. when it is deleted. False while a method runs
     * on it: the entry then stays until the idle sweep drops it, so the guard it carries holds.
     */
    public synchronized boolean forget(String resource) {
        Cached c = cache.get(resource);
        if (c == null) {
            return true;
        }
        if (claim(c.resource()) != null) {
            return false;
        }
        cache.remove(resource);
        return true;
    }

    /** Resource instances cached now, for status and tests. */
    public synchronized int cachedResources() {
        return cache.size();
    }

    private synchronized CompletableFuture<MethodResult> submit(Effect.RunMethod run) {
        long now = System.nanoTime();
        sweep(now);
        Optional<ResourceType> type = catalog.type(run.type());
        if (type.isEmpty()) {
            return answered(ResultCode.FAILED, "no loaded plugin provides resource type '" + run.type() + "' (resource "
                    + run.resource() + "); 'baton plugins' lists the loaded plugins and why any was disabled");
        }
        Resource resource;
        try {
            resource = resourceFor(run, type.get(), now);
        } catch (InvalidPropertiesException e) {
            return answered(ResultCode.CONFIG_ERROR, e.getMessage());
        } catch (IllegalArgumentException e) { // a resource name the type refuses
            return answered(ResultCode.CONFIG_ERROR, e.getMessage());
        } catch (MethodRejectedException e) {
            return answered(ResultCode.FAILED, e.getMessage());
        }
        try {
            return runtime.submit(resource, run.method(), options(run));
        } catch (MethodRejectedException e) {
            return answered(ResultCode.FAILED, e.getMessage());
        }
    }

    /**
     * The cached instance when type and properties are unchanged, else a new one.
     *
     * @throws InvalidPropertiesException  when the properties do not resolve against the type
     * @throws MethodRejectedException     when the old instance still runs a method
     */
    private Resource resourceFor(Effect.RunMethod run, ResourceType type, long now) {
        String name = run.resource();
        Cached c = cache.get(name);
        if (c != null && c.matches(type, run.properties())) {
            cache.put(name, new Cached(c.type(), c.properties(), c.resource(), now));
            return c.resource();
        }
        if (c != null) {
            String busy = claim(c.resource());
            if (busy != null) {
                throw new MethodRejectedException("resource " + name + " is running " + busy + " with its previous"
                        + " type or properties; " + run.method().jsName() + " was not started");
            }
            cache.remove(name);
        }
        Resource r = type.newResource(name, run.properties());
        cache.put(name, new Cached(type, Map.copyOf(run.properties()), r, now));
        return r;
    }

    /**
     * Drops entries idle for too long, and the least recently used idle ones while the cache is
     * full, leaving room for one more. Entries with a method in flight are skipped.
     */
    private void sweep(long now) {
        Iterator<Cached> it = cache.values().iterator();
        while (it.hasNext()) {
            Cached c = it.next();
            if (now - c.lastUsedNanos() < maxIdleNanos && cache.size() < maxCached) {
                return; // every later entry was used more recently
            }
            if (claim(c.resource()) == null) {
                it.remove();
            }
        }
    }

    /**
     * Claims an instance for good so that nothing runs on it once it leaves the cache: null when
     * claimed, else the method it is running (it then stays).
     */
    private static String claim(Resource r) {
        return r.tryBegin(RETIRED);
    }

    private static CallOptions options(Effect.RunMethod run) {
        // The core always sets a timeout; should one be missing, the resource's own <Method>_timeout
        // applies rather than a zero that would kill the method at once.
        Duration timeout = run.timeoutMs() > 0 ? Duration.ofMillis(run.timeoutMs()) : null;
        return new CallOptions(timeout, run.leaseDeadlineNanos());
    }

    private void answer(Effect.RunMethod run, MethodResult r, Throwable e) {
        ResultCode code = r != null ? r.code() : ResultCode.FAILED;
        String message = r != null ? describe(r) : "internal error in the method runtime: " + e;
        try {
            done.accept(new Input.MethodDone(run.runId(), code, cut(message)));
        } catch (RuntimeException ex) {
            LOG.error("the MethodDone callback failed for run {}", run.runId(), ex);
        }
        log(run, r, code, message);
    }

    private static void log(Effect.RunMethod run, MethodResult r, ResultCode code, String message) {
        String what = (run.method() == null ? "?" : run.method().jsName()) + " of " + run.resource();
        if (code == ResultCode.SUCCESS || code == ResultCode.NOT_RUNNING || code.isUp()) {
            LOG.info("run {}: {} -> {} {}", run.runId(), what, code, message);
        } else {
            LOG.warn("run {}: {} -> {} {}", run.runId(), what, code, message);
        }
        if (r != null && LOG.isDebugEnabled()) {
            r.log().forEach(line -> LOG.debug("run {} log: {}", run.runId(), line));
        }
    }

    /** The result's message, with the property problems a validate or the framework reported. */
    private static String describe(MethodResult r) {
        if (r.problems().isEmpty()) {
            return r.message();
        }
        return r.message() + ": " + r.problems().stream().map(PropertyProblem::toString)
                .collect(Collectors.joining("; "));
    }

    /** Cuts text to what a core message carries, marking the cut and never splitting a surrogate pair. */
    static String cut(String text) {
        if (text.length() <= Message.MAX_TEXT_CHARS) {
            return text;
        }
        int end = Message.MAX_TEXT_CHARS - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    private static CompletableFuture<MethodResult> answered(ResultCode code, String message) {
        return CompletableFuture.completedFuture(MethodResult.of(code, message));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
