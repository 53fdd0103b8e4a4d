/**
 * The resource group manager: the model ({@link dev.baton.core.rgm.RgmConfig}, {@link
 * dev.baton.core.rgm.RgmState}), the pure scheduler ({@link dev.baton.core.rgm.Scheduler}: state in,
 * {@link dev.baton.core.rgm.TransitionGraph} out) and the one graph runner ({@link
 * dev.baton.core.rgm.GraphRunner}) that the daemon and the simulator both drive. Start reading at
 * {@link dev.baton.core.rgm.Scheduler}; the policies are in docs/design/rgm.md.
 */
package dev.baton.core.rgm;
