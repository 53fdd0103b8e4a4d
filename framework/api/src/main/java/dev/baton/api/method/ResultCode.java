package dev.baton.api.method;

import java.util.OptionalInt;

/**
 * The outcome of one method call. Probes are three-valued (RUNNING, NOT_RUNNING, FAILED) plus
 * DEGRADED; never a boolean.
 *
 * <p>Each constant documents what the resource group manager does with it. The OCF exit code
 * mapping (resource-agents' ocf-returncodes, Pacemaker's extensions for 190/191) lets a future
 * bridge run OCF agents as Baton types and lets operators read Baton results in OCF terms.
 *
 * <table>
 *   <caption>Mapping to OCF exit codes</caption>
 *   <tr><th>Baton</th><th>to OCF</th><th>from OCF</th></tr>
 *   <tr><td>SUCCESS</td><td>0 OCF_SUCCESS</td><td>0 (non-monitor actions)</td></tr>
 *   <tr><td>RUNNING</td><td>0 OCF_SUCCESS</td><td>0 (monitor), 8 OCF_RUNNING_PROMOTED (monitor)</td></tr>
 *   <tr><td>NOT_RUNNING</td><td>7 OCF_NOT_RUNNING</td><td>7 (monitor)</td></tr>
 *   <tr><td>DEGRADED</td><td>190 OCF_DEGRADED</td><td>190, 191 (monitor)</td></tr>
 *   <tr><td>FAILED</td><td>1 OCF_ERR_GENERIC</td><td>1, 9, 7 and 8 outside monitor, anything unknown</td></tr>
 *   <tr><td>FAILED_HARD</td><td>5 OCF_ERR_INSTALLED</td><td>2, 3, 4, 5</td></tr>
 *   <tr><td>CONFIG_ERROR</td><td>6 OCF_ERR_CONFIGURED</td><td>6</td></tr>
 *   <tr><td>TIMED_OUT</td><td>none (Pacemaker reports an execution status, not an exit code)</td><td>never</td></tr>
 * </table>
 */
public enum ResultCode {
    /** The method did what it was asked (start: the service answers; stop: nothing of it runs). */
    SUCCESS,
    /** Probe only: the service runs and answers as expected. */
    RUNNING,
    /** Probe only: the service is cleanly stopped on this node: nothing of it runs here. */
    NOT_RUNNING,
    /** Probe only: the service answers but below par (a lost replica, a slow backend); no recovery. */
    DEGRADED,
    /** A soft failure: the RGM restarts the resource up to Retry_count, then moves its group. */
    FAILED,
    /** A failure tied to this node (missing binary, permission): move the group and avoid this node. */
    FAILED_HARD,
    /** The configuration cannot work on any node: start the resource nowhere until it is fixed. */
    CONFIG_ERROR,
    /** Assigned by the runtime only: the method passed its timeout and everything it started was killed. */
    TIMED_OUT;

    /** The OCF exit code an OCF agent would have returned, empty for {@link #TIMED_OUT}. */
    public OptionalInt ocfExitCode() {
        return switch (this) {
            case SUCCESS, RUNNING -> OptionalInt.of(0);
            case NOT_RUNNING -> OptionalInt.of(7);
            case DEGRADED -> OptionalInt.of(190);
            case FAILED -> OptionalInt.of(1);
            case FAILED_HARD -> OptionalInt.of(5);
            case CONFIG_ERROR -> OptionalInt.of(6);
            case TIMED_OUT -> OptionalInt.empty();
        };
    }

    /**
     * Reads an OCF agent's exit code.
     *
     * @param monitor whether the exit code came from a monitor (probe) action, where 0 and 7
     *                mean running and cleanly stopped rather than success and error
     */
    public static ResultCode fromOcfExitCode(int exitCode, boolean monitor) {
        return switch (exitCode) {
            case 0 -> monitor ? RUNNING : SUCCESS;
            case 7 -> monitor ? NOT_RUNNING : FAILED;
            case 8 -> monitor ? RUNNING : FAILED;
            case 190, 191 -> monitor ? DEGRADED : FAILED;
            case 2, 3, 4, 5 -> FAILED_HARD;
            case 6 -> CONFIG_ERROR;
            default -> FAILED;
        };
    }

    /** Whether this code says the service is up (RUNNING or DEGRADED). */
    public boolean isUp() {
        return this == RUNNING || this == DEGRADED;
    }
}
