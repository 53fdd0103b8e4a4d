/**
 * The JLine cluster shell, a client of batond's control socket. Arrives with the daemon issue.
 */
package dev.baton.shell;
