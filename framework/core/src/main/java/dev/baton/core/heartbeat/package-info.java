/**
 * Heartbeat paths as one node sees them. {@link dev.baton.core.heartbeat.LinkTable} records when
 * each peer was last heard on each path; {@link dev.baton.core.heartbeat.PathClassifier} combines
 * that with the peers' {@link dev.baton.core.heartbeat.ReachReport}s to tell an adapter failure
 * from a network failure from a lost node; {@link dev.baton.core.heartbeat.PathMonitor} turns
 * successive classifications into DOWN/UP events. Pure: time is the caller's monotonic
 * {@code nowNanos}, and nothing here sends, receives or sleeps.
 */
package dev.baton.core.heartbeat;
