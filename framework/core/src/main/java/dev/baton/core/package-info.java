/**
 * The deterministic core: pure state machines that take an input and the current monotonic time
 * and return the effects to perform. Nothing here reads a clock, sleeps, spawns threads or does
 * I/O (ARCHITECTURE.md, "The deterministic core"); the pom's enforcer rule keeps the module's
 * dependencies to baton-api and the JDK. The state machines arrive with the core issue.
 */
package dev.baton.core;
