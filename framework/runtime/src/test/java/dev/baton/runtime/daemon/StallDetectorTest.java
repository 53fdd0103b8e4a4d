package dev.baton.runtime.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.core.Effect;
import dev.baton.core.Input;
import dev.baton.core.NodeCore;
import dev.baton.core.ccr.Table;
import dev.baton.core.membership.Epoch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real event loop and core whose effect performer hangs once (as a slow disk or a stuck call
 * would): a node holding a lease fails fast, a node without one only logs.
 */
class StallDetectorTest {
    @TempDir
    Path dir;

    private static String cluster(int nodes) {
        StringBuilder b = new StringBuilder("cluster name=s\n");
        StringBuilder net = new StringBuilder("network name=lo kind=ip port=7999");
        for (int n = 1; n <= nodes; n++) {
            b.append("node id=").append(n).append(" name=n").append(n).append('\n');
            net.append(' ').append(n).append("=127.0.0.").append(n);
        }
        return b.append(net).append('\n').toString();
    }

    /** Runs a loop for node 1 that hangs in its performer once the core {@code hangWhen} says so; returns the failfast reason, if any. */
    private Optional<String> stallWith(int nodes) throws Exception {
        String text = cluster(nodes);
        NodeCore core = new NodeCore(1, ClusterDescriptionText.parse(text, "t").config());
        AtomicBoolean hung = new AtomicBoolean();
        CompletableFuture<String> failfast = new CompletableFuture<>();
        EventLoop[] loop = new EventLoop[1];
        loop[0] = new EventLoop(core, new Recording(dir.resolve("rec" + nodes), 1 << 20, 2), effect -> {
            boolean ready = nodes == 1 ? core.leaseValidUntilNanos() > System.nanoTime() : true;
            if (effect instanceof Effect.Broadcast && ready && hung.compareAndSet(false, true)) {
                sleep(1_500); // the loop stalls here, three times the 500 ms limit
            }
        });
        new StallDetector(loop[0], 500, false, failfast::complete).start();
        Thread t = Thread.ofPlatform().daemon().start(() -> loop[0].run(new Input.Boot(Epoch.NONE,
                List.of(Table.create("cluster", Epoch.NONE, 1, text)), Optional.empty(), Set.of())));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(hung);
        try {
            return Optional.of(failfast.get(3, TimeUnit.SECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        } finally {
            loop[0].stop();
            t.join(5_000);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aStallWhileHoldingALeaseFailsFast() throws Exception {
        assertThat(stallWith(1)).hasValueSatisfying(r -> assertThat(r).contains("event loop stalled for"));
    }

    @Test
    void aStallWithoutALeaseIsOnlyLogged() throws Exception {
        assertThat(stallWith(3)).isEmpty(); // alone of three: never quorate, never a lease
    }
}
