package dev.baton.api.type;

/**
 * The standard property Failover_mode: how far the RGM may go to recover this resource, after
 * Sun Cluster's property of the same name. The scheduler (the RGM issue) applies it; the
 * one-line summaries here are the contract it implements.
 */
public enum FailoverMode {
    /** No automatic recovery of start or stop failures: the resource stays failed until an operator acts. */
    NONE,
    /** Restart up to Retry_count, then move the group; a failed stop leaves the resource STOP_FAILED. */
    SOFT,
    /** As SOFT, and a failed stop fences (or halts) the node so that the group can move. */
    HARD,
    /** Restart up to Retry_count on this node; never move the group. */
    RESTART_ONLY,
    /** Record failures; take no action. */
    LOG_ONLY
}
