package dev.baton.runtime.wire;

/**
 * An authenticated, decrypted frame: who sealed it (node id and the incarnation of its process),
 * on which stream, its sequence number there, and the plaintext.
 */
public record Opened(int senderId, long incarnation, int streamId, long seq, byte[] plaintext) {
}
