package dev.baton.runtime.state;

import dev.baton.core.Input;
import java.util.List;

/**
 * What {@link StateDir#load()} found: the core's first input, every problem (each naming its
 * file and what was done about it), and whether the daemon may start.
 *
 * <p>{@code mayStart} is false when a file the peers cannot repair is unreadable: the promise (a
 * node that forgot a promise could accept an older epoch it already refused, and count in two
 * memberships) or the rolled-back versions (a copy rolled back for good could come back as the
 * newest). Those files stay where they are for the operator; docs/design/state-directory.md says
 * what to do. Refused tables and a refused prepared change do not stop the start: the core
 * fetches tables from peers, and the members' recovery settles a prepared change.
 */
public record BootState(Input.Boot boot, List<String> problems, boolean mayStart) {
    public BootState {
        problems = List.copyOf(problems);
    }
}
