package dev.baton.plugins.serial;

import com.sun.jna.Memory;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One open tty in raw mode: bytes in, bytes out, nothing else. The descriptor stays non-blocking
 * and every wait is a poll(2) with a deadline, so no call blocks past its time. A pipe wakes a
 * waiting reader or writer when {@link #close} is called; the descriptor is closed only after
 * they left, so its number is never reused under them.
 *
 * <p>One reader and one writer may work at the same time; {@link #close} may come from any thread.
 */
final class SerialLine implements AutoCloseable {
    /** The line did not take a whole frame in time: the peer is slow or gone, the line itself may be fine. */
    static final class WriteTimeoutException extends IOException {
        WriteTimeoutException(String message) {
            super(message);
        }
    }

    /** A wait is cut in slices this long so a thread interrupt is noticed. */
    private static final long POLL_SLICE_MS = 100;
    private static final int POLLFD_BYTES = 8;

    private final String device;
    private final int fd;
    private final int[] wakePipe;
    private final Memory readPollFds = new Memory(2 * POLLFD_BYTES);
    private final Memory writePollFds = new Memory(2 * POLLFD_BYTES);
    private final Memory readBuffer = new Memory(FrameFormat.MAX_WIRE_BYTES);
    private final Memory writeBuffer = new Memory(FrameFormat.MAX_WIRE_BYTES);
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean closing;
    private boolean closed;

    private SerialLine(String device, int fd, int[] wakePipe) {
        this.device = device;
        this.fd = fd;
        this.wakePipe = wakePipe;
    }

    /** Opens the tty, makes it a raw 8N1 line at {@code speed} with modem lines ignored, and drops stale bytes. */
    static SerialLine open(Path device, BaudRate speed) throws IOException {
        String path = device.toString();
        int fd = LibC.open(path, LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException(LibC.failure("cannot open serial device " + path));
        }
        try {
            configure(fd, path, speed);
            return new SerialLine(path, fd, wakePipe(path));
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    private static void configure(int fd, String path, BaudRate speed) throws IOException {
        Termios t = new Termios();
        check(LibC.tcgetattr(fd, t), path + " is not a tty (tcgetattr)");
        LibC.cfmakeraw(t);
        // CLOCAL: no carrier needed (a null-modem cable has none); no hardware flow control.
        t.c_cflag = (t.c_cflag | LibC.CLOCAL | LibC.CREAD) & ~LibC.CRTSCTS;
        t.c_cc[LibC.VMIN] = 0;
        t.c_cc[LibC.VTIME] = 0;
        check(LibC.cfsetispeed(t, speed.termiosCode()), "cannot set input speed " + speed.bitsPerSecond() + " on " + path);
        check(LibC.cfsetospeed(t, speed.termiosCode()), "cannot set output speed " + speed.bitsPerSecond() + " on " + path);
        check(LibC.tcsetattr(fd, LibC.TCSANOW, t), "cannot configure " + path + " (tcsetattr)");
        // Bytes queued before we opened belong to nobody's current conversation.
        check(LibC.tcflush(fd, LibC.TCIOFLUSH), "cannot flush " + path);
    }

    private static int[] wakePipe(String path) throws IOException {
        int[] fds = new int[2];
        check(LibC.pipe2(fds, LibC.O_NONBLOCK | LibC.O_CLOEXEC), "cannot create the wake pipe for " + path);
        return fds;
    }

    private static void check(int result, String what) throws IOException {
        if (result < 0) {
            throw new IOException(LibC.failure(what));
        }
    }

    String device() {
        return device;
    }

    /** The output speed the tty is set to now, read back from the driver. */
    BaudRate currentSpeed() throws IOException {
        Termios t = new Termios();
        check(LibC.tcgetattr(fd, t), "tcgetattr on " + device);
        int code = LibC.cfgetospeed(t);
        return BaudRate.ofTermiosCode(code).orElseThrow(() -> new IOException(device + " runs at a speed code "
                + Integer.toOctalString(code) + " (octal) that is not a standard rate"));
    }

    /**
     * Reads what has arrived, waiting up to {@code maxWaitNanos} for the first byte.
     *
     * @return the number of bytes read into {@code target}; 0 when nothing came in time
     * @throws EOFException           when the other end hung up
     * @throws ClosedChannelException when the line was closed
     */
    int read(byte[] target, int offset, int maxBytes, long maxWaitNanos) throws IOException, InterruptedException {
        if (maxBytes <= 0) {
            // read(2) of 0 bytes returns 0, which would look like the end of the file.
            throw new IllegalArgumentException("reading " + maxBytes + " bytes");
        }
        readLock.lock();
        try {
            long deadline = System.nanoTime() + maxWaitNanos;
            while (true) {
                requireOpen();
                if (!awaitReady(readPollFds, LibC.POLLIN, deadline)) {
                    return 0;
                }
                int n = readNow(target, offset, Math.min(maxBytes, FrameFormat.MAX_WIRE_BYTES));
                if (n > 0) {
                    return n;
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    /** Bytes read (more than 0), or 0 when the read would block after all; throws on hang-up or error. */
    private int readNow(byte[] target, int offset, int maxBytes) throws IOException {
        long n = LibC.read(fd, readBuffer, maxBytes);
        if (n > 0) {
            readBuffer.read(0, target, offset, (int) n);
            return (int) n;
        }
        if (n == 0) {
            throw new EOFException("serial line " + device + " hung up (end of file)");
        }
        return nothingOrThrow("read from");
    }

    /**
     * Writes all of {@code bytes} or fails: an IOException once {@code timeoutNanos} passed with
     * part of it still unwritten (the other end is not reading and the buffers are full).
     */
    void writeFully(byte[] bytes, long timeoutNanos) throws IOException, InterruptedException {
        if (bytes.length > FrameFormat.MAX_WIRE_BYTES) {
            throw new IllegalArgumentException(bytes.length + " bytes exceed one frame");
        }
        writeLock.lock();
        try {
            writeBuffer.write(0, bytes, 0, bytes.length);
            long deadline = System.nanoTime() + timeoutNanos;
            int written = 0;
            while (written < bytes.length) {
                requireOpen();
                if (!awaitReady(writePollFds, LibC.POLLOUT, deadline)) {
                    throw new WriteTimeoutException("serial line " + device + " took only " + written + " of " + bytes.length
                            + " bytes in " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                            + " ms: is the other end reading?");
                }
                written += writeNow(written, bytes.length - written);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private int writeNow(int offset, int count) throws IOException {
        long n = LibC.write(fd, writeBuffer.share(offset), count);
        if (n >= 0) {
            return (int) n;
        }
        return nothingOrThrow("write to");
    }

    /** After a failed read or write: 0 when it only would have blocked, else the hang-up or error. */
    private int nothingOrThrow(String operation) throws IOException {
        int errno = LibC.errno();
        if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
            return 0;
        }
        if (errno == LibC.EIO) {
            throw new EOFException("serial line " + device + " hung up (" + LibC.strerror(errno) + ")");
        }
        throw new IOException(LibC.failure(operation + " " + device));
    }

    /**
     * Waits, one slice at a time, until the tty is ready for {@code events} or the deadline passed.
     * A hang-up or error counts as ready: the read or write that follows reports it.
     */
    private boolean awaitReady(Memory pollFds, short events, long deadlineNanos) throws IOException, InterruptedException {
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("waiting on serial line " + device);
            }
            // At least one poll, with a zero timeout once the deadline passed: a zero wait still sees what is there.
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadlineNanos - System.nanoTime()) + 999_999);
            boolean ready = pollOnce(pollFds, events, (int) Math.min(POLL_SLICE_MS, remainingMs)) > 0;
            requireOpen();
            if (ready) {
                return true;
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
        }
    }

    /** poll(2) on the tty and the wake pipe; > 0 when the tty has an event, 0 on timeout or EINTR. */
    private int pollOnce(Memory pollFds, short events, int timeoutMs) throws IOException {
        pollFds.setInt(0, fd);
        pollFds.setShort(4, events);
        pollFds.setShort(6, (short) 0);
        pollFds.setInt(POLLFD_BYTES, wakePipe[0]);
        pollFds.setShort(POLLFD_BYTES + 4, LibC.POLLIN);
        pollFds.setShort(POLLFD_BYTES + 6, (short) 0);
        int n = LibC.poll(pollFds, 2, timeoutMs);
        if (n < 0) {
            if (LibC.errno() == LibC.EINTR) {
                return 0;
            }
            throw new IOException(LibC.failure("poll on " + device));
        }
        short revents = pollFds.getShort(6);
        if ((revents & LibC.POLLNVAL) != 0) {
            throw new IOException("serial line " + device + ": descriptor no longer valid");
        }
        return revents != 0 ? 1 : 0;
    }

    private void requireOpen() throws ClosedChannelException {
        if (closing) {
            throw new ClosedChannelException();
        }
    }

    /** Idempotent. Wakes a waiting reader and writer, waits for them to leave, then closes the tty. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closing = true;
        try (Memory one = new Memory(1)) {
            one.setByte(0, (byte) 1);
            LibC.write(wakePipe[1], one, 1);
        }
        readLock.lock();
        writeLock.lock();
        try {
            LibC.close(fd);
            LibC.close(wakePipe[0]);
            LibC.close(wakePipe[1]);
            closed = true;
        } finally {
            writeLock.unlock();
            readLock.unlock();
        }
    }
}
