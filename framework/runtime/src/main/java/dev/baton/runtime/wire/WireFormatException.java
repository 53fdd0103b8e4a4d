package dev.baton.runtime.wire;

/**
 * Bytes that do not decode into a core message or input: the message names what was wrong (the
 * type tag, the field, the length or count) and the byte offset where it was read.
 */
public final class WireFormatException extends Exception {
    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
