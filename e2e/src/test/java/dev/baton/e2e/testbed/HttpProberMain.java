package dev.baton.e2e.testbed;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
  * The HTTP prober that {@link HttpProbe} runs inside the client namespace (the test JVM lives in
  * the root namespace and cannot reach the testbed's addresses). One request per stdin line
  * {@code GET <url> <timeoutMs>}, one answer line each:
  * {@code OK <status> <latencyNanos> <base64 body>} or {@code ERR <latencyNanos> <reason>}.
  * Each request opens a new connection (HTTP/1.0, Connection: close), so an answer always comes
  * from whoever holds the address now, never from a kept-alive connection to the old holder.
  */
public final class HttpProberMain {

    static final String READY = "READY";
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_RESPONSE_BYTES = MAX_BODY_BYTES + 16 * 1024;

    private HttpProberMain() {}

    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println(READY);
        out.flush();
        for (String line; (line = in.readLine()) != null; ) {
            out.println(answer(line));
            out.flush();
        }
    }

    static String answer(String request) {
        String[] parts = request.split(" ");
        if (parts.length != 3 || !parts[0].equals("GET")) {
            return "ERR 0 bad request line, want 'GET <url> <timeoutMs>'";
        }
        long startNanos = System.nanoTime();
        try {
            URI uri = URI.create(parts[1]);
            int timeoutMs = Math.max(1, Integer.parseInt(parts[2]));
            byte[] response = fetch(uri, timeoutMs);
            return parse(response, System.nanoTime() - startNanos);
        } catch (IOException | RuntimeException e) {
            return "ERR " + (System.nanoTime() - startNanos) + " " + oneLine(e.toString());
        }
    }

    private static byte[] fetch(URI uri, int timeoutMs) throws IOException {
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("only http://host[:port]/path URLs: " + uri);
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            OutputStream request = socket.getOutputStream();
            request.write(("GET " + path + " HTTP/1.0\r\nHost: " + uri.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();
            return readBounded(socket.getInputStream());
        }
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0 && response.size() < MAX_RESPONSE_BYTES; ) {
            response.write(buffer, 0, Math.min(n, MAX_RESPONSE_BYTES - response.size()));
        }
        return response.toByteArray();
    }

    private static String parse(byte[] response, long latencyNanos) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n");
        String[] statusLine = text.substring(0, Math.max(0, text.indexOf("\r\n"))).split(" ");
        if (headerEnd < 0 || statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            return "ERR " + latencyNanos + " not an HTTP response (" + response.length + " bytes)";
        }
        byte[] body = java.util.Arrays.copyOfRange(response, headerEnd + 4, Math.min(response.length, headerEnd + 4 + MAX_BODY_BYTES));
        return "OK " + Integer.parseInt(statusLine[1]) + " " + latencyNanos + " " + Base64.getEncoder().encodeToString(body);
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }
}
