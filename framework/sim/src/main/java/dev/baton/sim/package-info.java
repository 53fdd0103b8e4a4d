/**
 * The whole-cluster simulator: runs the real core on a virtual clock with faults injected from a
 * seed, and checks the safety invariants. Arrives with the core issue.
 */
package dev.baton.sim;
