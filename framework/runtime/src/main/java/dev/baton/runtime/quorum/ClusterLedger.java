package dev.baton.runtime.quorum;

import dev.baton.api.spi.QuorumDevice.RaceOutcome;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.runtime.quorum.QuorumProtocol.Op;
import dev.baton.runtime.quorum.QuorumProtocol.Reply;
import dev.baton.runtime.quorum.QuorumProtocol.Request;
import dev.baton.runtime.state.AtomicFiles;
import dev.baton.runtime.state.StateFileException;
import dev.baton.runtime.state.StateText;
import dev.baton.runtime.wire.ClusterKey;
import dev.baton.runtime.wire.Opened;
import dev.baton.runtime.wire.Opener;
import dev.baton.runtime.wire.Sealer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster on the quorum server: its key (an {@link Opener} for requests, a {@link Sealer} for
 * replies), its {@link DeviceState}, and the file that keeps it. Requests are serialized here, so
 * of two racing memberships the device decides; every race and record is stored durably before
 * its answer leaves, and a state that could not be stored is neither answered nor adopted.
 */
final class ClusterLedger {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLedger.class);

    private final String cluster;
    private final Path file;
    private final Opener opener;
    private final Sealer sealer;
    /** Null until the first request: a device nobody contacted knows no connected nodes yet. */
    private DeviceState state;

    private ClusterLedger(String cluster, Path file, ClusterKey key, long serverIncarnation, DeviceState state) {
        this.cluster = cluster;
        this.file = file;
        this.opener = new Opener(key);
        this.sealer = new Sealer(key, QuorumProtocol.SERVER_SENDER_ID, serverIncarnation);
        this.state = state;
    }

    /**
     * Loads the cluster's file from {@code dir}; a file that exists but cannot be read stops the
     * server: starting over would register every node again and forget the committing membership.
     */
    static ClusterLedger open(String cluster, ClusterKey key, Path dir, long serverIncarnation) throws IOException {
        Path file = dir.resolve(cluster + ".state");
        DeviceState state = null;
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                state = DeviceStateFile.parse(cluster, StateText.read(file, DeviceStateFile.MAX_BYTES));
            } catch (StateFileException e) {
                throw new IOException(file + ": " + e.getMessage() + "; refusing to start: without it the server would register"
                        + " every node again and forget the membership that last committed (restore it, or remove it to start"
                        + " this cluster's device afresh)");
            }
        }
        return new ClusterLedger(cluster, file, key, serverIncarnation, state);
    }

    Opener opener() {
        return opener;
    }

    byte[] seal(Reply reply) {
        return sealer.seal(QuorumProtocol.STREAM, QuorumProtocol.encode(reply));
    }

    /** The device's state as last stored (empty before the first request); for tests and the log. */
    synchronized Optional<DeviceState> state() {
        return Optional.ofNullable(state);
    }

    /**
     * Answers one authenticated request, or returns empty for a frame older than one already
     * accepted from its sender (a replay the restarted server's fresh replay windows let through).
     */
    synchronized Optional<Reply> handle(Request request, Opened opened) {
        int node = opened.senderId();
        if (node < 1 || node > ClusterConfig.MAX_NODE_ID) {
            return Optional.of(Reply.refused(request, node, opened.incarnation(), "sender " + node + " is not a node id (1.." + ClusterConfig.MAX_NODE_ID + ")"));
        }
        if (!request.cluster().equals(cluster)) {
            return Optional.of(Reply.refused(request, node, opened.incarnation(), "the request names cluster '" + request.cluster()
                    + "' but was sealed with the key of '" + cluster + "'"));
        }
        if (request.connected().isEmpty()) {
            return Optional.of(Reply.refused(request, node, opened.incarnation(), "the request names no connected nodes"));
        }
        DeviceState current = state != null ? state : DeviceState.fresh(request.connected());
        DeviceState.Floor floor = new DeviceState.Floor(opened.incarnation(), opened.seq());
        if (!current.isNewer(node, floor)) {
            return Optional.empty();
        }
        DeviceState base = current.withConnected(request.connected()).withFloor(node, floor);
        Decided decided = decide(request, node, opened.incarnation(), base);
        boolean mustStore = state == null || request.op() == Op.RACE || request.op() == Op.RECORD
                || !base.connected().equals(current.connected());
        if (mustStore && !store(decided.next())) {
            return Optional.of(Reply.refused(request, node, opened.incarnation(), "the quorum server could not store its state durably"));
        }
        if (!base.connected().equals(current.connected())) {
            LOG.info("cluster {}: node {} says the connected nodes are {} (were {}); registered now {}", cluster, node,
                    base.connected(), current.connected(), base.registered());
        }
        state = decided.next();
        return Optional.of(decided.reply());
    }

    private record Decided(DeviceState next, Reply reply) {
    }

    private static Decided decide(Request request, int node, long incarnation, DeviceState base) {
        return switch (request.op()) {
            case RACE -> {
                DeviceState.Raced raced = base.race(node, request.epoch(), request.members());
                Optional<DeviceState.Committed> committed = raced.outcome() == RaceOutcome.UNKNOWN ? Optional.empty() : raced.next().committed();
                yield new Decided(raced.next(), new Reply(request.requestId(), node, incarnation, Op.RACE, "", raced.outcome(),
                        committed, raced.preempted(), false));
            }
            case HOLDS -> new Decided(base, answer(request, node, incarnation, base.holds(request.node(), request.epoch())));
            case RECORD -> {
                Optional<DeviceState> recorded = base.record(node, request.epoch(), request.members());
                yield new Decided(recorded.orElse(base), answer(request, node, incarnation, recorded.isPresent()));
            }
            case CHECK -> new Decided(base, answer(request, node, incarnation, true));
        };
    }

    private static Reply answer(Request request, int node, long incarnation, boolean yes) {
        return new Reply(request.requestId(), node, incarnation, request.op(), "", RaceOutcome.UNKNOWN, Optional.empty(), new TreeSet<>(), yes);
    }

    private boolean store(DeviceState next) {
        try {
            AtomicFiles.write(file, DeviceStateFile.render(cluster, next));
            return true;
        } catch (IOException e) {
            LOG.error("cluster {}: could not store {}: {}; the request is refused and the state unchanged", cluster, file, e.toString());
            return false;
        }
    }
}
