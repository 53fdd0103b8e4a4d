/**
 * Scenario scripts for the simulator: small text files of commands, each followed by the output it
 * must print (etcd raft's datadriven style). {@link dev.baton.sim.scenario.ScenarioRunner} runs one;
 * the scripts and their format live in this module's src/test/resources/scenarios.
 */
package dev.baton.sim.scenario;
