package dev.baton.runtime.guard;

import dev.baton.runtime.process.ProcessTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Batond's side of the guard ({@link GuardMain}): starts it, then tells it the lease deadline,
 * the addresses and when to stand down, over the guard's stdin.
 *
 * <p>No call blocks: each records the wanted state and wakes a writer thread, which sends the
 * newest state when the pipe takes it. A stalled guard (a full pipe) stalls only that thread, and
 * the ARMs it could not send are coalesced into the newest, which is all the guard needs: a
 * deadline is replaced, never queued.
 *
 * <p><b>A dead guard is fatal.</b> When {@link #alive()} turns false (the guard exited, or the
 * pipe broke) nobody enforces this node's failfast any more; batond must then fail fast itself
 * ({@link Failfast#killEverything} and {@link Failfast#finish}) rather than run on unguarded.
 */
public final class GuardClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuardClient.class);
    /** How long {@link #close} waits for the guard to exit after BYE before it kills it. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final Process process;
    private final OutputStream stdin;
    private final String startReport;
    private final Thread writer;
    /** Real-time priority of the writer: with batond's event loop, below the guard itself. */
    static final int WRITER_PRIORITY = 60;
    private final boolean realtimeWriter;
    private final Object lock = new Object();
    // The wanted state, guarded by lock; a version changes with every call so none is lost.
    private long armVersion;
    private boolean armed;
    private long deadlineNanos;
    private long addressVersion;
    private Set<String> addresses = Set.of();
    private boolean bye;
    // What the writer has handed to the pipe, guarded by lock.
    private long writtenArmVersion;
    private long writtenAddressVersion;
    private volatile IOException writeFailure;

    private GuardClient(Process process, String startReport, boolean realtimeWriter) {
        this.realtimeWriter = realtimeWriter;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.startReport = startReport;
        this.writer = new Thread(this::writeLoop, "baton-guard-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Starts the guard, checks that it shares this JVM's monotonic clock (HELLO) and waits for it to
     * be ready. The guard then watches for batond's death; call {@link #arm} before running anything.
     *
     * @throws IOException when the guard cannot start, refuses (its reason is in the message), or
     *                     does not answer within {@link GuardSettings#startTimeout()}
     */
    public static GuardClient start(GuardSettings settings) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(settings.command());
        pb.environment().remove(ProcessTag.ENV); // the guard's own commands must not be tagged
        pb.redirectError(settings.logFile() == null ? ProcessBuilder.Redirect.INHERIT
                : ProcessBuilder.Redirect.appendTo(settings.logFile().toFile()));
        Process process = pb.start();
        try {
            byte[] hello = (new GuardCommand.Hello(System.nanoTime()).line() + "\n").getBytes(StandardCharsets.US_ASCII);
            process.getOutputStream().write(hello); // an empty pipe takes a short line without blocking
            process.getOutputStream().flush();
            return new GuardClient(process, awaitReady(process, settings.startTimeout()), settings.realtimePriority() > 0);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static String awaitReady(Process process, Duration timeout) throws IOException {
        BoundedLines out = new BoundedLines(process.getInputStream(), GuardCommand.MAX_LINE_CHARS);
        CompletableFuture<BoundedLines.Line> first = new CompletableFuture<>();
        Thread.ofVirtual().name("baton-guard-ready").start(() -> {
            try {
                first.complete(out.next());
            } catch (IOException e) {
                first.completeExceptionally(e);
            }
        });
        BoundedLines.Line line;
        try {
            line = first.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the guard did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException("cannot read the guard's answer: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the guard", e);
        }
        return readyReport(line);
    }

    private static String readyReport(BoundedLines.Line line) throws IOException {
        if (line == null) {
            throw new IOException("the guard exited before answering (see its log)");
        }
        if (line.text().startsWith("READY")) {
            return line.text().substring("READY".length()).strip();
        }
        if (line.text().startsWith("REFUSED")) {
            throw new IOException("the guard refused to start: " + line.text().substring("REFUSED".length()).strip());
        }
        throw new IOException("the guard answered '" + line.text() + "' instead of READY");
    }

    /**
     * The guard fires when {@code deadlineNanos} ({@link System#nanoTime()} of this JVM) passes
     * without a newer ARM. An ARM that reaches the guard after the previous deadline fires it too.
     */
    public void arm(long deadlineNanos) {
        synchronized (lock) {
            armed = true;
            this.deadlineNanos = deadlineNanos;
            armVersion++;
            lock.notifyAll();
        }
    }

    /**
     * The addresses the guard removes when it fires, replacing the previous set.
     *
     * @throws IllegalArgumentException naming a bad address, or when there are too many
     */
    public void addresses(Set<String> wanted) {
        GuardCommand.Addrs checked = new GuardCommand.Addrs(wanted);
        synchronized (lock) {
            addresses = checked.addresses();
            addressVersion++;
            lock.notifyAll();
        }
    }

    /** Nothing runs here: the guard fires for nothing (not even batond's death) until the next ARM. */
    public void disarm() {
        synchronized (lock) {
            armed = false;
            armVersion++;
            lock.notifyAll();
        }
    }

    /** Whether the guard still runs and hears us. False is fatal for batond: see the class comment. */
    public boolean alive() {
        synchronized (lock) {
            if (bye) {
                return false;
            }
        }
        return writeFailure == null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** What the guard reported when it became ready: memory locking, real-time scheduling, what it saw. */
    public String startReport() {
        return startReport;
    }

    /** Says BYE (the guard exits without killing) and waits a little for it; a guard that lingers is killed. */
    @Override
    public void close() {
        synchronized (lock) {
            if (bye) {
                return;
            }
            bye = true;
            lock.notifyAll();
        }
        try {
            if (!process.waitFor(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("guard pid {} did not exit within {} ms of BYE; killing it", process.pid(), CLOSE_WAIT.toMillis());
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The guard process, for tests that watch its exit. */
    Process process() {
        return process;
    }

    /**
     * Waits until everything asked so far is in the pipe, where the guard reads it before it could
     * see the pipe's end. For tests that kill batond right after a command.
     */
    boolean awaitWritten(Duration timeout) throws InterruptedException {
        long limit = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (writtenArmVersion != armVersion || writtenAddressVersion != addressVersion) {
                long leftNanos = limit - System.nanoTime();
                if (leftNanos <= 0 || writeFailure != null) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, leftNanos);
            }
            return true;
        }
    }

    private void writeLoop() {
        // The deadline must reach the guard before it passes even when the machine is busy (a daemon
        // starting beside this one starved a normal-priority writer past a 450 ms lease): real-time
        // like the event loop where the host grants it, else the refusal is harmless.
        if (realtimeWriter) {
            Realtime.trySetFifo(WRITER_PRIORITY);
        }
        long sentArm = 0;
        long sentAddresses = 0;
        try {
            while (true) {
                List<String> lines = new ArrayList<>();
                boolean last;
                synchronized (lock) {
                    while (armVersion == sentArm && addressVersion == sentAddresses && !bye) {
                        lock.wait();
                    }
                    // Addresses first: they must be known before a deadline they belong to can pass.
                    if (addressVersion != sentAddresses) {
                        lines.add(new GuardCommand.Addrs(addresses).line());
                        sentAddresses = addressVersion;
                    }
                    if (armVersion != sentArm) {
                        lines.add(armed ? new GuardCommand.Arm(deadlineNanos).line() : new GuardCommand.Disarm().line());
                        sentArm = armVersion;
                    }
                    last = bye;
                }
                if (last) {
                    lines.add(new GuardCommand.Bye().line());
                }
                send(lines);
                synchronized (lock) {
                    writtenArmVersion = sentArm;
                    writtenAddressVersion = sentAddresses;
                    lock.notifyAll();
                }
                if (last) {
                    stdin.close();
                    return;
                }
            }
        } catch (IOException e) {
            writeFailure = e;
            if (alive()) {
                LOG.error("the guard (pid {}) no longer hears batond: {}", process.pid(), e.getMessage());
            } else {
                LOG.debug("the guard (pid {}) had exited: {}", process.pid(), e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(List<String> lines) throws IOException {
        StringBuilder b = new StringBuilder();
        lines.forEach(l -> b.append(l).append('\n'));
        stdin.write(b.toString().getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
    }
}
