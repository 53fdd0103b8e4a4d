package dev.baton.runtime.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Sends one request line to a daemon's control socket and returns the answer line. */
public final class ControlClient {
    private ControlClient() {
    }

    public static Path socketOf(Path stateDir) {
        return stateDir.resolve("run").resolve("batond.sock");
    }

    public static String call(Path socket, String jsonLine) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(java.nio.ByteBuffer.wrap((jsonLine.strip() + "\n").getBytes(StandardCharsets.UTF_8)));
            InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(ch));
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (buf.size() > ControlServer.MAX_LINE_BYTES * 4) {
                    throw new IOException("answer longer than " + ControlServer.MAX_LINE_BYTES * 4 + " bytes");
                }
                buf.write(b);
            }
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
