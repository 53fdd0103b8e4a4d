package dev.baton.e2e;

import dev.baton.e2e.testbed.ProcessResult;
import dev.baton.e2e.testbed.ServingObserver;
import dev.baton.e2e.testbed.Testbed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What the end-to-end scenarios share: the web group's configuration, HTTP checks from the client, signals. */
final class Scenarios {
    private Scenarios() {
    }

    /** A failover group: the logical hostname, then apache listening on it, serving a page from the run folder. */
    static String webGroup(Testbed bed, String vip, String nodes) throws IOException {
        // httpd's workers run as www-data and must reach the document root through the run folder.
        Files.setPosixFilePermissions(bed.dir(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = bed.dir().resolve("web");
        Files.createDirectories(root.resolve("htdocs"));
        Files.writeString(root.resolve("htdocs/index.html"), "baton e2e\n");
        return "group web failover nodes=" + nodes + "\n"
                + "  resource web-ip type=logical_hostname tier=network address=" + vip + "/" + Testbed.PREFIX_LENGTH + "\n"
                + "  resource web type=apache depends=strong:web-ip Server_root=" + root + " Document_root=" + root.resolve("htdocs")
                + " Listen_address=" + vip + " Port=80 Thorough_probe_interval=2s\n";
    }

    /** Waits until an HTTP GET of the logical address from the client namespace answers 200. */
    static void awaitHttp(Testbed bed, String vip, Duration timeout) throws InterruptedException {
        BatonCluster.awaitTrue("http://" + vip + "/ answering from the client", timeout, () -> {
            ProcessResult r = bed.runOnClient("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "1", "http://" + vip + "/");
            return r.ok() && r.stdout().strip().equals("200");
        });
    }

    /**
     * The end of every scenario class: the observer's verdict over the whole class (item 8 e), then
     * the daemons and the testbed are stopped whatever that verdict was.
     */
    static void finish(ServingObserver observer, BatonCluster cluster, Testbed bed) {
        try {
            if (observer != null) {
                observer.assertNeverDoubleServed();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            if (bed != null) {
                bed.close();
            }
        }
    }

    /** Sends a signal; false when the process is gone already. */
    static boolean signal(long pid, String signal) throws IOException, InterruptedException {
        return new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor() == 0;
    }
}
