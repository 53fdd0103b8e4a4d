package dev.baton.api.spi;

/** Three-valued health of a device or path: never a boolean, because "could not tell" is common. */
public enum DeviceHealth {
    /** The last check reached the device and it answered as expected. */
    HEALTHY,
    /** The last check reached the device and it answered wrongly, or it could not be reached. */
    FAILED,
    /** No check completed yet, or the last one timed out: treat as not healthy for safety decisions. */
    UNKNOWN
}
