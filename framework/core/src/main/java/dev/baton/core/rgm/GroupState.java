package dev.baton.core.rgm;

/**
 * A group's state on one node, derived from its resources' states there ({@link
 * RgmState#groupState}). Shown by the shell; the scheduler works from resource states.
 */
public enum GroupState {
    /** The operator took it out of the RGM's hands: no method runs. */
    UNMANAGED,
    OFFLINE,
    PENDING_ONLINE,
    ONLINE,
    PENDING_OFFLINE,
    /** A stop failed here: the group cannot move until the node is fenced or the error is cleared. */
    ERROR_STOP_FAILED,
    /** Online with a failed resource (a probe or start failure not recovered). */
    ONLINE_FAULTED,
    /** Should come online here but something blocks it (a dependency, a clearance, a failure); the reason is shown. */
    PENDING_ONLINE_BLOCKED
}
