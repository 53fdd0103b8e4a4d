package dev.baton.core.rgm;

/**
 * Where a resource sits in its group's start order. Network resources (addresses) come up first
 * and go down last, with every resource's {@code prenet_start} before them and {@code
 * postnet_stop} after; storage comes up before the applications that use it.
 */
public enum Tier {
    NETWORK, STORAGE, APPLICATION;

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
