package dev.baton.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for services under test. */
public final class FreePorts {
    private FreePorts() {
    }

    /**
     * A TCP port free on 127.0.0.1 a moment ago. Another process may take it before the service
     * binds; tests that fail that way say "Address already in use".
     */
    public static int tcp() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
