package dev.baton.runtime.cli;

import dev.baton.runtime.process.ProcessInfo;
import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.runtime.BatonVersion;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.method.MethodRuntime;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.process.Posix;
import dev.baton.runtime.resource.Resource;
import dev.baton.runtime.resource.ResourceType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The README's first command. Until the daemon exists (a later issue) it shows, on this machine,
 * the whole path a failover will use: plugin zips loaded and checked, an apache resource created
 * from properties, and its JavaScript methods run in the sandbox against a real httpd, including
 * a crash behind Baton's back that probe notices and a restart.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts a local cluster of three daemons on the loopback, puts an apache group on it and fails it over.",
                "--methods instead runs one apache resource through its JavaScript methods, without daemons."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--plugins", description = "Plugins folder (default: the distribution's plugins/)")
    Path pluginsDir;

    @Option(names = "--port", description = "Port for httpd on 127.0.0.1 (default: a free one)")
    Integer port;

    @Option(names = "--keep", description = "Leave the cluster (or, with --methods, httpd) running until Ctrl-C")
    boolean keep;

    @Option(names = "--methods", description = "Only run an apache resource's methods on this machine (no daemons)")
    boolean methodsOnly;

    @Option(names = "--dir", description = "Folder for the local cluster's state and logs (default: a new temporary folder)")
    Path dir;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        Path plugins = pluginsDir != null ? pluginsDir : Cli.defaultPluginsDir();
        if (!methodsOnly) {
            Path where = dir != null ? dir : java.nio.file.Files.createTempDirectory("baton-demo-");
            return new LocalClusterDemo(out, where, plugins.toAbsolutePath(), freePort(), port != null ? port : freePort())
                    .run(keep);
        }
        out.printf("Baton %s demo on %s (JDK %s)%n", BatonVersion.full(), InetAddress.getLocalHost().getHostName(),
                Runtime.version().feature());
        out.println("One node, no daemon yet: this shows plugin loading and the sandboxed method runtime on a real httpd.");
        out.println("Membership, quorum and failover between nodes arrive with the core and daemon issues.");
        out.println();
        BatonConfig config = BatonConfig.defaults();
        try (JsEngine engine = new JsEngine();
             PluginCatalog catalog = PluginCatalog.loadDirectory(plugins, engine, config);
             MethodRuntime runtime = new MethodRuntime(config)) {
            out.println("Plugins in " + plugins.toAbsolutePath() + ":");
            catalog.plugins().forEach(s -> Cli.printPlugin(out, s));
            ResourceType apache = catalog.type("apache").orElse(null);
            if (apache == null) {
                out.println("No apache type loaded: build the distribution first (./baton build).");
                return 1;
            }
            return run(runtime, apache);
        }
    }

    private int run(MethodRuntime runtime, ResourceType apache) throws Exception {
        Path root = serverRoot();
        int httpPort = port != null ? port : freePort();
        Map<String, String> props = Map.of("Server_root", root.toString(), "Listen_address", "127.0.0.1",
                "Port", Integer.toString(httpPort), "Stop_timeout", "20s");
        out.printf("%nResource web, type apache: Listen 127.0.0.1:%d, Server_root %s%n", httpPort, root);
        MethodResult validate = runtime.validate(apache, "web", props, MethodRuntime.CallOptions.DEFAULT);
        Cli.printResult(out, "validate", validate);
        if (validate.code() != ResultCode.SUCCESS) {
            out.println("Fix the problems above (is apache2 installed? ./baton demo installs it when run as root).");
            return 1;
        }
        Resource web = apache.newResource("web", props);
        step(runtime, web, MethodName.PROBE);
        if (step(runtime, web, MethodName.START).code() != ResultCode.SUCCESS) {
            return 1;
        }
        step(runtime, web, MethodName.PROBE);
        client(httpPort);
        if (keep) {
            return serveUntilInterrupted(runtime, web, httpPort, root);
        }
        crashBehindBatonsBack(runtime, web, root);
        step(runtime, web, MethodName.STOP);
        if (step(runtime, web, MethodName.PROBE).code() == ResultCode.NOT_RUNNING) {
            deleteTree(root);
        }
        out.println("\nDone. Next: ./baton demo --keep leaves httpd running; ./baton plugins, check and call"
                + " work on your own plugins (docs/writing-a-resource-type.md).");
        return 0;
    }

    private MethodResult step(MethodRuntime runtime, Resource r, MethodName m) {
        MethodResult result = runtime.call(r, m);
        Cli.printResult(out, m.jsName(), result);
        return result;
    }

    private void crashBehindBatonsBack(MethodRuntime runtime, Resource web, Path root) throws IOException {
        long pid = Long.parseLong(Files.readString(root.resolve("run/httpd-" + runtime.nodeName() + ".pid")).trim());
        Posix.signalGroup(pid, Posix.SIGKILL);
        out.printf("  %-10s httpd's process group %d killed behind Baton's back%n", "kill -9", pid);
        waitGone(pid);
        step(runtime, web, MethodName.PROBE);
        out.printf("  %-10s what the RGM will do when a probe finds the service gone (within Retry_count): restart%n", "");
        step(runtime, web, MethodName.START);
        step(runtime, web, MethodName.PROBE);
    }

    private int serveUntilInterrupted(MethodRuntime runtime, Resource web, int httpPort, Path root)
            throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (step(runtime, web, MethodName.STOP).code() == ResultCode.SUCCESS) {
                deleteQuietly(root);
            }
            stopped.countDown();
        }));
        out.printf("%nServing http://127.0.0.1:%d/ - press Ctrl-C to stop it through Baton.%n", httpPort);
        out.flush();
        stopped.await();
        return 0;
    }

    private void client(int httpPort) {
        String url = "http://127.0.0.1:" + httpPort + "/";
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            out.printf("  %-10s GET %s -> %d %s%n", "client", url, r.statusCode(), r.body().strip());
        } catch (IOException e) {
            out.printf("  %-10s GET %s failed: %s%n", "client", url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A fresh Server_root with a page, readable by httpd's workers (www-data when run as root). */
    private static Path serverRoot() throws IOException {
        Path root = Files.createTempDirectory("baton-demo-");
        Path htdocs = Files.createDirectories(root.resolve("htdocs"));
        Files.writeString(htdocs.resolve("index.html"), "<p>Served by httpd under Baton.</p>\n");
        for (Path p : new Path[] {root, htdocs}) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(htdocs.resolve("index.html"), PosixFilePermissions.fromString("rw-r--r--"));
        return root;
    }

    private static void deleteQuietly(Path root) {
        try {
            deleteTree(root);
        } catch (IOException e) {
            // A leftover folder under /tmp is all it costs.
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitGone(long pid) {
        for (int i = 0; i < 100 && ProcessInfo.alive(pid); i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
