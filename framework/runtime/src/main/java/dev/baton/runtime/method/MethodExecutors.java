package dev.baton.runtime.method;

import java.util.List;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;

import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded executors method calls run on. Platform threads are the default: GraalJS guest
 * code never yields its carrier, so on virtual threads a few CPU-bound methods would hold every
 * carrier (there are as many as cores) and delay all other calls until their timeouts. Virtual
 * threads work with GraalJS contexts (GraalJsOnVirtualThreadsTest proves it) and may be chosen
 * with {@code method.executor=virtual}.
 */
final class MethodExecutors {
    private MethodExecutors() {
    }

    static ExecutorService create(BatonConfig config) {
        int threads = config.get(ConfigKeys.METHOD_THREADS);
        int queue = config.get(ConfigKeys.METHOD_QUEUE_CAPACITY);
        return switch (config.get(ConfigKeys.METHOD_EXECUTOR)) {
            case PLATFORM -> platform(threads, queue);
            case VIRTUAL -> new BoundedVirtualExecutor(threads, queue);
        };
    }

    private static ExecutorService platform(int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "baton-method-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** A virtual thread per call, at most {@code concurrency} running and {@code queue} waiting. */
    private static final class BoundedVirtualExecutor extends AbstractExecutorService {
        private final ExecutorService delegate = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("baton-method-v", 1).factory());
        private final Semaphore running;
        private final Semaphore admitted;

        BoundedVirtualExecutor(int concurrency, int queue) {
            this.running = new Semaphore(concurrency, true);
            this.admitted = new Semaphore(concurrency + queue);
        }

        @Override
        public void execute(Runnable task) {
            if (!admitted.tryAcquire()) {
                throw new RejectedExecutionException("queue full");
            }
            delegate.execute(() -> {
                try {
                    running.acquire();
                    try {
                        task.run();
                    } finally {
                        running.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    admitted.release();
                }
            });
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }
    }
}
