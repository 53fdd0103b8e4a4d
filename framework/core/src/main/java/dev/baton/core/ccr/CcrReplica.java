package dev.baton.core.ccr;

import dev.baton.core.Effect;
import dev.baton.core.Effects;
import dev.baton.core.Event;
import dev.baton.core.Message;
import dev.baton.core.membership.Epoch;
import dev.baton.core.membership.Membership;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One node's copy of the configuration repository and its side of the two-phase commit
 * (ARCHITECTURE.md rule 6; docs/design/membership.md, "Configuration commits").
 *
 * <p>As a member: prepares a change durably, applies it on the coordinator's word, pulls tables it
 * lacks after a reconfiguration, refuses any copy whose checksum fails. As coordinator: runs one
 * change at a time through PREPARING → (device record, driven by the caller) → COMMITTING and
 * reports it committed only when every member applied it in the same epoch.
 */
public final class CcrReplica {
    private static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    /** A bound on the repository, so a script creating tables in a loop cannot grow it without end. */
    public static final int MAX_TABLES = 1_024;
    /** Rolled-back versions remembered; the oldest go first (a copy that old loses on version anyway). */
    public static final int MAX_ROLLED_BACK = 256;

    private final int self;
    private final long timeoutNanos;
    private final SortedMap<String, Table> tables = new TreeMap<>();
    private final SortedMap<String, Pull> pulls = new TreeMap<>();
    private SortedSet<TableVersion> rolledBack = new TreeSet<>(TableVersion.TOTAL_ORDER);
    private Optional<PreparedChange> prepared = Optional.empty();
    private Transaction tx;
    private long txCounter;

    private record Pull(int holder, TableVersion wanted, long requestedAtNanos) {
    }

    public CcrReplica(int self, long timeoutMs) {
        this.self = self;
        this.timeoutNanos = timeoutMs * 1_000_000L;
    }

    // ---- state -------------------------------------------------------------------------------

    /**
     * Loads what the disk held; a table or prepared change whose checksum fails is refused and
     * reported; a table at a version rolled back for good is ignored.
     */
    public void boot(List<Table> fromDisk, Optional<PreparedChange> preparedOnDisk, Set<TableVersion> rolledBackOnDisk, Effects.Builder out) {
        rolledBack = bounded(rolledBackOnDisk);
        for (Table table : fromDisk) {
            if (rolledBack.contains(table.version())) {
                continue;
            }
            if (table.verify()) {
                tables.put(table.name(), table);
            } else {
                out.notify(new Event.TableRefused(table.name(), "disk", "checksum mismatch for version " + table.version()));
            }
        }
        preparedOnDisk.ifPresent(change -> {
            if (change.table().verify()) {
                prepared = Optional.of(change);
            } else {
                out.notify(new Event.TableRefused(change.table().name(), "disk", "prepared change " + change.txId() + " fails its checksum"));
            }
        });
    }

    public SortedMap<String, Table> tables() {
        return Collections.unmodifiableSortedMap(tables);
    }

    public Map<String, TableVersion> versions() {
        SortedMap<String, TableVersion> versions = new TreeMap<>();
        tables.forEach((name, table) -> versions.put(name, table.version()));
        return versions;
    }

    public Optional<PreparedChange> prepared() {
        return prepared;
    }

    public SortedSet<TableVersion> rolledBack() {
        return Collections.unmodifiableSortedSet(rolledBack);
    }

    private static SortedSet<TableVersion> bounded(Set<TableVersion> versions) {
        TreeSet<TableVersion> kept = new TreeSet<>(TableVersion.TOTAL_ORDER);
        kept.addAll(versions);
        while (kept.size() > MAX_ROLLED_BACK) {
            kept.pollFirst();
        }
        return kept;
    }

    public boolean isEmpty() {
        return tables.isEmpty() && prepared.isEmpty();
    }

    /** True when no table is missing or older than the newest the membership knows of. */
    public boolean isSynced() {
        return pulls.isEmpty();
    }

    // ---- reconfiguration ---------------------------------------------------------------------

    /** The coordinator's recovery decision from every accepting member's state. */
    public record Recovery(Set<String> rollForward, Set<TableVersion> rolledBack, Map<String, TableVersion> newest,
                           Map<String, Integer> holders) {
    }

    /**
     * Roll forward a prepared change when any member already applied its version (someone holds a
     * table at that version or newer); otherwise it rolls back everywhere, for good: its version
     * joins the rolled-back set, and a copy of it that comes back with a node that was away (the
     * old coordinator applied it alone) is never used. The newest usable version of each table
     * and the lowest member holding it let lagging members pull it.
     */
    public static Recovery recover(SortedMap<Integer, Map<String, TableVersion>> versionsByNode,
                                   SortedMap<Integer, Optional<PreparedChange>> preparedByNode,
                                   SortedMap<Integer, Set<TableVersion>> rolledBackByNode) {
        SortedSet<TableVersion> dead = new TreeSet<>(TableVersion.TOTAL_ORDER);
        rolledBackByNode.values().forEach(dead::addAll);
        SortedMap<String, TableVersion> applied = newestUsable(versionsByNode, dead, new TreeMap<>());
        Set<String> forward = new TreeSet<>();
        preparedByNode.values().forEach(change -> change.ifPresent(c -> {
            TableVersion newest = applied.getOrDefault(c.table().name(), TableVersion.NONE);
            boolean someoneApplied = !c.table().version().isNewerThan(newest);
            if (someoneApplied && !dead.contains(c.table().version())) {
                forward.add(c.txId());
            } else if (!someoneApplied) {
                dead.add(c.table().version());
            }
        }));
        SortedMap<String, Integer> holders = new TreeMap<>();
        SortedMap<String, TableVersion> newest = newestUsable(versionsByNode, dead, holders);
        preparedByNode.forEach((node, change) -> change.filter(c -> forward.contains(c.txId()))
                .ifPresent(c -> offer(newest, holders, c.table().name(), c.table().version(), node)));
        return new Recovery(forward, bounded(dead), newest, holders);
    }

    private static SortedMap<String, TableVersion> newestUsable(SortedMap<Integer, Map<String, TableVersion>> versionsByNode,
                                                                Set<TableVersion> dead, SortedMap<String, Integer> holders) {
        SortedMap<String, TableVersion> newest = new TreeMap<>();
        versionsByNode.forEach((node, versions) -> versions.forEach((name, version) -> {
            if (!dead.contains(version)) {
                offer(newest, holders, name, version, node);
            }
        }));
        return newest;
    }

    private static void offer(SortedMap<String, TableVersion> newest, SortedMap<String, Integer> holders,
                              String name, TableVersion version, int node) {
        TableVersion current = newest.get(name);
        if (current == null || version.isNewerThan(current)) {
            newest.put(name, version);
            holders.put(name, node);
        }
    }

    /** Applies the recovery decision of a new membership and starts pulling what this node lacks. */
    public void install(Membership membership, Message.Commit commit, long nowNanos, Effects.Builder out) {
        abandonTransaction(out);
        adoptRolledBack(commit.rolledBack(), out);
        prepared.ifPresent(change -> resolvePrepared(change, commit.rollForward().contains(change.txId()), out));
        pulls.clear();
        commit.newest().forEach((name, version) -> {
            Table mine = tables.get(name);
            if (mine == null || version.isNewerThan(mine.version())) {
                requestPull(name, commit.holders().getOrDefault(name, membership.coordinator()), version, nowNanos, out);
            }
        });
    }

    /** Remembers versions rolled back for good and stops using any table copy at one of them. */
    private void adoptRolledBack(Set<TableVersion> versions, Effects.Builder out) {
        if (rolledBack.containsAll(versions)) {
            return;
        }
        SortedSet<TableVersion> merged = new TreeSet<>(TableVersion.TOTAL_ORDER);
        merged.addAll(rolledBack);
        merged.addAll(versions);
        rolledBack = bounded(merged);
        out.add(new Effect.PersistRolledBack(Collections.unmodifiableSortedSet(bounded(rolledBack))));
        tables.values().removeIf(table -> rolledBack.contains(table.version()));
    }

    private void resolvePrepared(PreparedChange change, boolean forward, Effects.Builder out) {
        if (forward) {
            apply(change.table(), out);
        }
        prepared = Optional.empty();
        out.add(new Effect.PersistPrepared(Optional.empty()));
    }

    private void requestPull(String name, int holder, TableVersion wanted, long nowNanos, Effects.Builder out) {
        if (holder == self) {
            return;
        }
        pulls.put(name, new Pull(holder, wanted, nowNanos));
        out.add(new Effect.Send(holder, new Message.TableRequest(self, name)));
    }

    /** Re-asks for tables still missing after a timeout; bounded to one request per table per timeout. */
    public void retryPulls(long nowNanos, Effects.Builder out) {
        pulls.replaceAll((name, pull) -> {
            if (nowNanos - pull.requestedAtNanos() < timeoutNanos) {
                return pull;
            }
            out.add(new Effect.Send(pull.holder(), new Message.TableRequest(self, name)));
            return new Pull(pull.holder(), pull.wanted(), nowNanos);
        });
    }

    public void onTableRequest(Message.TableRequest request, Effects.Builder out) {
        Table table = tables.get(request.name());
        if (table != null) {
            out.add(new Effect.Send(request.from(), new Message.TableReply(self, table)));
        }
    }

    public void onTableReply(Message.TableReply reply, Effects.Builder out) {
        Table table = reply.table();
        Pull pull = pulls.get(table.name());
        if (!table.verify()) {
            out.notify(new Event.TableRefused(table.name(), "node " + reply.from(), "checksum mismatch for version " + table.version()));
            return;
        }
        if (pull == null || pull.wanted().isNewerThan(table.version()) || rolledBack.contains(table.version())) {
            return;
        }
        apply(table, out);
        pulls.remove(table.name());
    }

    private void apply(Table table, Effects.Builder out) {
        if (rolledBack.contains(table.version())) {
            return;
        }
        Table mine = tables.get(table.name());
        if (mine != null && !table.version().isNewerThan(mine.version())) {
            return;
        }
        tables.put(table.name(), table);
        out.add(new Effect.PersistTable(table));
    }

    // ---- member side of a change -------------------------------------------------------------

    public void onPrepare(Message.Prepare prepare, Membership installed, Effects.Builder out) {
        String refusal = prepareRefusal(prepare, installed);
        String txId = prepare.change().txId();
        if (refusal == null) {
            prepared = Optional.of(prepare.change());
            out.add(new Effect.PersistPrepared(prepared));
        }
        out.add(new Effect.Send(prepare.from(), new Message.Prepared(self, prepare.epoch(), txId, refusal == null,
                refusal == null ? "" : refusal)));
    }

    private String prepareRefusal(Message.Prepare prepare, Membership installed) {
        if (installed == null || !installed.epoch().equals(prepare.epoch()) || installed.coordinator() != prepare.from()) {
            return "node " + self + " is not in epoch " + prepare.epoch() + " under coordinator " + prepare.from();
        }
        Table table = prepare.change().table();
        if (!table.verify()) {
            return "the prepared table " + table.name() + " fails its checksum";
        }
        TableVersion mine = Optional.ofNullable(tables.get(table.name())).map(Table::version).orElse(TableVersion.NONE);
        if (!mine.equals(prepare.base())) {
            return "node " + self + " holds " + table.name() + " at " + mine + ", the change is based on " + prepare.base();
        }
        return null;
    }

    public void onCommitChange(Message.CommitChange commit, Effects.Builder out) {
        boolean mine = prepared.map(c -> c.txId().equals(commit.txId())).orElse(false);
        if (!mine) {
            return;
        }
        apply(prepared.get().table(), out);
        prepared = Optional.empty();
        out.add(new Effect.PersistPrepared(Optional.empty()));
        out.add(new Effect.Send(commit.from(), new Message.Applied(self, commit.epoch(), commit.txId())));
    }

    public void onAbortChange(Message.AbortChange abort, Effects.Builder out) {
        if (prepared.map(c -> c.txId().equals(abort.txId())).orElse(false)) {
            prepared = Optional.empty();
            out.add(new Effect.PersistPrepared(Optional.empty()));
        }
    }

    // ---- coordinator side of a change --------------------------------------------------------

    private enum Phase { PREPARING, RECORDING, COMMITTING }

    private static final class Transaction {
        final long requestId;
        final PreparedChange change;
        final Epoch epoch;
        final Set<Integer> waiting;
        final SortedSet<Integer> others;
        Phase phase = Phase.PREPARING;
        long phaseStartedNanos;

        Transaction(long requestId, PreparedChange change, Epoch epoch, Set<Integer> others, long nowNanos) {
            this.requestId = requestId;
            this.change = change;
            this.epoch = epoch;
            this.others = Collections.unmodifiableSortedSet(new TreeSet<>(others));
            this.waiting = new TreeSet<>(others);
            this.phaseStartedNanos = nowNanos;
        }
    }

    /**
     * Starts a change; returns true when every member has already prepared (a one-node membership),
     * so the caller moves on to recording the membership or committing.
     */
    public boolean propose(long requestId, String name, String content, Membership membership, long nowNanos, Effects.Builder out) {
        String refusal = proposalRefusal(name, content);
        if (refusal != null) {
            out.notify(new Event.ChangeFailed(requestId, refusal));
            return false;
        }
        TableVersion base = Optional.ofNullable(tables.get(name)).map(Table::version).orElse(TableVersion.NONE);
        Table table = Table.create(name, membership.epoch(), base.generation() + 1, content);
        PreparedChange change = new PreparedChange(membership.epoch() + "#" + (++txCounter), table);
        Set<Integer> others = new TreeSet<>(membership.members());
        others.remove(self);
        tx = new Transaction(requestId, change, membership.epoch(), others, nowNanos);
        prepared = Optional.of(change);
        out.add(new Effect.PersistPrepared(prepared));
        others.forEach(node -> out.add(new Effect.Send(node, new Message.Prepare(self, membership.epoch(), change, base))));
        return others.isEmpty();
    }

    private String proposalRefusal(String name, String content) {
        if (tx != null) {
            return "change " + tx.change.txId() + " is still in progress; try again when it finishes";
        }
        if (name == null || !TABLE_NAME.matcher(name).matches()) {
            return "table name '" + name + "' must match " + TABLE_NAME.pattern();
        }
        if (!tables.containsKey(name) && tables.size() >= MAX_TABLES) {
            return "the repository already holds " + MAX_TABLES + " tables; table " + name + " would be one more";
        }
        if (content == null || content.length() > Table.MAX_CONTENT_CHARS) {
            return "table " + name + ": content must be at most " + Table.MAX_CONTENT_CHARS + " characters";
        }
        if (!isSynced()) {
            return "this node is still fetching tables " + pulls.keySet() + " from other members";
        }
        return null;
    }

    /** A member's answer to Prepare; returns true when every member has now prepared. */
    public boolean onPrepared(Message.Prepared prepared, Effects.Builder out) {
        if (tx == null || tx.phase != Phase.PREPARING || !tx.change.txId().equals(prepared.txId())) {
            return false;
        }
        if (!prepared.ok()) {
            abort("node " + prepared.from() + " refused: " + prepared.reason(), out);
            return false;
        }
        tx.waiting.remove(prepared.from());
        return tx.waiting.isEmpty();
    }

    /** The caller is recording the committing membership on the quorum device first. */
    public void recording(long nowNanos) {
        tx.phase = Phase.RECORDING;
        tx.phaseStartedNanos = nowNanos;
    }

    public boolean isRecording() {
        return tx != null && tx.phase == Phase.RECORDING;
    }

    /** The commit point: apply here durably, then tell every member. */
    public void commit(long nowNanos, Effects.Builder out) {
        tx.phase = Phase.COMMITTING;
        tx.phaseStartedNanos = nowNanos;
        tx.waiting.clear();
        tx.waiting.addAll(tx.others);
        apply(tx.change.table(), out);
        prepared = Optional.empty();
        out.add(new Effect.PersistPrepared(Optional.empty()));
        tx.others.forEach(node -> out.add(new Effect.Send(node, new Message.CommitChange(self, tx.epoch, tx.change.txId()))));
        finishIfApplied(out);
    }

    public void onApplied(Message.Applied applied, Effects.Builder out) {
        if (tx == null || tx.phase != Phase.COMMITTING || !tx.change.txId().equals(applied.txId())) {
            return;
        }
        tx.waiting.remove(applied.from());
        finishIfApplied(out);
    }

    private void finishIfApplied(Effects.Builder out) {
        if (tx.waiting.isEmpty()) {
            out.notify(new Event.ChangeCommitted(tx.requestId, tx.change.table().name(), tx.change.table().version()));
            tx = null;
        }
    }

    /** Gives up before the commit point: nobody applied, so everyone rolls back. */
    public void abort(String reason, Effects.Builder out) {
        if (tx == null || tx.phase == Phase.COMMITTING) {
            return;
        }
        tx.others.forEach(node -> out.add(new Effect.Send(node, new Message.AbortChange(self, tx.epoch, tx.change.txId()))));
        if (prepared.map(c -> c.txId().equals(tx.change.txId())).orElse(false)) {
            prepared = Optional.empty();
            out.add(new Effect.PersistPrepared(Optional.empty()));
        }
        out.notify(new Event.ChangeFailed(tx.requestId, reason));
        tx = null;
    }

    /** Times out a change stuck before its commit point; re-sends the commit to members that did not confirm. */
    public void tick(long nowNanos, Effects.Builder out) {
        if (tx == null || nowNanos - tx.phaseStartedNanos < timeoutNanos) {
            return;
        }
        if (tx.phase != Phase.COMMITTING) {
            abort("timed out in phase " + tx.phase + " waiting for " + (tx.phase == Phase.RECORDING ? "the quorum device" : "nodes " + tx.waiting), out);
            return;
        }
        tx.phaseStartedNanos = nowNanos;
        tx.waiting.forEach(node -> out.add(new Effect.Send(node, new Message.CommitChange(self, tx.epoch, tx.change.txId()))));
    }

    private void abandonTransaction(Effects.Builder out) {
        if (tx == null) {
            return;
        }
        if (tx.phase == Phase.COMMITTING) {
            out.notify(new Event.ChangeInDoubt(tx.requestId, "membership changed before every member confirmed " + tx.change.txId()
                    + "; it stays if any member of the new membership applied it, else it is rolled back for good"));
        } else {
            out.notify(new Event.ChangeFailed(tx.requestId, "membership changed before every member prepared " + tx.change.txId() + "; rolled back"));
        }
        tx = null;
    }

    public long nextDeadline() {
        long next = Long.MAX_VALUE;
        if (tx != null) {
            next = tx.phaseStartedNanos + timeoutNanos;
        }
        for (Pull pull : pulls.values()) {
            next = Math.min(next, pull.requestedAtNanos() + timeoutNanos);
        }
        return next;
    }
}
