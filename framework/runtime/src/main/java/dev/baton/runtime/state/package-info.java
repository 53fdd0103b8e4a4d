/**
 * A node's state directory: what survives a daemon restart, written atomically and read
 * suspiciously. Start at {@link dev.baton.runtime.state.StateDir}.
 *
 * <h2>Layout</h2>
 * <pre>
 * STATE/                  mode 0700, owned by the daemon's user; refused if group or others can write it
 *   cluster.key           the cluster key (written by the wire package's ClusterKey)
 *   incarnation           the last incarnation number used (a new, larger one at every start)
 *   promise               the highest epoch this node promised (absent: none yet)
 *   prepared              the change prepared but not applied (absent: none)
 *   rolledback            table versions rolled back for good (absent: none)
 *   ccr/NAME.tbl          one committed CCR table per file
 *   ccr/refused/          refused files moved aside as FILE.yyyyMMddTHHmmss.SSSZ, the newest 10 kept
 *   recording/            recorded inputs of the core, for replay
 *   run/                  sockets and pid files
 * </pre>
 *
 * <h2>File format</h2>
 * Every file is UTF-8 text an operator can read: a first line {@code baton-KIND 1} (kind and
 * format version), optional {@code #} comments, {@code key: value} lines, and for files with a
 * body a {@code body-bytes: N} line, a {@code ---} line and the body verbatim. A table:
 * <pre>
 * baton-table 1
 * # a CCR table; do not edit: the checksum covers name, epoch, generation and content
 * name: rgm
 * epoch: 3.1
 * generation: 7
 * checksum: 5e0f1c2a
 * body-bytes: 812
 * ---
 * (the table's content)
 * </pre>
 * {@code prepared} is a table with a {@code tx:} line first; {@code rolledback} lists one version
 * {@code epoch/generation/checksum} per body line; {@code promise} has {@code epoch:} and
 * {@code incarnation} has {@code last:}.
 *
 * <h2>Writing</h2>
 * {@link dev.baton.runtime.state.AtomicFiles}: a temp file {@code .NAME.*.tmp} in the same directory,
 * forced, renamed over the target with ATOMIC_MOVE, then the directory forced. A crash leaves the
 * old file or the new one, and perhaps a temp file, which the next load deletes.
 *
 * <h2>Reading</h2>
 * A table is used only if its header is well formed, its name matches its file name, its body has
 * the declared length and the core's own checksum ({@code Table.verify}) passes. A refused table
 * or prepared change is reported and moved to {@code ccr/refused/}; the core fetches the table from
 * a member that holds it when this node joins. An unreadable promise or rolled-back list cannot be
 * repaired from peers, so the load says the daemon must not start ({@code BootState.mayStart}).
 */
package dev.baton.runtime.state;
