package dev.baton.runtime.method;

import java.io.IOException;
import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.api.type.PropertyProblem;
import dev.baton.api.type.PropertyResolver;
import dev.baton.api.type.PropertyType;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;
import dev.baton.runtime.js.ContextPool;
import dev.baton.runtime.process.ProcessRunner;
import dev.baton.runtime.resource.Resource;
import dev.baton.runtime.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs resource methods: each call on a bounded executor, in a sandboxed JavaScript context,
 * with {@code ctx} as its only door, under a deadline after which everything it started is
 * killed and the call is reported TIMED_OUT. This timeout is authoritative (ARCHITECTURE.md,
 * rule 5); callers may keep a backstop. A call given a not-after deadline (a start's quorum
 * lease, {@link CallOptions#notAfterNanos}) never begins once it has passed, however long it queued.
 *
 * <p>Start reading at {@link #submit}; the per-call work is in {@link #run}.
 */
public final class MethodRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MethodRuntime.class);
    /**
     * How long after the deadline a caller still waits for the method's thread. A thread blocked
     * in a host call that ignores interrupts would otherwise hold the result back.
     */
    private static final Duration RESULT_BACKSTOP = Duration.ofSeconds(2);

    private final BatonConfig config;
    private final String nodeName;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final MethodServices services;
    private final Set<QueuedCall> queued = ConcurrentHashMap.newKeySet();

    /**
     * Per-call choices.
     *
     * @param timeoutOverride the method's timeout instead of the resource's {@code <Method>_timeout};
     *                        null keeps the property
     * @param notAfterNanos   a {@link System#nanoTime()} value from which on the method must not
     *                        begin: the quorum lease deadline a start was decided under
     *                        (ARCHITECTURE.md rule 4). A call can wait in the executor's queue, so it
     *                        is checked on the method's thread just before the method's function
     *                        runs; {@link #NO_DEADLINE} means none
     */
    public record CallOptions(Duration timeoutOverride, long notAfterNanos) {
        public static final long NO_DEADLINE = Long.MAX_VALUE;
        public static final CallOptions DEFAULT = new CallOptions(null, NO_DEADLINE);

        public CallOptions(Duration timeoutOverride) {
            this(timeoutOverride, NO_DEADLINE);
        }

        /** Runs the method with this timeout instead of the resource's {@code <Method>_timeout}. */
        public static CallOptions withTimeout(Duration timeout) {
            return new CallOptions(timeout);
        }
    }

    public MethodRuntime(BatonConfig config) {
        this.config = config;
        this.nodeName = nodeName(config);
        this.executor = MethodExecutors.create(config);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "baton-method-watchdog");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.services = MethodServices.from(config, new ProcessRunner(timer, config.get(ConfigKeys.FAILFAST_TAG)));
    }

    public String nodeName() {
        return nodeName;
    }

    /** Runs a method and waits for its result. */
    public MethodResult call(Resource resource, MethodName method) {
        return call(resource, method, CallOptions.DEFAULT);
    }

    public MethodResult call(Resource resource, MethodName method, CallOptions options) {
        return submit(resource, method, options).join();
    }

    /**
     * Queues a method call. The future always completes with a result (TIMED_OUT and internal
     * failures included), never exceptionally.
     *
     * @throws MethodRejectedException when the resource is already running a method or the queue is full
     */
    public CompletableFuture<MethodResult> submit(Resource resource, MethodName method, CallOptions options) {
        long lateNanos = lateByNanos(options.notAfterNanos());
        if (lateNanos >= 0) {
            // Answered at once, not after a wait in the queue, and the same whether or not the type
            // implements the method: past the deadline nothing is started.
            return CompletableFuture.completedFuture(MethodResult.of(ResultCode.FAILED,
                    leasePassedMessage(resource, method, lateNanos)));
        }
        if (!resource.type().descriptor().implementsMethod(method)) {
            return CompletableFuture.completedFuture(MethodResult.of(ResultCode.SUCCESS,
                    "type " + resource.type().name() + " does not implement " + method.jsName() + ": nothing to do"));
        }
        Duration timeout = options.timeoutOverride() != null ? options.timeoutOverride()
                : resource.properties().getDuration(method.timeoutProperty());
        String busy = resource.tryBegin(method.jsName());
        if (busy != null) {
            throw new MethodRejectedException("resource " + resource.name() + " is running " + busy
                    + "; " + method.jsName() + " was not started");
        }
        QueuedCall task = new QueuedCall(resource, method, timeout, options.notAfterNanos(), new CompletableFuture<>());
        queued.add(task);
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            queued.remove(task);
            resource.end();
            throw new MethodRejectedException("method queue full (" + config.get(ConfigKeys.METHOD_QUEUE_CAPACITY)
                    + " calls waiting); " + method.jsName() + " of " + resource.name() + " was not started");
        }
        return task.result;
    }

    /** A call waiting for, then running on, an executor thread. */
    private final class QueuedCall implements Runnable {
        final Resource resource;
        final MethodName method;
        final Duration timeout;
        final long notAfterNanos;
        final CompletableFuture<MethodResult> result;

        QueuedCall(Resource resource, MethodName method, Duration timeout, long notAfterNanos,
                CompletableFuture<MethodResult> result) {
            this.resource = resource;
            this.method = method;
            this.timeout = timeout;
            this.notAfterNanos = notAfterNanos;
            this.result = result;
        }

        @Override
        public void run() {
            if (queued.remove(this)) {
                result.complete(runGuarded(this));
            }
        }

        /** Completes a call that will never run; the resource is free again. */
        void abandon(String why) {
            if (queued.remove(this)) {
                resource.end();
                result.complete(MethodResult.of(ResultCode.FAILED, method.jsName() + " of " + resource.name()
                        + " did not run: " + why));
            }
        }
    }

    /**
     * Checks proposed property values for a new or changed resource: first the framework's
     * rules (types, bounds, required), then the type's own validate method. Every problem is
     * reported, each naming its property.
     */
    public MethodResult validate(ResourceType type, String resourceName, Map<String, String> values,
            CallOptions options) {
        PropertyResolver.Resolution r = PropertyResolver.resolve(type.descriptor(), values);
        if (!r.ok()) {
            return new MethodResult(ResultCode.CONFIG_ERROR, r.problems().size() + " property problem(s)",
                    r.problems(), List.of(), Duration.ZERO);
        }
        return call(type.newResource(resourceName, values), MethodName.VALIDATE, options);
    }

    private MethodResult runGuarded(QueuedCall task) {
        try {
            return run(task);
        } catch (RuntimeException | Error e) {
            LOG.error("internal error running {} of {}", task.method.jsName(), task.resource, e);
            return MethodResult.of(ResultCode.FAILED, "internal error in the method runtime: " + e);
        } finally {
            task.resource.end();
        }
    }

    private MethodResult run(QueuedCall task) {
        Resource resource = task.resource;
        MethodName method = task.method;
        MethodLog log = new MethodLog(resource.name(), method.jsName(), config.get(ConfigKeys.LOG_MAX_LINES),
                config.get(ConfigKeys.LOG_MAX_LINE_CHARS));
        MethodCall call = new MethodCall(resource, method, nodeName, task.timeout, log);
        Thread.interrupted(); // never start a call with an interrupt meant for an earlier one
        call.attachWorker(Thread.currentThread());
        ScheduledFuture<?> watchdog = timer.schedule(call::expire, task.timeout.toNanos(), TimeUnit.NANOSECONDS);
        ScheduledFuture<?> backstop = timer.schedule(() -> releaseStuckCaller(call, task.result),
                task.timeout.plus(RESULT_BACKSTOP).toNanos(), TimeUnit.NANOSECONDS);
        ContextPool pool = resource.type().contexts();
        ContextPool.Lease lease = null;
        ResultReader.Read read;
        try {
            lease = pool.acquire();
            lease.console().attach(line -> log.add(MethodLog.Level.INFO, "console: " + line));
            call.attachContext(lease.context());
            // Checked here, after the wait for a thread and for a context, and not only on submit:
            // both waits can outlast a lease, and nothing of the method may run once it has.
            long lateNanos = lateByNanos(task.notAfterNanos);
            if (lateNanos >= 0) {
                read = refuseLate(call, lateNanos);
            } else {
                var fn = lease.exports().getMember(method.jsName());
                read = ResultReader.fromReturn(call, fn.execute(new JsCtx(call, services)));
            }
        } catch (org.graalvm.polyglot.PolyglotException e) {
            read = ResultReader.fromException(call, e);
        } catch (IOException e) {
            read = new ResultReader.Read(ResultCode.FAILED, "cannot create a JavaScript context: " + e.getMessage(), false);
        } finally {
            watchdog.cancel(false);
            backstop.cancel(false);
            call.detach();
            Thread.interrupted(); // a deadline interrupt that arrived after the method returned
        }
        boolean mine = call.finish();
        if (lease != null) {
            pool.release(lease, mine && read.contextReusable());
        }
        return finalResult(call, read, mine);
    }

    private static ResultReader.Read refuseLate(MethodCall call, long lateNanos) {
        String message = leasePassedMessage(call.resource, call.method, lateNanos);
        call.log.add(MethodLog.Level.WARN, message);
        return new ResultReader.Read(ResultCode.FAILED, message, true);
    }

    /**
     * How long ago a not-after deadline passed; negative while a call may still begin. The
     * deadline itself is already too late: a lease is valid only strictly before it.
     */
    private static long lateByNanos(long notAfterNanos) {
        return notAfterNanos == CallOptions.NO_DEADLINE ? -1 : System.nanoTime() - notAfterNanos;
    }

    static String leasePassedMessage(Resource resource, MethodName method, long lateNanos) {
        return method.jsName() + " of " + resource.name() + " did not run: the lease deadline passed before it ran (by "
                + PropertyType.formatDuration(Duration.ofNanos(lateNanos)) + ")";
    }

    private MethodResult finalResult(MethodCall call, ResultReader.Read read, boolean mine) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - call.startNanos);
        ResultCode code = mine ? read.code() : ResultCode.TIMED_OUT;
        String message = mine ? read.message() : timedOutMessage(call);
        List<PropertyProblem> problems = call.problems();
        if (call.method == MethodName.VALIDATE && code == ResultCode.SUCCESS && !problems.isEmpty()) {
            code = ResultCode.CONFIG_ERROR;
            message = problems.size() + " property problem(s) reported by validate";
        }
        return new MethodResult(code, MethodLog.clip(message, config.get(ConfigKeys.MESSAGE_MAX_CHARS)), problems,
                call.log.lines(), elapsed);
    }

    /**
     * The deadline passed long ago and the method's thread has not come back: it is blocked in a
     * host call that ignores interrupts. The caller gets TIMED_OUT now; the resource stays busy
     * (later calls are refused) until the thread returns, because something of the call still runs.
     */
    private void releaseStuckCaller(MethodCall call, CompletableFuture<MethodResult> result) {
        String message = timedOutMessage(call) + "; its thread is still blocked in a host call, and the resource"
                + " refuses other methods until it returns";
        if (result.complete(new MethodResult(ResultCode.TIMED_OUT, message, call.problems(), call.log.lines(),
                Duration.ofNanos(System.nanoTime() - call.startNanos)))) {
            LOG.error("{} of {}: {}", call.method.jsName(), call.resource, message);
        }
    }

    static String timedOutMessage(MethodCall call) {
        return call.method.jsName() + " exceeded its timeout of " + PropertyType.formatDuration(call.timeout)
                + "; everything it started was killed";
    }

    private static String nodeName(BatonConfig config) {
        String configured = config.get(ConfigKeys.NODE_NAME);
        if (!configured.isBlank()) {
            return configured;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Stops the executor; calls still waiting for a thread complete as FAILED "did not run". */
    @Override
    public void close() {
        executor.shutdownNow();
        List.copyOf(queued).forEach(q -> q.abandon("the method runtime shut down"));
        timer.shutdownNow();
    }
}
