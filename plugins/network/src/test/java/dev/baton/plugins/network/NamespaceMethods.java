package dev.baton.plugins.network;

import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.api.type.PropertyProblem;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Calls methods of the network plugin's types on a node, inside the node's namespace: a JVM of its
 * own ({@link NamespaceMethodsMain}, started with `ip netns exec`) runs the calls, so every command
 * the JavaScript runs sees that node's adapters. One line per request and per reply, each field
 * URL-encoded.
 */
final class NamespaceMethods implements AutoCloseable {
    static final String READY = "@@ready";
    private static final String REPLY = "@@ ";
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final String TYPE = "logical_hostname";

    private final NetnsLab.Node node;
    private final Process process;
    private final Writer requests;
    private final Path stderr;
    private final BlockingQueue<String> replies = new ArrayBlockingQueue<>(16);

    private NamespaceMethods(NetnsLab.Node node, Process process, Path stderr) {
        this.node = node;
        this.process = process;
        this.stderr = stderr;
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofVirtual().name("replies-" + node.id()).start(this::readReplies);
    }

    /** Starts the method JVM in the node's namespace and waits until it has loaded the plugin. */
    static NamespaceMethods launch(NetnsLab.Node node) throws IOException {
        Path stderr = Files.createTempFile("methods-" + node.id(), ".log");
        Process p = new ProcessBuilder(NamespaceJvm.command(node, NamespaceMethodsMain.class, Map.of()))
                .directory(NamespaceJvm.moduleDir().toFile()).redirectError(stderr.toFile()).start();
        NamespaceMethods m = new NamespaceMethods(node, p, stderr);
        String first = m.next(LOAD_TIMEOUT);
        if (!READY.equals(first)) {
            m.close();
            throw new IllegalStateException("method JVM in " + node.ns() + " did not load the plugin: " + first + "\n" + m.stderrText());
        }
        return m;
    }

    Reply start(String name, Map<String, String> props) {
        return call(MethodName.START, name, props, null);
    }

    Reply stop(String name, Map<String, String> props) {
        return call(MethodName.STOP, name, props, null);
    }

    Reply probe(String name, Map<String, String> props) {
        return call(MethodName.PROBE, name, props, null);
    }

    /** The framework's property checks, then the type's validate. */
    Reply validate(Map<String, String> props) {
        return call(MethodName.VALIDATE, "validate", props, null);
    }

    synchronized Reply call(MethodName method, String name, Map<String, String> props, Duration timeout) {
        try {
            requests.write(new Request(TYPE, method, name, props, timeout).encode() + "\n");
            requests.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("method JVM in " + node.ns() + " is gone: " + stderrText(), e);
        }
        String line = next(CALL_TIMEOUT);
        if (line == null || !line.startsWith(REPLY)) {
            throw new IllegalStateException("no answer to " + method.jsName() + " from " + node.ns() + ": " + line + "\n" + stderrText());
        }
        return decodeReply(line.substring(REPLY.length()));
    }

    private String next(Duration timeout) {
        try {
            return replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + node.ns(), e);
        }
    }

    private void readReplies() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals(READY) || line.startsWith(REPLY)) {
                    replies.put(line);
                }
            }
        } catch (IOException | InterruptedException e) {
            // the JVM ended: callers time out and show its stderr
        }
    }

    private String stderrText() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }

    /** Closes stdin (the JVM then exits); kills it by pid if it does not. */
    @Override
    public void close() {
        try {
            requests.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException e) {
            // a temp file left behind is harmless
        }
    }

    /** One method call's result as the node saw it; {@code wallMicros} is measured around the whole call. */
    record Reply(ResultCode code, String message, List<PropertyProblem> problems, List<String> log, long elapsedMs,
            long wallMicros) {
        List<String> problemProperties() {
            return problems.stream().map(PropertyProblem::property).toList();
        }

        String problemText(String property) {
            return problems.stream().filter(p -> p.property().equals(property)).map(PropertyProblem::message)
                    .findFirst().orElse("");
        }

        @Override
        public String toString() {
            return code + ": " + message + (problems.isEmpty() ? "" : " " + problems) + (log.isEmpty() ? "" : "\n  log: " + log);
        }
    }

    record Request(String type, MethodName method, String name, Map<String, String> properties, Duration timeout) {
        String encode() {
            List<String> fields = new ArrayList<>(List.of(type, method.jsName(), name,
                    timeout == null ? "-" : Long.toString(timeout.toMillis())));
            properties.forEach((k, v) -> fields.add(k + "=" + v));
            return String.join(" ", fields.stream().map(NamespaceMethods::enc).toList());
        }

        static Request decode(String line) {
            List<String> f = Arrays.stream(line.split(" ")).map(NamespaceMethods::dec).toList();
            Map<String, String> props = new LinkedHashMap<>();
            for (String kv : f.subList(4, f.size())) {
                int eq = kv.indexOf('=');
                props.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            MethodName method = MethodName.fromJsName(f.get(1)).orElseThrow();
            Duration timeout = f.get(3).equals("-") ? null : Duration.ofMillis(Long.parseLong(f.get(3)));
            return new Request(f.get(0), method, f.get(2), props, timeout);
        }
    }

    static String encodeReply(MethodResult r, long wallMicros) {
        String problems = String.join("\n", r.problems().stream().map(p -> p.property() + "=" + p.message()).toList());
        return REPLY + String.join(" ", List.of(enc(r.code().name()), Long.toString(r.elapsed().toMillis()),
                Long.toString(wallMicros), enc(r.message()), enc(problems), enc(String.join("\n", r.log()))));
    }

    private static Reply decodeReply(String line) {
        String[] f = line.split(" ", -1);
        List<PropertyProblem> problems = dec(f[4]).isEmpty() ? List.of() : dec(f[4]).lines().map(l -> {
            int eq = l.indexOf('=');
            return new PropertyProblem(l.substring(0, eq), l.substring(eq + 1));
        }).toList();
        List<String> log = dec(f[5]).isEmpty() ? List.of() : dec(f[5]).lines().toList();
        return new Reply(ResultCode.valueOf(dec(f[0])), dec(f[3]), problems, log, Long.parseLong(f[1]), Long.parseLong(f[2]));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
