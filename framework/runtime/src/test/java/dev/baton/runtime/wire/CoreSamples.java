package dev.baton.runtime.wire;

import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.core.Input;
import dev.baton.core.Message;
import dev.baton.core.ccr.PreparedChange;
import dev.baton.core.ccr.Table;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.membership.Epoch;
import dev.baton.core.membership.Membership;
import dev.baton.core.rgm.Request;
import dev.baton.core.rgm.ResourceState;
import dev.baton.core.rgm.RgmSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** One or more instances of every Message, Input and Request subtype, with every field set to something non-trivial. */
final class CoreSamples {
    static final Epoch EPOCH = new Epoch(7, 2);
    static final Epoch NEWER = new Epoch(8, 1);
    static final TableVersion V1 = new TableVersion(EPOCH, 3, 0xdeadbeefL);
    static final TableVersion V2 = new TableVersion(Epoch.NONE, 1, 42);
    static final Table TABLE = Table.create("rgm", EPOCH, 4, "group web failover nodes=1,2,3\n  résumé ✓ 𝄞\n");
    static final PreparedChange PREPARED = new PreparedChange("7.2-5", TABLE);
    static final Membership MEMBERSHIP = new Membership(EPOCH, new TreeSet<>(Set.of(3, 1, 2)), true, false, "3 of 3 votes");
    static final RgmSnapshot SNAPSHOT = new RgmSnapshot(
            List.of(new RgmSnapshot.StateEntry("web-ip", 1, ResourceState.ONLINE),
                    new RgmSnapshot.StateEntry("db-app", 2, ResourceState.STOP_FAILED)),
            true,
            List.of(new RgmSnapshot.FailureEntry("web-app", 3, List.of(1200L, 50L))),
            List.of(new RgmSnapshot.GroupEntry("web", true, true, false, 2, true, Map.of(3, 9000L)),
                    new RgmSnapshot.GroupEntry("db", false, true, true, -1, false, Map.of())),
            Map.of(3, 60_000L));

    /** A heartbeat of node 1 in a three-node cluster with two networks, as NodeCore sends it. */
    static final Message.Heartbeat HEARTBEAT = new Message.Heartbeat(1, EPOCH, 7, 12_345,
            Map.of(1, Set.of("net1", "net2"), 2, Set.of("net1", "net2"), 3, Set.of("net1")),
            Map.of(2, 12_001L, 3, 11_999L));

    private CoreSamples() {
    }

    static List<Message> messages() {
        List<Message> all = new ArrayList<>(List.of(
                HEARTBEAT,
                new Message.Propose(2, NEWER, Set.of(1, 2, 3)),
                new Message.Accept(3, NEWER, Map.of(1, 150L, 2, 20L), Map.of(4, Message.Commit.FENCE_REQUIRED), true,
                        Map.of("cluster", V2, "rgm", V1), Optional.of(PREPARED), Set.of(V2)),
                new Message.Accept(1, NEWER, Map.of(), Map.of(), false, Map.of(), Optional.empty(), Set.of()),
                new Message.Reject(1, NEWER, EPOCH, "promised 7.2, does not hear node 3"),
                new Message.Commit(2, MEMBERSHIP, Map.of(4, 850L, 5, Message.Commit.FENCE_REQUIRED), Set.of("7.2-5"),
                        Set.of(V1, V2), Map.of("rgm", V1, "cluster", V2), Map.of("rgm", 3, "cluster", 1)),
                new Message.Cleared(2, EPOCH, 4),
                new Message.Prepare(2, EPOCH, PREPARED, V2),
                new Message.Prepared(3, EPOCH, "7.2-5", false, "base version mismatch"),
                new Message.CommitChange(2, EPOCH, "7.2-5"),
                new Message.Applied(3, EPOCH, "7.2-5"),
                new Message.AbortChange(2, EPOCH, "7.2-6"),
                new Message.TableRequest(1, "rgm"),
                new Message.TableReply(3, TABLE),
                new Message.RgmAction(1, EPOCH, 77, "web-app", MethodName.PRENET_START),
                new Message.RgmResult(2, EPOCH, 77, ResultCode.FAILED_HARD, true, "queue full"),
                new Message.RgmMonitor(3, EPOCH, "db-app", ResultCode.DEGRADED, "replica lag 4 s"),
                new Message.RgmStatus(1, EPOCH, SNAPSHOT),
                new Message.RgmHalt(1, EPOCH, "stop of db-app failed under Failover_mode HARD"),
                new Message.RgmHello(3, EPOCH),
                new Message.RgmReply(1, 99, Optional.of("no group named 'mail'")),
                new Message.RgmReply(1, 100, Optional.empty())));
        requests().forEach(q -> all.add(new Message.RgmRequest(2, 99, q)));
        return all;
    }

    static List<Request> requests() {
        return List.of(new Request.Online("web"), new Request.Offline("web"), new Request.Switchover("db", 3),
                new Request.Evacuate(2, 60_000), new Request.Suspend("web"), new Request.Resume("web"),
                new Request.Unmanage("db"), new Request.Manage("db"), new Request.Clear("db-app", 99));
    }

    static List<Input> inputs() {
        List<Input> all = new ArrayList<>(List.of(
                new Input.Tick(),
                new Input.Boot(EPOCH, List.of(TABLE, Table.create("cluster", Epoch.NONE, 1, "name=demo")),
                        Optional.of(PREPARED), Set.of(V1)),
                Input.Boot.empty(),
                new Input.DeviceRaceResult(EPOCH, Input.RaceOutcome.WON,
                        Optional.of(new Input.CommittedRecord(NEWER, Set.of(1, 2))), Set.of(3)),
                new Input.DeviceRaceResult(EPOCH, Input.RaceOutcome.UNKNOWN, Optional.empty(), Set.of()),
                new Input.DeviceCheckResult(123_456_789L, EPOCH, true),
                new Input.DeviceRecordResult(EPOCH, false),
                new Input.FenceResult(3, true, "ipmi: chassis power off"),
                new Input.ProposeChange(5, "rgm", TABLE.content()),
                new Input.OverrideAmnesia(),
                new Input.MethodDone(8, ResultCode.TIMED_OUT, "killed after 2000 ms")));
        messages().forEach(m -> all.add(new Input.Received(m, "net" + m.from())));
        requests().forEach(q -> all.add(new Input.RgmCommand(9, q)));
        return all;
    }
}
