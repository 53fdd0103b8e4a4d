package dev.baton.runtime.method;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The network checks behind {@code ctx.tcpCheck} and {@code ctx.httpGet}; every wait is bounded. */
final class Probes {
    private Probes() {
    }

    /** Whether a TCP connection to host:port opens within the timeout. */
    static boolean tcpCheck(String host, int port, int timeoutMs) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), Math.max(1, timeoutMs));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * One GET, no redirects followed, no proxy, a fresh connection. Never throws for network
     * failures: {@code status} is 0 and {@code error} says why.
     *
     * @return status, body (at most maxBodyBytes, UTF-8), truncated, error, elapsedMs
     */
    static Map<String, Object> httpGet(String url, int timeoutMs, int maxBodyBytes, Map<String, String> headers) {
        long start = System.nanoTime();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", 0);
        result.put("body", "");
        result.put("truncated", false);
        result.put("error", null);
        HttpURLConnection c = null;
        try {
            c = open(url, timeoutMs, headers);
            int status = c.getResponseCode();
            result.put("status", status);
            readBody(c, maxBodyBytes, start + timeoutMs * 1_000_000L, result);
        } catch (IOException e) {
            result.put("error", describe(e));
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
        result.put("elapsedMs", (System.nanoTime() - start) / 1_000_000);
        return result;
    }

    private static HttpURLConnection open(String url, int timeoutMs, Map<String, String> headers) throws IOException {
        URL u = URI.create(url).toURL();
        if (!u.getProtocol().equals("http") && !u.getProtocol().equals("https")) {
            throw new IllegalArgumentException("ctx.httpGet: only http and https URLs, not '" + url + "'");
        }
        HttpURLConnection c = (HttpURLConnection) u.openConnection(Proxy.NO_PROXY);
        c.setConnectTimeout(Math.max(1, timeoutMs));
        c.setReadTimeout(Math.max(1, timeoutMs));
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        // A probe must see the server as a new client would: no pooled connection.
        c.setRequestProperty("Connection", "close");
        c.setRequestProperty("User-Agent", "baton-probe");
        headers.forEach(c::setRequestProperty);
        return c;
    }

    /**
     * Reads at most maxBodyBytes, and stops at the deadline: the read timeout bounds each read
     * only, and a server dripping a byte at a time must not hold the method past its deadline
     * (a blocked socket read ignores the deadline's interrupt).
     */
    private static void readBody(HttpURLConnection c, int maxBodyBytes, long deadlineNanos, Map<String, Object> result)
            throws IOException {
        InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in == null) {
            return;
        }
        try (in) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n = 0;
            while (body.size() < maxBodyBytes && System.nanoTime() < deadlineNanos
                    && (n = in.read(buf, 0, Math.min(buf.length, maxBodyBytes - body.size()))) >= 0) {
                body.write(buf, 0, n);
            }
            result.put("body", body.toString(StandardCharsets.UTF_8));
            if (n >= 0 && body.size() < maxBodyBytes) {
                result.put("truncated", true);
                result.put("error", "timed out reading the body");
            } else {
                result.put("truncated", n >= 0 && in.read() >= 0);
            }
        }
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return switch (kind) {
            case "ConnectException" -> "connection refused";
            case "SocketTimeoutException", "HttpTimeoutException" -> "timed out";
            case "UnknownHostException" -> "unknown host " + e.getMessage();
            default -> kind + (e.getMessage() == null ? "" : ": " + e.getMessage());
        };
    }
}
