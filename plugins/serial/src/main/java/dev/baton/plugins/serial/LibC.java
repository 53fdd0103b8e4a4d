package dev.baton.plugins.serial;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls a tty needs, by direct JNA mapping (about twice as fast per call as an
 * interface). Constants are Linux ones, equal on x86-64 and arm64. Every call returns -1 and
 * leaves errno in {@link Native#getLastError()} on failure; {@link #failure} turns that into a
 * message.
 */
final class LibC {
    static final int O_RDWR = 2;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;

    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EAGAIN = 11;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    static final int TCSANOW = 0;
    static final int TCIOFLUSH = 2;
    static final int VTIME = 5;
    static final int VMIN = 6;
    static final int CREAD = 0200;
    static final int CLOCAL = 04000;
    static final int CRTSCTS = 020000000000;

    static {
        if (!Platform.isLinux()) {
            throw new IllegalStateException("the serial heartbeat path runs on Linux only");
        }
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    /** open(2) without a mode: the path is never created. */
    static native int open(String path, int flags);

    static native int close(int fd);

    static native long read(int fd, Pointer buffer, long count);

    static native long write(int fd, Pointer buffer, long count);

    static native int poll(Pointer pollFds, long count, int timeoutMs);

    static native int pipe2(int[] fds, int flags);

    static native int tcgetattr(int fd, Termios termios);

    static native int tcsetattr(int fd, int when, Termios termios);

    static native void cfmakeraw(Termios termios);

    static native int cfsetispeed(Termios termios, int speed);

    static native int cfsetospeed(Termios termios, int speed);

    static native int cfgetospeed(Termios termios);

    static native int tcflush(int fd, int queue);

    static native String strerror(int errno);

    /** The errno of the last failed call on this thread. */
    static int errno() {
        return Native.getLastError();
    }

    /** "what: strerror (errno N)" for the errno the last call left. */
    static String failure(String what) {
        int errno = errno();
        return what + ": " + strerror(errno) + " (errno " + errno + ")";
    }
}
