package dev.baton.runtime.daemon;

import dev.baton.core.Effect;
import dev.baton.core.Effects;
import dev.baton.core.Input;
import dev.baton.core.Message;
import dev.baton.core.NodeCore;
import dev.baton.core.membership.Epoch;
import dev.baton.runtime.wire.ClusterKey;
import dev.baton.runtime.wire.MessageCodec;
import dev.baton.runtime.wire.Opener;
import dev.baton.runtime.wire.Sealer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the hot paths (core step, message codec, sealing) a few thousand times on a scratch core
 * with a throwaway key before the real core boots, so JIT compilation happens before this node's
 * heartbeats count, not during its first seconds as a member (issue 5 item 11). Pure CPU work on
 * private objects: nothing is sent, persisted or remembered.
 */
final class Warmup {
    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
    private static final int STEPS = 4_000;

    private Warmup() {
    }

    static void run(ClusterDescription cluster, int self) {
        long started = System.nanoTime();
        NodeCore scratch = new NodeCore(self, cluster.config());
        ClusterKey key = ClusterKey.generate();
        Sealer sealer = new Sealer(key, self, 1);
        Opener opener = new Opener(key);
        long now = 1_000_000_000L;
        long stepNanos = cluster.config().timing().heartbeatIntervalMs() * 1_000_000L / 4;
        exercise(scratch.step(Input.Boot.empty(), now), sealer, opener);
        int opened = 0;
        for (int i = 0; i < STEPS; i++) {
            now += stepNanos;
            for (int peer : cluster.config().nodeIds()) {
                if (peer != self && i % 4 == 0) {
                    Message hb = heartbeat(cluster, peer, i);
                    opened += exercise(scratch.step(new Input.Received(hb, cluster.networks().get(0).name()), now), sealer, opener);
                }
            }
            opened += exercise(scratch.step(new Input.Tick(), now), sealer, opener);
        }
        LOG.info("warm-up: {} core steps, {} messages sealed and opened in {} ms", STEPS, opened,
                (System.nanoTime() - started) / 1_000_000);
    }

    private static Message heartbeat(ClusterDescription cluster, int peer, int round) {
        Map<Integer, Set<String>> heard = new HashMap<>();
        for (int n : cluster.config().nodeIds()) {
            heard.put(n, Set.of(cluster.networks().get(0).name()));
        }
        return new Message.Heartbeat(peer, Epoch.NONE, 0, round, heard, Map.of());
    }

    private static int exercise(Effects effects, Sealer sealer, Opener opener) {
        int count = 0;
        for (Effect e : effects.ordered()) {
            Message m = e instanceof Effect.Broadcast b ? b.message() : e instanceof Effect.Send s ? s.message() : null;
            if (m == null) {
                continue;
            }
            try {
                byte[] frame = sealer.seal(7, MessageCodec.encode(m));
                MessageCodec.decode(opener.open(frame, 0, frame.length).plaintext());
                count++;
            } catch (Exception ex) {
                LOG.warn("warm-up could not round-trip {}: {}", m.getClass().getSimpleName(), ex.toString());
                return count;
            }
        }
        return count;
    }
}
