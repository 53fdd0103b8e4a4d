package dev.baton.core.rgm;

/** A resource group configuration that cannot work; the message names the line, group or resource. */
public final class InvalidRgmConfigException extends RuntimeException {
    public InvalidRgmConfigException(String message) {
        super(message);
    }
}
