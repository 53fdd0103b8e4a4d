package dev.baton.plugins.network;

import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.method.MethodRuntime;
import dev.baton.testkit.PluginHarness;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Runs inside a node's namespace (see {@link NamespaceMethods}): loads the plugin once, then
 * answers one method call per request line on stdin with one reply line on stdout, until stdin
 * closes. Staying up between calls keeps the engine warm, as in the daemon, so the timings it
 * reports are those of a running node.
 */
public final class NamespaceMethodsMain {
    private NamespaceMethodsMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (PluginHarness harness = NamespaceJvm.harness();
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            harness.assertLoaded();
            out.println(NamespaceMethods.READY);
            String line;
            while ((line = in.readLine()) != null) {
                NamespaceMethods.Request request = NamespaceMethods.Request.decode(line);
                long startNanos = System.nanoTime();
                MethodResult result = call(harness, request);
                long wallMicros = (System.nanoTime() - startNanos) / 1_000;
                out.println(NamespaceMethods.encodeReply(result, wallMicros));
            }
        }
    }

    private static MethodResult call(PluginHarness harness, NamespaceMethods.Request r) {
        try {
            if (r.method() == MethodName.VALIDATE) {
                return harness.validate(r.type(), r.properties());
            }
            MethodRuntime.CallOptions options = r.timeout() == null ? MethodRuntime.CallOptions.DEFAULT
                    : MethodRuntime.CallOptions.withTimeout(r.timeout());
            return harness.runtime().call(harness.type(r.type()).newResource(r.name(), r.properties()), r.method(), options);
        } catch (IllegalArgumentException e) {
            // InvalidPropertiesException among them: the framework refused the values before any method ran.
            return new MethodResult(ResultCode.CONFIG_ERROR, e.getMessage(), List.of(), List.of(), Duration.ZERO);
        }
    }
}
