package dev.baton.core.ccr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.core.Effect;
import dev.baton.core.Effects;
import dev.baton.core.Event;
import dev.baton.core.Message;
import dev.baton.core.membership.Epoch;
import dev.baton.core.membership.Membership;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CcrReplicaTest {
    private static final Epoch E1 = new Epoch(1, 1);
    private static final Epoch E2 = new Epoch(2, 1);
    private static final Table V1 = Table.create("rg", E1, 1, "web on node1");
    private static final Table V2 = Table.create("rg", E2, 2, "web on node2");

    @Test
    void versionsCompareByEpochThenGenerationNeverByGenerationAlone() {
        TableVersion oldEpochHighGeneration = Table.create("rg", E1, 9, "x").version();
        TableVersion newEpochLowGeneration = Table.create("rg", E2, 2, "y").version();
        assertThat(newEpochLowGeneration.isNewerThan(oldEpochHighGeneration)).isTrue();
    }

    @Test
    void aChangedByteFailsTheChecksum() {
        assertThat(V1.verify()).isTrue();
        assertThat(new Table("rg", V1.version(), "web on node3").verify()).isFalse();
        assertThat(new Table("other", V1.version(), V1.content()).verify()).as("the name is covered too").isFalse();
    }

    @Test
    void aPreparedChangeRollsForwardWhenAnyMemberAppliedIt() {
        SortedMap<Integer, Map<String, TableVersion>> versions = new TreeMap<>(Map.of(1, Map.of("rg", V2.version()), 2, Map.of("rg", V1.version())));
        SortedMap<Integer, Optional<PreparedChange>> prepared = new TreeMap<>(Map.of(1, Optional.empty(), 2, Optional.of(new PreparedChange("2.1#1", V2))));
        CcrReplica.Recovery recovery = CcrReplica.recover(versions, prepared, new TreeMap<>());
        assertThat(recovery.rollForward()).containsExactly("2.1#1");
        assertThat(recovery.newest()).containsEntry("rg", V2.version());
        assertThat(recovery.holders()).containsEntry("rg", 1);
    }

    @Test
    void aPreparedChangeNobodyAppliedRollsBack() {
        SortedMap<Integer, Map<String, TableVersion>> versions = new TreeMap<>(Map.of(1, Map.of("rg", V1.version()), 2, Map.of("rg", V1.version())));
        SortedMap<Integer, Optional<PreparedChange>> prepared = new TreeMap<>(Map.of(1, Optional.of(new PreparedChange("2.1#1", V2)), 2, Optional.of(new PreparedChange("2.1#1", V2))));
        CcrReplica.Recovery recovery = CcrReplica.recover(versions, prepared, new TreeMap<>());
        assertThat(recovery.rollForward()).isEmpty();
        assertThat(recovery.newest()).containsEntry("rg", V1.version());
    }

    @Test
    void aRolledBackChangeStaysRolledBackWhenTheNodeThatAppliedItAloneReturns() {
        PreparedChange t = new PreparedChange("2.1#1", V2);
        SortedMap<Integer, Map<String, TableVersion>> survivors = new TreeMap<>(Map.of(2, Map.of("rg", V1.version()), 3, Map.of("rg", V1.version())));
        SortedMap<Integer, Optional<PreparedChange>> survivorsPrepared = new TreeMap<>(Map.of(2, Optional.of(t), 3, Optional.of(t)));
        CcrReplica.Recovery first = CcrReplica.recover(survivors, survivorsPrepared, new TreeMap<>());
        assertThat(first.rollForward()).isEmpty();
        assertThat(first.rolledBack()).containsExactly(V2.version());

        SortedMap<Integer, Map<String, TableVersion>> withOldCoordinator = new TreeMap<>(Map.of(
                1, Map.of("rg", V2.version()), 2, Map.of("rg", V1.version()), 3, Map.of("rg", V1.version())));
        SortedMap<Integer, Set<TableVersion>> remembered = new TreeMap<>(Map.of(2, first.rolledBack(), 3, first.rolledBack(), 1, Set.of()));
        CcrReplica.Recovery second = CcrReplica.recover(withOldCoordinator, new TreeMap<>(), remembered);
        assertThat(second.newest()).containsEntry("rg", V1.version());
        assertThat(second.holders()).containsEntry("rg", 2);

        CcrReplica oldCoordinator = new CcrReplica(1, 100);
        oldCoordinator.boot(List.of(V2), Optional.empty(), Set.of(), new Effects.Builder());
        Membership m = new Membership(new Epoch(3, 1), new TreeSet<>(Set.of(1, 2, 3)), true, false, "test");
        Effects.Builder out = new Effects.Builder();
        oldCoordinator.install(m, new Message.Commit(1, m, Map.of(), Set.of(), second.rolledBack(), second.newest(), second.holders()), 0, out);
        assertThat(oldCoordinator.tables()).doesNotContainKey("rg");
        assertThat(out.build(0).of(Effect.PersistRolledBack.class)).hasSize(1);
        oldCoordinator.onTableReply(new Message.TableReply(2, V1), new Effects.Builder());
        assertThat(oldCoordinator.tables()).containsEntry("rg", V1);
        oldCoordinator.onTableReply(new Message.TableReply(2, V2), new Effects.Builder());
        assertThat(oldCoordinator.tables()).containsEntry("rg", V1);
    }

    @Test
    void rollingBackOneTablesVersionLeavesAnotherTableAtTheSameEpochAndGenerationAlone() {
        Table other = Table.create("web", E2, 2, "web on node1");
        CcrReplica replica = new CcrReplica(1, 100);
        replica.boot(List.of(other), Optional.empty(), Set.of(V2.version()), new Effects.Builder());
        assertThat(other.version().sameVersionAs(V2.version())).as("same epoch and generation").isTrue();
        assertThat(replica.tables()).containsEntry("web", other);
    }

    @Test
    void aTableAtARolledBackVersionIsIgnoredAtBoot() {
        CcrReplica replica = new CcrReplica(1, 100);
        replica.boot(List.of(V2), Optional.empty(), Set.of(V2.version()), new Effects.Builder());
        assertThat(replica.tables()).isEmpty();
    }

    @Test
    void aCorruptedTableOnDiskIsRefusedReportedAndNeverUsed() {
        CcrReplica replica = new CcrReplica(1, 100);
        Effects.Builder out = new Effects.Builder();
        replica.boot(List.of(new Table("rg", V1.version(), "tampered")), Optional.empty(), Set.of(), out);
        assertThat(replica.tables()).isEmpty();
        assertThat(out.build(0).of(Effect.Notify.class)).singleElement()
                .satisfies(n -> assertThat(n.event()).isInstanceOf(Event.TableRefused.class).hasToString(
                        new Event.TableRefused("rg", "disk", "checksum mismatch for version " + V1.version()).toString()));
    }

    @Test
    void aPrepareOnTheWrongBaseIsRefusedWithBothVersions() {
        CcrReplica replica = new CcrReplica(2, 100);
        replica.boot(List.of(V1), Optional.empty(), Set.of(), new Effects.Builder());
        Membership m = new Membership(E2, new TreeSet<>(Set.of(1, 2)), true, false, "test");
        Effects.Builder out = new Effects.Builder();
        Table v3 = Table.create("rg", E2, 3, "z");
        replica.onPrepare(new Message.Prepare(1, E2, new PreparedChange("2.1#1", v3), V2.version()), m, out);
        Message.Prepared answer = (Message.Prepared) out.build(0).of(Effect.Send.class).get(0).message();
        assertThat(answer.ok()).isFalse();
        assertThat(answer.reason()).contains("holds rg at " + V1.version()).contains("based on " + V2.version());
        assertThat(replica.prepared()).isEmpty();
    }

    @Test
    void aPulledTableFailingItsChecksumIsRefused() {
        CcrReplica replica = new CcrReplica(2, 100);
        Membership m = new Membership(E2, new TreeSet<>(Set.of(1, 2)), true, false, "test");
        replica.install(m, new Message.Commit(1, m, Map.of(), Set.of(), Set.of(), Map.of("rg", V2.version()), Map.of("rg", 1)), 0, new Effects.Builder());
        assertThat(replica.isSynced()).isFalse();
        Effects.Builder out = new Effects.Builder();
        replica.onTableReply(new Message.TableReply(1, new Table("rg", V2.version(), "tampered")), out);
        assertThat(replica.isSynced()).isFalse();
        assertThat(out.build(0).of(Effect.Notify.class)).hasSize(1);
        replica.onTableReply(new Message.TableReply(1, V2), new Effects.Builder());
        assertThat(replica.isSynced()).isTrue();
        assertThat(replica.tables()).containsEntry("rg", V2);
    }
}
