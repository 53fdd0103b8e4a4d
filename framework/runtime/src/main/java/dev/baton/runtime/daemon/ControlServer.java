package dev.baton.runtime.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.core.Event;
import dev.baton.core.Input;
import dev.baton.core.rgm.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket: a Unix domain socket in the state directory's run folder, speaking one JSON
 * object per line each way. Only the daemon's own user may use it: the folder is 0700, the socket
 * 0600, and every connection's peer credentials (SO_PEERCRED) are checked against the daemon's user
 * before a line is read. Requests: {@code status}, {@code rgm} (an RGM request, e.g.
 * {@code {"op":"rgm","request":"switchover","group":"web","node":2}}), {@code propose} (a CCR table
 * change) and {@code events}. Bounded: lines up to {@value #MAX_LINE_BYTES} bytes, at most
 * {@value #MAX_CLIENTS} clients at once, answers waited for up to {@value #ANSWER_TIMEOUT_MS} ms.
 */
final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    static final int MAX_LINE_BYTES = 1024 * 1024;
    static final int MAX_CLIENTS = 16;
    static final long ANSWER_TIMEOUT_MS = 15_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socketPath;
    private final Batond daemon;
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicLong requestIds = new AtomicLong(System.nanoTime() & 0xFFFF_FFFFL);
    private ServerSocketChannel server;
    private volatile boolean closed;

    ControlServer(Path socketPath, Batond daemon) {
        this.socketPath = socketPath;
        this.daemon = daemon;
    }

    void start() throws IOException {
        Files.createDirectories(socketPath.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(socketPath.getParent(), PosixFilePermissions.fromString("rwx------"));
        Files.deleteIfExists(socketPath);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath));
        Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
        Thread.ofPlatform().daemon().name("control-accept").start(this::accept);
        LOG.info("control socket {}", socketPath);
    }

    private void accept() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                if (clients.incrementAndGet() > MAX_CLIENTS) {
                    clients.decrementAndGet();
                    client.close();
                    continue;
                }
                Thread.ofVirtual().name("control-client").start(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("control socket accept failed: {}", e.toString());
                    Transport.sleepQuietly(100);
                }
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client; InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(client));
             OutputStream out = Channels.newOutputStream(client)) {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String own = System.getProperty("user.name");
            if (!peer.user().getName().equals(own)) {
                LOG.warn("control socket: refused user {} (only {} may use it)", peer.user().getName(), own);
                write(out, error("only user " + own + " may use this control socket"));
                return;
            }
            String line;
            while ((line = readLine(in)) != null) {
                write(out, answer(line));
            }
        } catch (IOException e) {
            LOG.debug("control client gone: {}", e.toString());
        } finally {
            clients.decrementAndGet();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (buf.size() >= MAX_LINE_BYTES) {
                throw new IOException("request line longer than " + MAX_LINE_BYTES + " bytes");
            }
            buf.write(b);
        }
        return b == -1 && buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
    }

    private static void write(OutputStream out, JsonNode node) throws IOException {
        out.write((JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    JsonNode answer(String line) {
        JsonNode request;
        try {
            request = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return error("not JSON: " + e.getOriginalMessage());
        }
        String op = request.path("op").asText("");
        try {
            return switch (op) {
                case "status" -> onLoop(() -> DaemonStatus.of(daemon));
                case "events" -> JSON.valueToTree(Map.of("ok", true, "events", daemon.events().recent()));
                case "rgm" -> rgm(request);
                case "propose" -> propose(request);
                default -> error("unknown op '" + op + "' (status, events, rgm, propose)");
            };
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        }
    }

    private JsonNode onLoop(java.util.function.Supplier<Map<String, Object>> task) {
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        if (!daemon.loop().submit(() -> result.complete(task.get()))) {
            return error("the daemon is busy (inbox full); try again");
        }
        try {
            return JSON.valueToTree(result.get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            return error("no answer from the event loop: " + e);
        }
    }

    private JsonNode rgm(JsonNode r) {
        String kind = r.path("request").asText("");
        Request request = switch (kind) {
            case "online" -> new Request.Online(text(r, "group"));
            case "offline" -> new Request.Offline(text(r, "group"));
            case "switchover" -> new Request.Switchover(text(r, "group"), number(r, "node"));
            case "evacuate" -> new Request.Evacuate(number(r, "node"), r.path("forMs").asLong(60_000));
            case "suspend" -> new Request.Suspend(text(r, "group"));
            case "resume" -> new Request.Resume(text(r, "group"));
            case "unmanage" -> new Request.Unmanage(text(r, "group"));
            case "manage" -> new Request.Manage(text(r, "group"));
            case "clear" -> new Request.Clear(text(r, "resource"), number(r, "node"));
            default -> throw new IllegalArgumentException("unknown rgm request '" + kind
                    + "' (online, offline, switchover, evacuate, suspend, resume, unmanage, manage, clear)");
        };
        long id = requestIds.incrementAndGet();
        return awaitAnswer(id, new Input.RgmCommand(id, request));
    }

    private JsonNode propose(JsonNode r) {
        long id = requestIds.incrementAndGet();
        return awaitAnswer(id, new Input.ProposeChange(id, text(r, "table"), text(r, "content")));
    }

    private JsonNode awaitAnswer(long id, Input input) {
        var waiter = daemon.events().await(id);
        if (waiter.isEmpty()) {
            return error("too many requests are waiting for answers; try again");
        }
        daemon.loop().offer(input);
        try {
            Event answer = waiter.get().get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return switch (answer) {
                case Event.RgmRequestAnswered a -> a.refusal().map(ControlServer::error)
                        .orElseGet(() -> JSON.valueToTree(Map.of("ok", true)));
                case Event.ChangeCommitted c -> JSON.valueToTree(Map.of("ok", true, "version", c.version().toString()));
                case Event.ChangeFailed f -> error(f.reason());
                case Event.ChangeInDoubt d -> error("in doubt: " + d.reason());
                default -> error("unexpected answer " + answer);
            };
        } catch (TimeoutException e) {
            daemon.events().forget(id);
            return error("no answer within " + ANSWER_TIMEOUT_MS + " ms (is this node a member of a quorate cluster?)");
        } catch (Exception e) {
            daemon.events().forget(id);
            return error("interrupted: " + e);
        }
    }

    private static String text(JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("missing text field '" + field + "'");
        }
        return v.asText();
    }

    private static int number(JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException("missing integer field '" + field + "'");
        }
        return v.asInt();
    }

    static ObjectNode error(String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ok", false);
        n.put("error", message);
        return n;
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (server != null) {
                server.close();
            }
            Files.deleteIfExists(socketPath);
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
