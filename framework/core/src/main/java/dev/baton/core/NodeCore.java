package dev.baton.core;

import dev.baton.core.ccr.CcrReplica;
import dev.baton.core.cluster.ClusterConfig;
import dev.baton.core.cluster.Timing;
import dev.baton.core.heartbeat.LinkTable;
import dev.baton.core.heartbeat.PathClassifier;
import dev.baton.core.heartbeat.PathCondition;
import dev.baton.core.heartbeat.PathMonitor;
import dev.baton.core.heartbeat.ReachReport;
import dev.baton.core.membership.Clearances;
import dev.baton.core.membership.CliqueFinder;
import dev.baton.core.membership.Epoch;
import dev.baton.core.membership.LeaseTracker;
import dev.baton.core.membership.Membership;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One node's deterministic core: heartbeats and failure classification, membership, the quorum
 * lease, quorum and the device race, fencing decisions and the configuration repository.
 * {@link #step} takes an input and the current monotonic time and returns the effects to perform;
 * it never reads a clock, sleeps, starts a thread or does I/O, so the daemon and the simulator run
 * the same code. The protocols and why they are safe: docs/design/membership.md.
 *
 * <p>After it emits {@link Effect.Failfast} the core is dead: it answers nothing until the driver
 * builds a new one (the node reboots) and boots it from disk.
 */
public final class NodeCore {
    private static final long MS = 1_000_000L;

    private final int self;
    private final ClusterConfig config;
    private final Timing timing;
    private final LinkTable links;
    private final PathMonitor pathMonitor = new PathMonitor();
    private final Map<Integer, ReachReport> reports = new HashMap<>();
    private final Map<Integer, Epoch> peerEpochs = new HashMap<>();
    private final LeaseTracker lease;
    private final Clearances clearances = new Clearances();
    private final SortedSet<Integer> fencesOwed = new TreeSet<>();
    private final Map<Integer, Long> nextFenceNanos = new HashMap<>();
    private final Map<Integer, Long> fencesInFlight = new HashMap<>();
    private final CcrReplica ccr;
    private final RgmNode rgm;
    private final Map<Integer, Long> seqHeard = new HashMap<>();
    private final Map<Integer, Long> lastAckTrustedNanos = new HashMap<>();
    private final Map<Integer, Long> lastAckedSeq = new HashMap<>();

    private boolean booted;
    private boolean failed;
    private boolean bootedWithState;
    private boolean caughtUp;
    private long lastStepNanos;
    private long requestedWakeNanos;
    private long trustedNanos;
    private Epoch promised = Epoch.NONE;
    private SortedSet<Integer> promisedMembers = new TreeSet<>();
    private long promisedAtNanos;
    private long highestRound;
    private Membership installed;
    private long installedAtNanos;
    private long seq;
    private long nextHeartbeatNanos;
    private long bootedAtNanos;
    private SortedSet<Integer> lastDesired = new TreeSet<>();
    private boolean viewDirty = true;
    private long viewValidUntilNanos;
    private SortedSet<Integer> desired = new TreeSet<>();
    private SortedSet<Integer> leaseMembers = new TreeSet<>();
    private Object leaseMembersKey;
    private SortedSet<Integer> leaseScope = new TreeSet<>();
    private long desiredSinceNanos;
    private Proposal proposal;
    private Optional<Input.CommittedRecord> deviceRecord = Optional.empty();
    private long nextDeviceCheckNanos = Long.MAX_VALUE;
    private long deviceCheckIssuedNanos = Long.MIN_VALUE;
    private boolean overrideAmnesia;
    private boolean seenPeerSinceBoot;
    /** Nodes whose clearance wait ran out, with when (this node's clock), not yet announced. */
    private final SortedMap<Integer, Long> clearedUnannounced = new TreeMap<>();
    private SortedSet<PathCondition> observedConditions = new TreeSet<>(PathCondition.ORDER);
    private long observedConditionsSinceNanos;

    public NodeCore(int self, ClusterConfig config) {
        config.node(self);
        this.self = self;
        this.config = config;
        this.timing = config.timing();
        this.links = new LinkTable(self, config);
        this.lease = new LeaseTracker(self, config);
        this.ccr = new CcrReplica(self, timing.reconfigTimeoutMs() * 4);
        this.rgm = new RgmNode(self, config);
    }

    /** Feeds one input at {@code nowNanos} (monotonic, never decreasing) and returns the effects in order. */
    public Effects step(Input input, long nowNanos) {
        if (failed || (!booted && !(input instanceof Input.Boot))) {
            return Effects.none(Long.MAX_VALUE);
        }
        Effects.Builder out = new Effects.Builder();
        advanceClock(nowNanos, out);
        dispatch(input, nowNanos, out);
        if (lease.justExpired(nowNanos)) {
            return failfast("quorum lease expired at " + lease.validUntilNanos() + " ns", nowNanos);
        }
        afterInput(nowNanos, out);
        if (rgm.haltReason() != null) {
            return failfast(rgm.haltReason(), nowNanos);
        }
        requestedWakeNanos = nextWakeNanos(nowNanos);
        return out.build(requestedWakeNanos);
    }

    private Effects failfast(String reason, long nowNanos) {
        failed = true;
        return new Effects.Builder().add(new Effect.Failfast("node " + self + ": " + reason)).build(Long.MAX_VALUE);
    }

    /**
     * Advances the trusted clock. A step that comes later than the wake-up this core asked for is
     * a stall or a clock jump: only the expected part of the gap counts, so neither can shorten a
     * wait for another node's lease. Wake-ups are at most {@link #maxWakePeriodNanos} apart, which
     * bounds a jump too small to notice well inside the drift margin.
     */
    private void advanceClock(long nowNanos, Effects.Builder out) {
        if (booted) {
            long gapNanos = nowNanos - lastStepNanos;
            long expectedNanos = Math.max(0, requestedWakeNanos - lastStepNanos) + STEP_LATENESS_NANOS;
            if (gapNanos > timing.maxStepGapMs() * MS) {
                out.notify(new Event.Stalled(gapNanos / MS));
            }
            trustedNanos += Math.max(0, Math.min(gapNanos, expectedNanos));
        }
        lastStepNanos = nowNanos;
    }

    /** How late a driver may step the core before the lateness stops counting as time. */
    private static final long STEP_LATENESS_NANOS = 2 * MS;

    private long maxWakePeriodNanos() {
        return Math.max(MS, timing.driftMarginMs() * MS / 4);
    }

    private void dispatch(Input input, long nowNanos, Effects.Builder out) {
        switch (input) {
            case Input.Tick tick -> { }
            case Input.Boot boot -> boot(boot, nowNanos, out);
            case Input.Received received -> receive(received.message(), received.network(), nowNanos, out);
            case Input.DeviceRaceResult result -> onRaceResult(result, nowNanos, out);
            case Input.DeviceCheckResult result -> onDeviceCheck(result);
            case Input.DeviceRecordResult result -> onDeviceRecord(result, nowNanos, out);
            case Input.FenceResult result -> onFenceResult(result, nowNanos, out);
            case Input.ProposeChange change -> onProposeChange(change, nowNanos, out);
            case Input.OverrideAmnesia override -> overrideAmnesia = true;
            case Input.MethodDone done -> rgm.methodDone(done, rgmFacts(nowNanos), out);
            case Input.RgmCommand command -> rgm.command(command, rgmFacts(nowNanos), out);
        }
    }

    private void boot(Input.Boot boot, long nowNanos, Effects.Builder out) {
        if (booted) {
            return;
        }
        booted = true;
        ccr.boot(boot.tables(), boot.prepared(), boot.rolledBack(), out);
        bootedWithState = !ccr.tables().isEmpty();
        promised = boot.promised();
        highestRound = promised.round();
        nextHeartbeatNanos = nowNanos;
        bootedAtNanos = nowNanos;
        assumeAckedEveryoneAtBoot();
    }

    /**
     * Acknowledgements this node sent before it crashed may keep another node's lease alive for a
     * lease after the crash, and that memory died with the daemon. So a booting node assumes it
     * acknowledged everyone at this instant: any membership it helps form waits them out.
     */
    private void assumeAckedEveryoneAtBoot() {
        for (int node : config.nodeIds()) {
            if (node != self) {
                lastAckTrustedNanos.put(node, trustedNanos);
            }
        }
    }

    // ---- messages ----------------------------------------------------------------------------

    private void receive(Message message, String network, long nowNanos, Effects.Builder out) {
        if (message.from() == self || !config.nodeIds().contains(message.from()) || namesUnknownNodes(message)) {
            return;
        }
        switch (message) {
            case Message.Heartbeat hb -> onHeartbeat(hb, network, nowNanos);
            case Message.Propose p -> onPropose(p, nowNanos, out);
            case Message.Accept a -> onAccept(a, nowNanos, out);
            case Message.Reject r -> onReject(r);
            case Message.Commit c -> onCommit(c, nowNanos, out);
            case Message.Cleared c -> onCleared(c, out);
            case Message.Prepare p -> onPrepare(p, out);
            case Message.Prepared p -> onPrepared(p, nowNanos, out);
            case Message.CommitChange c -> {
                if (!reconfiguring()) {
                    ccr.onCommitChange(c, out);
                }
            }
            case Message.Applied a -> ccr.onApplied(a, out);
            case Message.AbortChange a -> ccr.onAbortChange(a, out);
            case Message.TableRequest r -> ccr.onTableRequest(r, out);
            case Message.TableReply r -> ccr.onTableReply(r, out);
            case Message.RgmAction m -> rgm.receive(m, rgmFacts(nowNanos), out);
            case Message.RgmResult m -> rgm.receive(m, rgmFacts(nowNanos), out);
            case Message.RgmMonitor m -> rgm.receive(m, rgmFacts(nowNanos), out);
            case Message.RgmStatus m -> rgm.receive(m, rgmFacts(nowNanos), out);
            case Message.RgmRequest m -> rgm.receive(m, rgmFacts(nowNanos), out);
            case Message.RgmReply m -> rgm.receive(m, rgmFacts(nowNanos), out);
            case Message.RgmHalt m -> rgm.receive(m, rgmFacts(nowNanos), out);
            case Message.RgmHello m -> rgm.receive(m, rgmFacts(nowNanos), out);
        }
    }

    /** A membership naming nodes the configuration does not know is garbage, not news. */
    private boolean namesUnknownNodes(Message message) {
        return switch (message) {
            case Message.Propose p -> !config.nodeIds().containsAll(p.members());
            case Message.Commit c -> !config.nodeIds().containsAll(c.membership().members()) || c.membership().members().isEmpty();
            default -> false;
        };
    }

    private void onHeartbeat(Message.Heartbeat hb, String network, long nowNanos) {
        int peer = hb.from();
        if (!links.isFresh(peer, network, trustedNanos)) {
            viewDirty = true;
        }
        links.heard(peer, network, trustedNanos);
        ReachReport previous = reports.get(peer);
        if (previous == null || !previous.heard().equals(hb.heard())) {
            reports.put(peer, new ReachReport(peer, hb.heard()));
            viewDirty = true;
        }
        peerEpochs.put(peer, hb.epoch());
        highestRound = Math.max(highestRound, Math.max(hb.highestRound(), hb.epoch().round()));
        if (installed != null && hb.epoch().equals(installed.epoch()) && installed.contains(peer)) {
            seqHeard.merge(peer, hb.seq(), Math::max);
            Long ackOfMine = hb.acks().get(self);
            if (ackOfMine != null) {
                lease.acked(peer, ackOfMine);
            }
        }
    }

    // ---- heartbeats and leases ---------------------------------------------------------------

    private void afterInput(long nowNanos, Effects.Builder out) {
        expireClearances(nowNanos, out);
        sendHeartbeatIfDue(nowNanos, out);
        renewLease(nowNanos, out);
        refreshView(nowNanos, out);
        reportSteadyPathConditions(nowNanos, out);
        reconfigureIfNeeded(nowNanos, out);
        checkDeviceIfDue(nowNanos, out);
        fenceIfDue(nowNanos, out);
        ccr.tick(nowNanos, out);
        ccr.retryPulls(nowNanos, out);
        noteCaughtUp();
        rgm.afterInput(rgmFacts(nowNanos), ccr.tables(), out);
    }

    private void sendHeartbeatIfDue(long nowNanos, Effects.Builder out) {
        if (nowNanos < nextHeartbeatNanos) {
            return;
        }
        seq++;
        lease.sent(seq, nowNanos);
        Epoch epoch = installed == null ? Epoch.NONE : installed.epoch();
        Message.Heartbeat hb = new Message.Heartbeat(self, epoch, highestRound, seq, links.snapshot(trustedNanos), acks());
        config.networks().values().stream().filter(n -> n.joins(self))
                .forEach(n -> out.add(new Effect.Broadcast(n.name(), hb)));
        nextHeartbeatNanos = nowNanos + timing.heartbeatIntervalMs() * MS;
    }

    /**
     * Acknowledges, for each member of the installed epoch, the newest heartbeat heard from it in
     * that epoch. While a newer epoch is promised, only nodes that stay in it are acknowledged: the
     * age of the last acknowledgement to a node left out is what the new coordinator waits out.
     */
    private Map<Integer, Long> acks() {
        SortedMap<Integer, Long> acks = new TreeMap<>();
        if (installed == null) {
            return acks;
        }
        boolean changing = promised.isNewerThan(installed.epoch());
        seqHeard.forEach((peer, heardSeq) -> {
            if (installed.contains(peer) && (!changing || promisedMembers.contains(peer))) {
                acks.put(peer, heardSeq);
                noteAck(peer, heardSeq);
            }
        });
        return acks;
    }

    /**
     * Re-acknowledging an old heartbeat extends nothing (a lease counts from the heartbeat's
     * sending), so the clock for a lost node starts at the first acknowledgement of its newest one.
     */
    private void noteAck(int peer, long ackedSeq) {
        Long previous = lastAckedSeq.put(peer, ackedSeq);
        if (previous == null || previous != ackedSeq) {
            lastAckTrustedNanos.put(peer, trustedNanos);
        }
    }

    /**
     * Renews the lease from the acknowledgements. While left-out nodes are not cleared, only a node
     * whose current lease was granted under a membership that contained them may renew: a joiner
     * waits until they surely run nothing, so it never holds a lease beside a node that never
     * heard of it (invariant (a)).
     */
    private void renewLease(long nowNanos, Effects.Builder out) {
        boolean mayRenew = clearances.deadlines().isEmpty()
                || (lease.isValid(nowNanos) && leaseScope.containsAll(clearances.deadlines().keySet()));
        if (!mayRenew) {
            return;
        }
        long before = lease.validUntilNanos();
        lease.renew(installed, seq, nowNanos);
        if (lease.validUntilNanos() != before && lease.isValid(nowNanos)) {
            leaseScope = currentMembers();
            out.add(new Effect.ArmGuard(lease.validUntilNanos()));
        }
    }

    /**
     * Recomputes who hears whom only when something changed: a link came up, one went stale, or a
     * peer's report differs from its last one. Heartbeats mostly repeat themselves; this keeps a
     * step cheap.
     */
    private void refreshView(long nowNanos, Effects.Builder out) {
        if (!viewDirty && trustedNanos < viewValidUntilNanos) {
            return;
        }
        viewDirty = false;
        viewValidUntilNanos = links.nextChangeNanos(trustedNanos);
        desired = desiredMembers(nowNanos);
        classifyPaths(nowNanos, out);
    }

    private void classifyPaths(long nowNanos, Effects.Builder out) {
        if (nowNanos - bootedAtNanos < timing.detectionMs() * MS) {
            viewDirty = true;
            return;
        }
        Set<Integer> reachable = links.reachablePeers(trustedNanos);
        List<ReachReport> fresh = new ArrayList<>();
        reports.forEach((peer, report) -> {
            if (reachable.contains(peer)) {
                fresh.add(report);
            }
        });
        var conditions = PathClassifier.classify(self, config, links.snapshot(trustedNanos), fresh);
        if (!conditions.equals(observedConditions)) {
            observedConditions = new TreeSet<>(PathCondition.ORDER);
            observedConditions.addAll(conditions);
            observedConditionsSinceNanos = nowNanos;
        }
    }

    /**
     * Reports path conditions once they held for a heartbeat interval: paths of one peer go stale
     * and come back one at a time, and a condition that lasts a millisecond is noise, not news.
     */
    private void reportSteadyPathConditions(long nowNanos, Effects.Builder out) {
        if (nowNanos - observedConditionsSinceNanos >= timing.heartbeatIntervalMs() * MS
                && !observedConditions.equals(pathMonitor.current())) {
            pathMonitor.update(observedConditions).forEach(e -> out.notify(new Event.PathChanged(e)));
        }
    }

    // ---- membership: deciding to reconfigure -------------------------------------------------

    /** The surviving fully connected set as this node sees it: only nodes that hear each other count. */
    private SortedSet<Integer> desiredMembers(long nowNanos) {
        Set<Integer> reachable = links.reachablePeers(trustedNanos);
        long alive = CliqueFinder.bitOf(self);
        for (int peer : reachable) {
            alive |= CliqueFinder.bitOf(peer);
        }
        long[] neighbours = new long[ClusterConfig.MAX_NODE_ID];
        for (int a : CliqueFinder.toIds(alive)) {
            for (int b : CliqueFinder.toIds(alive)) {
                if (a < b && hearEachOther(a, b, reachable)) {
                    neighbours[a - 1] |= CliqueFinder.bitOf(b);
                    neighbours[b - 1] |= CliqueFinder.bitOf(a);
                }
            }
        }
        return CliqueFinder.best(alive, neighbours, config::votesOf);
    }

    private boolean hearEachOther(int a, int b, Set<Integer> reachable) {
        return hears(a, b, reachable) && hears(b, a, reachable);
    }

    private boolean hears(int listener, int speaker, Set<Integer> reachable) {
        if (listener == self) {
            return reachable.contains(speaker);
        }
        ReachReport report = reports.get(listener);
        return report != null && report.heard().containsKey(speaker) && !report.heard().get(speaker).isEmpty();
    }

    private void reconfigureIfNeeded(long nowNanos, Effects.Builder out) {
        if (proposal != null && nowNanos > proposal.deadlineNanos(timing)) {
            proposal = null;
        }
        if (proposal != null) {
            return;
        }
        if (!desired.equals(lastDesired)) {
            lastDesired = desired;
            desiredSinceNanos = nowNanos;
        }
        if (desired.isEmpty() || desired.first() != self || !settled(desired, nowNanos) || !needsReconfiguration(desired, nowNanos)) {
            return;
        }
        propose(desired, nowNanos, out);
    }

    /**
     * A booting node first listens for a detection period, so it joins instead of forming alone.
     * A view that adds nodes must hold for one and a half heartbeat intervals, the time every
     * member's report needs to catch up, or a rejoin costs several epochs. Losing nodes needs no
     * wait: detection already took its time.
     */
    private boolean settled(SortedSet<Integer> desired, long nowNanos) {
        if (nowNanos - bootedAtNanos < timing.detectionMs() * MS) {
            return false;
        }
        boolean onlyLoses = installed != null && installed.members().containsAll(desired);
        return onlyLoses || nowNanos - desiredSinceNanos >= timing.heartbeatIntervalMs() * MS * 3 / 2;
    }

    private boolean needsReconfiguration(SortedSet<Integer> desired, long nowNanos) {
        if (installed == null || !installed.members().equals(desired)) {
            return true;
        }
        boolean settled = nowNanos - installedAtNanos > timing.reconfigTimeoutMs() * MS;
        if (!settled) {
            return false;
        }
        boolean someoneElsewhere = desired.stream().anyMatch(m -> m != self && !installed.epoch().equals(peerEpochs.get(m)));
        boolean stuckPromise = promised.isNewerThan(installed.epoch()) && nowNanos - promisedAtNanos > timing.reconfigTimeoutMs() * MS;
        boolean retryQuorum = !installed.quorate() && couldBeQuorate(desired)
                && nowNanos - installedAtNanos > timing.fenceRetryMs() * MS;
        return someoneElsewhere || stuckPromise || retryQuorum;
    }

    private boolean couldBeQuorate(Set<Integer> members) {
        return config.isQuorate(members, config.reachesDevice(members)) || (config.twoNodeMode() && members.size() == 1 && seenPeerSinceBoot);
    }

    // ---- membership: the coordinator ---------------------------------------------------------

    private enum ProposalPhase { COLLECTING, RACING, FENCING }

    private static final class Proposal {
        final Epoch epoch;
        final SortedSet<Integer> members;
        final long startedNanos;
        final SortedMap<Integer, Message.Accept> accepts = new TreeMap<>();
        ProposalPhase phase = ProposalPhase.COLLECTING;
        long raceIssuedNanos;
        long fenceDueNanos = Long.MAX_VALUE;

        Proposal(Epoch epoch, SortedSet<Integer> members, long startedNanos) {
            this.epoch = epoch;
            this.members = members;
            this.startedNanos = startedNanos;
        }

        boolean allAccepted() {
            return accepts.keySet().containsAll(members);
        }

        /** Collecting and racing get one reconfiguration timeout; a two-node fence gets its delay and four retries' worth. */
        long deadlineNanos(Timing timing) {
            if (phase == ProposalPhase.FENCING) {
                long due = fenceDueNanos == Long.MAX_VALUE ? startedNanos : fenceDueNanos;
                return due + timing.fenceRetryMs() * MS * 4;
            }
            return startedNanos + timing.reconfigTimeoutMs() * MS;
        }
    }

    private void propose(SortedSet<Integer> members, long nowNanos, Effects.Builder out) {
        highestRound = Math.max(highestRound, promised.round()) + 1;
        Epoch epoch = new Epoch(highestRound, self);
        promise(epoch, members, nowNanos, out);
        proposal = new Proposal(epoch, members, nowNanos);
        proposal.accepts.put(self, accept(epoch, members));
        Message.Propose propose = new Message.Propose(self, epoch, members);
        members.stream().filter(m -> m != self).forEach(m -> out.add(new Effect.Send(m, propose)));
        if (proposal.allAccepted()) {
            allAccepted(nowNanos, out);
        }
    }

    private void promise(Epoch epoch, SortedSet<Integer> members, long nowNanos, Effects.Builder out) {
        widenLeaseScope(members);
        promised = epoch;
        promisedMembers = new TreeSet<>(members);
        promisedAtNanos = nowNanos;
        out.add(new Effect.PersistPromise(epoch));
    }

    /**
     * Ack ages of the nodes the new membership leaves out: those acknowledged within a clearance,
     * and every member of the installed membership however long ago, so that each is in play
     * for the new coordinator. A member whose lease ran out long ago needs no further wait, but
     * under power fencing it still needs its fence: it may be a frozen machine (a paused VM) whose
     * services resume when it thaws (ARCHITECTURE.md rule 3).
     */
    private Message.Accept accept(Epoch epoch, Set<Integer> members) {
        SortedMap<Integer, Long> ages = new TreeMap<>();
        long clearanceMs = timing.clearanceMs();
        lastAckTrustedNanos.forEach((node, at) -> {
            long ageMs = (trustedNanos - at) / MS;
            boolean wasMember = installed != null && installed.contains(node);
            if (!members.contains(node) && (ageMs < clearanceMs || wasMember)) {
                ages.put(node, Math.min(ageMs, clearanceMs));
            }
        });
        return new Message.Accept(self, epoch, ages, pendingClearances(members), hasState(), ccr.versions(), ccr.prepared(), ccr.rolledBack());
    }

    /** What this node still waits out for nodes left out earlier, so a new coordinator inherits it. */
    private SortedMap<Integer, Long> pendingClearances(Set<Integer> members) {
        SortedMap<Integer, Long> pending = new TreeMap<>();
        clearances.deadlines().forEach((node, at) -> {
            if (!members.contains(node)) {
                pending.put(node, at == Clearances.FENCE_ONLY ? Message.Commit.FENCE_REQUIRED : Math.max(0, (at - trustedNanos + MS - 1) / MS));
            }
        });
        fencesOwed.stream().filter(n -> !members.contains(n) && !pending.containsKey(n))
                .forEach(n -> pending.put(n, 0L));
        return pending;
    }

    private boolean hasState() {
        return bootedWithState || caughtUp;
    }

    private void noteCaughtUp() {
        if (!caughtUp && installed != null && installed.quorate() && ccr.isSynced()) {
            caughtUp = true;
        }
    }

    private void onPropose(Message.Propose p, long nowNanos, Effects.Builder out) {
        if (!p.members().contains(self)) {
            return;
        }
        highestRound = Math.max(highestRound, p.epoch().round());
        int cmp = p.epoch().compareTo(promised);
        if (cmp < 0) {
            out.add(new Effect.Send(p.from(), new Message.Reject(self, p.epoch(), promised, "node " + self + " promised epoch " + promised)));
            return;
        }
        if (cmp > 0) {
            String deaf = deafTo(p.members(), nowNanos);
            if (deaf != null) {
                out.add(new Effect.Send(p.from(), new Message.Reject(self, p.epoch(), promised, deaf)));
                return;
            }
            if (proposal != null && p.epoch().isNewerThan(proposal.epoch)) {
                proposal = null;
            }
            promise(p.epoch(), new TreeSet<>(p.members()), nowNanos, out);
        }
        out.add(new Effect.Send(p.from(), accept(p.epoch(), p.members())));
    }

    private String deafTo(Set<Integer> members, long nowNanos) {
        for (int m : members) {
            if (m != self && !links.hears(m, trustedNanos)) {
                return "node " + self + " does not hear node " + m;
            }
        }
        return null;
    }

    private void onAccept(Message.Accept a, long nowNanos, Effects.Builder out) {
        if (proposal == null || proposal.phase != ProposalPhase.COLLECTING || !a.epoch().equals(proposal.epoch)) {
            return;
        }
        proposal.accepts.put(a.from(), a);
        if (proposal.allAccepted()) {
            allAccepted(nowNanos, out);
        }
    }

    private void onReject(Message.Reject r) {
        highestRound = Math.max(highestRound, r.promised().round());
        if (proposal != null && r.epoch().equals(proposal.epoch)) {
            proposal = null;
        }
    }

    /** Every node accepted: race for the device, or fence the peer in two-node mode, or install. */
    private void allAccepted(long nowNanos, Effects.Builder out) {
        if (config.quorumDevice().isPresent() && config.reachesDevice(proposal.members)) {
            if (config.quorumDevice().get().connectedNodeIds().contains(self)) {
                proposal.phase = ProposalPhase.RACING;
                proposal.raceIssuedNanos = nowNanos;
                out.add(new Effect.RaceDevice(proposal.epoch, proposal.members));
                return;
            }
        } else if (config.twoNodeMode() && proposal.members.size() == 1 && seenPeerSinceBoot) {
            proposal.phase = ProposalPhase.FENCING;
            boolean first = self == config.nodeIds().iterator().next();
            proposal.fenceDueNanos = nowNanos + (first ? 0 : timing.fenceRetryMs() * MS);
            return;
        }
        finishProposal(Optional.empty(), false, nowNanos, out);
    }

    private void onRaceResult(Input.DeviceRaceResult result, long nowNanos, Effects.Builder out) {
        if (proposal == null || proposal.phase != ProposalPhase.RACING || !result.epoch().equals(proposal.epoch)) {
            return;
        }
        deviceRecord = result.lastCommitted();
        finishProposal(Optional.of(result), false, nowNanos, out);
    }

    private void finishProposal(Optional<Input.DeviceRaceResult> race, boolean fencedPeer, long nowNanos, Effects.Builder out) {
        Formation formation = new Formation(config, proposal.epoch, proposal.members, proposal.accepts,
                clearances.pending(), overrideAmnesia, seenPeerSinceBoot);
        boolean won = race.map(r -> r.outcome() == Input.RaceOutcome.WON).orElse(false);
        Membership membership = formation.decideQuorum(race, fencedPeer);
        var recovery = formation.recovery();
        Message.Commit commit = new Message.Commit(self, membership, formation.clearanceWaits(won, fencedPeer),
                recovery.rollForward(), recovery.rolledBack(), recovery.newest(), recovery.holders());
        long raceIssued = proposal.raceIssuedNanos;
        proposal = null;
        membership.members().stream().filter(m -> m != self).forEach(m -> out.add(new Effect.Send(m, commit)));
        install(commit, nowNanos, out);
        if (won && membership.quorate()) {
            lease.deviceConfirmed(raceIssued);
        }
        if (fencedPeer && membership.quorate()) {
            config.nodeIds().stream().filter(n -> n != self).forEach(peer -> {
                clearances.clear(peer);
                fencesOwed.remove(peer);
                out.notify(new Event.NodeCleared(peer, "power-fenced in the two-node fence race"));
            });
        }
        if (membership.quorate()) {
            overrideAmnesia = false;
        }
    }

    private boolean powerFenced(int node) {
        return config.fencing().map(f -> f.powerFences(node)).orElse(false);
    }

    private boolean fenceCovers(int node) {
        return config.fencing().map(f -> f.coveredNodeIds().contains(node)).orElse(false);
    }

    // ---- membership: every member ------------------------------------------------------------

    private void onCommit(Message.Commit commit, long nowNanos, Effects.Builder out) {
        Membership m = commit.membership();
        boolean newer = installed == null || m.epoch().isNewerThan(installed.epoch());
        if (m.contains(self) && newer && !promised.isNewerThan(m.epoch())) {
            install(commit, nowNanos, out);
        }
    }

    private void install(Message.Commit commit, long nowNanos, Effects.Builder out) {
        Membership m = commit.membership();
        if (m.epoch().isNewerThan(promised)) {
            out.add(new Effect.PersistPromise(m.epoch()));
        }
        promised = m.epoch().isNewerThan(promised) ? m.epoch() : promised;
        promisedMembers = new TreeSet<>(m.members());
        widenLeaseScope(m.members());
        installed = m;
        if (m.members().size() > 1) {
            seenPeerSinceBoot = true;
        }
        clearedUnannounced.keySet().removeAll(m.members());
        installedAtNanos = nowNanos;
        lease.newEpoch();
        seqHeard.clear();
        applyClearanceWaits(m, commit.clearanceWaitMs(), out);
        ccr.install(m, commit, nowNanos, out);
        nextDeviceCheckNanos = m.holdsDevice() && deviceConnected() ? nowNanos : Long.MAX_VALUE;
        if (!m.quorate()) {
            out.notify(new Event.FormationRefused(m.toString()));
        }
        out.notify(new Event.MembershipChanged(m));
    }

    private void applyClearanceWaits(Membership m, Map<Integer, Long> waits, Effects.Builder out) {
        waits.forEach((node, waitMs) -> {
            if (m.contains(node)) {
                return;
            }
            if (waitMs == Message.Commit.FENCE_REQUIRED) {
                clearances.waitUntil(node, Clearances.FENCE_ONLY);
                fencesOwed.add(node);
            } else {
                clearances.waitUntil(node, trustedNanos + waitMs * MS);
                if (fenceCovers(node)) {
                    fencesOwed.add(node);
                }
            }
        });
        for (int member : m.members()) {
            clearances.clear(member);
            fencesOwed.remove(member);
        }
    }

    /**
     * Only a quorate membership may clear a node: a minority knows nothing about leases the node
     * may have gained elsewhere since (a device race it won, a majority that took it in). And only
     * a node holding a lease announces it: one that stalled or was left out may be working from
     * stale facts, and must not tell anyone to take over; it announces once it holds one.
     */
    private void expireClearances(long nowNanos, Effects.Builder out) {
        if (installed == null || !installed.quorate()) {
            return;
        }
        for (int node : clearances.expire(trustedNanos)) {
            if (!fencesOwed.contains(node)) {
                clearedUnannounced.put(node, nowNanos);
            }
        }
        if (!lease.isValid(nowNanos) || clearedUnannounced.isEmpty()) {
            return;
        }
        // Only a lease renewed by heartbeats sent after the wait ran out vouches for it: a voter
        // that reported the node's acknowledgement age may since have moved to a membership with
        // that node and renewed its lease there, and such a voter no longer acknowledges this node.
        long renewedFromNanos = lease.validUntilNanos() - timing.leaseMs() * MS;
        List<Integer> announce = new ArrayList<>();
        clearedUnannounced.forEach((node, expiredAt) -> {
            if (renewedFromNanos >= expiredAt) {
                announce.add(node);
            }
        });
        for (int node : announce) {
            clearedUnannounced.remove(node);
            out.notify(new Event.NodeCleared(node, "its lease ran out (waited lease + failfast bound + drift margin)"));
        }
    }

    private void onCleared(Message.Cleared cleared, Effects.Builder out) {
        fencesOwed.remove(cleared.node());
        if (clearances.clear(cleared.node())) {
            out.notify(new Event.NodeCleared(cleared.node(), "fenced by node " + cleared.from()));
        }
    }

    // ---- fencing -----------------------------------------------------------------------------

    private void fenceIfDue(long nowNanos, Effects.Builder out) {
        if (proposal != null && proposal.phase == ProposalPhase.FENCING && nowNanos >= proposal.fenceDueNanos) {
            int peer = config.nodeIds().stream().filter(n -> n != self).findFirst().orElseThrow();
            proposal.fenceDueNanos = Long.MAX_VALUE;
            fencesInFlight.put(peer, nowNanos);
            out.add(new Effect.Fence(peer, "two-node mode: node " + self + " is alone and must fence its peer before it runs anything"));
        }
        forgetLostFenceAnswers(nowNanos);
        if (!isCoordinatorOfQuorateEpoch()) {
            return;
        }
        for (int node : fencesOwed) {
            if (!fencesInFlight.containsKey(node) && nowNanos >= nextFenceNanos.getOrDefault(node, 0L)) {
                fencesInFlight.put(node, nowNanos);
                out.add(new Effect.Fence(node, "node " + node + " left the membership (epoch " + installed.epoch() + ")"));
            }
        }
    }

    /** An answer that never came (the driver died, a frozen machine dropped it) must not block fencing forever. */
    private void forgetLostFenceAnswers(long nowNanos) {
        fencesInFlight.values().removeIf(issued -> nowNanos - issued > timing.fenceRetryMs() * MS * 4);
    }

    private void onFenceResult(Input.FenceResult result, long nowNanos, Effects.Builder out) {
        int node = result.node();
        if (!fencesInFlight.containsKey(node) && rgm.fenceResult(node, result.fenced(), rgmFacts(nowNanos), out)) {
            return;
        }
        fencesInFlight.remove(node);
        if (proposal != null && proposal.phase == ProposalPhase.FENCING) {
            if (result.fenced()) {
                finishProposal(Optional.empty(), true, nowNanos, out);
            } else {
                out.notify(new Event.FenceFailed(node, result.detail()));
                proposal = null;
            }
            return;
        }
        if (installed != null && installed.contains(node)) {
            // A fence asked for before the node rejoined: it is a member again and clears nothing.
            fencesOwed.remove(node);
            return;
        }
        if (!result.fenced()) {
            nextFenceNanos.put(node, nowNanos + timing.fenceRetryMs() * MS);
            out.notify(new Event.FenceFailed(node, result.detail()));
            return;
        }
        fencesOwed.remove(node);
        boolean power = powerFenced(node);
        if (power && clearances.clear(node)) {
            out.notify(new Event.NodeCleared(node, "power-fenced: " + result.detail()));
            installed.members().stream().filter(m -> m != self)
                    .forEach(m -> out.add(new Effect.Send(m, new Message.Cleared(self, installed.epoch(), node))));
        } else if (!clearances.isPending(node)) {
            out.notify(new Event.NodeCleared(node, "storage-fenced and its lease ran out"));
        }
    }

    private boolean isCoordinatorOfQuorateEpoch() {
        return installed != null && installed.quorate() && installed.coordinator() == self;
    }

    // ---- quorum device -----------------------------------------------------------------------

    private boolean deviceConnected() {
        return config.quorumDevice().map(d -> d.connectedNodeIds().contains(self)).orElse(false);
    }

    private void checkDeviceIfDue(long nowNanos, Effects.Builder out) {
        boolean answerPending = deviceCheckIssuedNanos != Long.MIN_VALUE
                && nowNanos - deviceCheckIssuedNanos < timing.deviceCheckIntervalMs() * MS * 2;
        if (answerPending || nowNanos < nextDeviceCheckNanos || installed == null || !installed.holdsDevice()) {
            return;
        }
        deviceCheckIssuedNanos = nowNanos;
        nextDeviceCheckNanos = nowNanos + timing.deviceCheckIntervalMs() * MS;
        out.add(new Effect.CheckDevice(nowNanos, installed.epoch()));
    }

    private void onDeviceCheck(Input.DeviceCheckResult result) {
        if (result.issuedAtNanos() == deviceCheckIssuedNanos) {
            deviceCheckIssuedNanos = Long.MIN_VALUE;
        }
        if (installed == null || !result.epoch().equals(installed.epoch())) {
            return;
        }
        if (result.holds()) {
            lease.deviceConfirmed(result.issuedAtNanos());
        } else {
            lease.deviceLost();
        }
    }

    // ---- configuration changes ---------------------------------------------------------------

    private void onProposeChange(Input.ProposeChange change, long nowNanos, Effects.Builder out) {
        String refusal = changeRefusal(nowNanos);
        if (refusal == null) {
            refusal = RgmNode.refusal(config, change.table(), change.content(), ccr.tables());
        }
        if (refusal != null) {
            out.notify(new Event.ChangeFailed(change.requestId(), refusal));
            return;
        }
        if (ccr.propose(change.requestId(), change.table(), change.content(), installed, nowNanos, out)) {
            recordThenCommit(nowNanos, out);
        }
    }

    private String changeRefusal(long nowNanos) {
        if (installed == null || !installed.quorate()) {
            return "node " + self + " is not in a quorate membership; configuration changes need quorum";
        }
        if (installed.coordinator() != self) {
            return "node " + self + " is not the coordinator of epoch " + installed.epoch() + "; send the change to node " + installed.coordinator();
        }
        if (!lease.isValid(nowNanos)) {
            return "node " + self + " holds no quorum lease right now";
        }
        return null;
    }

    /**
     * Once this node promised a newer epoch, its Accept told the new coordinator its configuration
     * state, and that snapshot must stay true until the epoch installs: no change is prepared or
     * applied meanwhile. (A commit applied after the snapshot would be rolled back by a recovery
     * that never saw it.)
     */
    private boolean reconfiguring() {
        return installed == null || promised.isNewerThan(installed.epoch());
    }

    private void onPrepare(Message.Prepare prepare, Effects.Builder out) {
        if (reconfiguring()) {
            out.add(new Effect.Send(prepare.from(), new Message.Prepared(self, prepare.epoch(), prepare.change().txId(), false,
                    "node " + self + " is changing membership (promised epoch " + promised + ")")));
            return;
        }
        ccr.onPrepare(prepare, installed, out);
    }

    private void onPrepared(Message.Prepared prepared, long nowNanos, Effects.Builder out) {
        if (ccr.onPrepared(prepared, out)) {
            recordThenCommit(nowNanos, out);
        }
    }

    /** Amnesia protection: the device learns who commits before anyone applies (rule 6). */
    private void recordThenCommit(long nowNanos, Effects.Builder out) {
        if (reconfiguring()) {
            ccr.abort("the membership started changing before the commit point; nothing was applied", out);
            return;
        }
        boolean recorded = deviceRecord.map(r -> r.epoch().equals(installed.epoch()) && r.members().equals(installed.members())).orElse(false);
        if (config.quorumDevice().isEmpty() || recorded) {
            ccr.commit(nowNanos, out);
            return;
        }
        ccr.recording(nowNanos);
        out.add(new Effect.RecordCommittedMembership(installed.epoch(), installed.members()));
    }

    private void onDeviceRecord(Input.DeviceRecordResult result, long nowNanos, Effects.Builder out) {
        if (!ccr.isRecording() || installed == null || !result.epoch().equals(installed.epoch())) {
            return;
        }
        if (result.durable()) {
            deviceRecord = Optional.of(new Input.CommittedRecord(installed.epoch(), installed.members()));
            if (reconfiguring()) {
                ccr.abort("the membership started changing before the commit point; nothing was applied", out);
                return;
            }
            ccr.commit(nowNanos, out);
        } else {
            ccr.abort("the quorum device did not record the committing membership", out);
        }
    }

    // ---- wake-ups and status -----------------------------------------------------------------

    private long nextWakeNanos(long nowNanos) {
        long next = nextHeartbeatNanos;
        if (lease.isValid(nowNanos)) {
            next = Math.min(next, lease.validUntilNanos());
        }
        long linkChange = links.nextChangeNanos(trustedNanos);
        if (linkChange != Long.MAX_VALUE) {
            next = Math.min(next, nowNanos + Math.max(0, linkChange - trustedNanos));
        }
        next = Math.min(next, nowNanos + maxWakePeriodNanos());
        if (proposal != null) {
            next = Math.min(next, Math.min(proposal.fenceDueNanos, proposal.deadlineNanos(timing) + 1));
        }
        long clearance = clearances.nextDeadline();
        boolean mayClear = installed != null && installed.quorate();
        if (mayClear && clearance != Long.MAX_VALUE && clearance != Clearances.FENCE_ONLY) {
            next = Math.min(next, nowNanos + Math.max(0, clearance - trustedNanos));
        }
        if (installed != null && installed.holdsDevice()) {
            next = Math.min(next, Math.max(nextDeviceCheckNanos, deviceCheckIssuedNanos + timing.deviceCheckIntervalMs() * MS * 2));
        }
        next = Math.min(next, ccr.nextDeadline());
        next = Math.min(next, rgm.nextWakeNanos());
        for (long at : nextFenceNanos.values()) {
            if (at > nowNanos) {
                next = Math.min(next, at);
            }
        }
        for (long issued : fencesInFlight.values()) {
            next = Math.min(next, issued + timing.fenceRetryMs() * MS * 4 + 1);
        }
        // A deadline at or before now was handled in this step or is stale; waking again at once
        // would only spin. The regular wake period still comes round.
        return next > nowNanos ? next : nowNanos + maxWakePeriodNanos();
    }

    private RgmNode.Facts rgmFacts(long nowNanos) {
        return new RgmNode.Facts(installed, promised, lease.isValid(nowNanos), lease.validUntilNanos(),
                notYetCleared(), pathMonitor.current(), nowNanos);
    }

    /**
     * Nodes that may still run something: a clearance still running, or a fence still owed. A wait
     * that ran out does not clear a node this core owes a fence (a frozen machine resumes its
     * processes however long it was frozen); only the fence's success does.
     */
    private SortedSet<Integer> notYetCleared() {
        SortedSet<Integer> nodes = clearances.pending();
        nodes.addAll(fencesOwed);
        nodes.addAll(clearedUnannounced.keySet());
        return nodes;
    }

    /** The RGM coordinator this node runs, if it is the coordinator now (the simulator and the shell read it). */
    public Optional<dev.baton.core.rgm.RgmCoordinator> rgmCoordinator() {
        return failed ? Optional.empty() : rgm.coordinator();
    }

    /** The resource group configuration in use and the last replicated RGM status this node has. */
    public dev.baton.core.rgm.RgmConfig rgmConfig() {
        return rgm.config();
    }

    public Optional<dev.baton.core.rgm.RgmSnapshot> rgmSnapshot() {
        return rgm.snapshot();
    }

    /** The path conditions this node observes now (adapter, network and node failures), for status. */
    public java.util.Set<dev.baton.core.heartbeat.PathCondition> pathConditions() {
        return pathMonitor.current();
    }

    /** What this node believes right now; the simulator's invariant checkers and the shell read it. */
    public NodeStatus status(long nowNanos) {
        boolean leaseValid = !failed && lease.isValid(nowNanos);
        return new NodeStatus(self, failed, Optional.ofNullable(installed), promised, leaseValid,
                lease.validUntilNanos(), leaseMembers(), clearances.pending(), ccr.tables(), ccr.isSynced(), hasState());
    }

    /** Until when this node's lease lasts (its clock); {@code Long.MIN_VALUE} if it never held one. */
    public long leaseValidUntilNanos() {
        return failed ? Long.MIN_VALUE : lease.validUntilNanos();
    }

    /** A lease still running when this node adopts a membership counts under that one too. */
    private void widenLeaseScope(Set<Integer> members) {
        if (!leaseScope.containsAll(members)) {
            SortedSet<Integer> wider = new TreeSet<>(leaseScope);
            wider.addAll(members);
            leaseScope = wider;
        }
    }

    /**
     * The membership under which this node's current lease counts: the members it was last renewed
     * under and every membership adopted since, plus the installed members, a newer promised
     * membership, and left-out nodes not yet cleared (their leases may still run). Cached: it
     * changes only with those.
     */
    public SortedSet<Integer> leaseMembers() {
        Object key = List.of(installed == null ? Epoch.NONE : installed.epoch(), promised, clearances.changes(), leaseScope);
        if (!key.equals(leaseMembersKey)) {
            SortedSet<Integer> members = currentMembers();
            members.addAll(leaseScope);
            leaseMembers = Collections.unmodifiableSortedSet(members);
            leaseMembersKey = key;
        }
        return leaseMembers;
    }

    private SortedSet<Integer> currentMembers() {
        SortedSet<Integer> members = new TreeSet<>(clearances.pending());
        if (installed != null) {
            members.addAll(installed.members());
        }
        if (installed == null || promised.isNewerThan(installed.epoch())) {
            members.addAll(promisedMembers);
        }
        return members;
    }
}
