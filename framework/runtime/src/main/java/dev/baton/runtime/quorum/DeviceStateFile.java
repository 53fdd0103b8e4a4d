package dev.baton.runtime.quorum;

import dev.baton.core.membership.Epoch;
import dev.baton.runtime.state.StateFileException;
import dev.baton.runtime.state.StateText;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One cluster's {@link DeviceState} as a state file (the format of dev.baton.runtime.state):
 * <pre>
 * baton-quorum-cluster 1
 * cluster: alpha
 * connected: 1,2,3
 * registered: 1,2
 * holder: 7.1                (none before the first race)
 * committed: 6.1             (none before the first record)
 * committed-members: 1,2
 * floors: 1=1763712000000/42,2=1763712000150/17
 * </pre>
 */
final class DeviceStateFile {
    private static final String KIND = "quorum-cluster";
    private static final String NONE = "none";
    static final int MAX_BYTES = 16 * 1024;

    private DeviceStateFile() {
    }

    static String render(String cluster, DeviceState state) {
        SequencedMap<String, String> fields = new LinkedHashMap<>();
        fields.put("cluster", cluster);
        fields.put("connected", NodeSets.format(state.connected()));
        fields.put("registered", NodeSets.format(state.registered()));
        fields.put("holder", state.holder().map(Epoch::toString).orElse(NONE));
        fields.put("committed", state.committed().map(c -> c.epoch().toString()).orElse(NONE));
        fields.put("committed-members", state.committed().map(c -> NodeSets.format(c.members())).orElse(""));
        fields.put("floors", state.floors().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().incarnation() + "/" + e.getValue().seq())
                .collect(Collectors.joining(",")));
        return StateText.render(KIND, "the quorum server's record for one cluster; do not edit while the server runs", fields, null);
    }

    static DeviceState parse(String expectedCluster, byte[] bytes) throws StateFileException {
        StateText text = StateText.parse(bytes, KIND);
        if (!text.field("cluster").equals(expectedCluster)) {
            throw new StateFileException("holds cluster '" + StateText.abbreviate(text.field("cluster")) + "', expected '" + expectedCluster + "'");
        }
        Optional<Epoch> committedEpoch = optionalEpoch(text, "committed");
        Optional<DeviceState.Committed> committed = committedEpoch.isEmpty() ? Optional.empty()
                : Optional.of(new DeviceState.Committed(committedEpoch.get(), NodeSets.parse(text.field("committed-members"), "committed-members")));
        return new DeviceState(NodeSets.parse(text.field("connected"), "connected"), NodeSets.parse(text.field("registered"), "registered"),
                optionalEpoch(text, "holder"), committed, floors(text.field("floors")));
    }

    private static Optional<Epoch> optionalEpoch(StateText text, String key) throws StateFileException {
        String value = text.field(key);
        if (value.equals(NONE)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Epoch.parse(value));
        } catch (IllegalArgumentException e) {
            throw new StateFileException("'" + key + "' is not an epoch (round.coordinator) or none: '" + StateText.abbreviate(value) + "'");
        }
    }

    private static SortedMap<Integer, DeviceState.Floor> floors(String value) throws StateFileException {
        SortedMap<Integer, DeviceState.Floor> floors = new TreeMap<>();
        if (value.isEmpty()) {
            return floors;
        }
        for (String entry : value.split(",", -1)) {
            int eq = entry.indexOf('=');
            int slash = entry.indexOf('/');
            if (eq < 0 || slash < eq) {
                throw new StateFileException("floors: '" + StateText.abbreviate(entry) + "' is not node=incarnation/seq");
            }
            try {
                floors.put(NodeSets.nodeId(entry.substring(0, eq), "floors"), new DeviceState.Floor(
                        Long.parseLong(entry.substring(eq + 1, slash)), Long.parseLong(entry.substring(slash + 1))));
            } catch (NumberFormatException e) {
                throw new StateFileException("floors: '" + StateText.abbreviate(entry) + "' is not node=incarnation/seq");
            }
        }
        return floors;
    }
}
