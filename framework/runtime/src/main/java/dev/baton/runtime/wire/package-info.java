/**
 * The bytes that travel between Baton nodes: frames authenticated and encrypted with the cluster
 * key ({@link dev.baton.runtime.wire.ClusterKey}, {@link dev.baton.runtime.wire.Sealer},
 * {@link dev.baton.runtime.wire.Opener}). The transport (UDP heartbeats, TCP messages) carries
 * frames and nothing else: a node without the key is not heard (ARCHITECTURE.md, "The runtime").
 *
 * <h2>Frame</h2>
 * <pre>
 * magic 0xBA70 (2) | version 1 (1) | senderId u16 (2) | incarnation (8) | streamId u32 (4) | seq (8)
 * | AES-256-GCM ciphertext of the plaintext | GCM tag (16)
 * </pre>
 * Big-endian; 25 header bytes plus a 16-byte tag, 41 bytes of overhead. The whole header is the
 * GCM additional authenticated data, so no header field can be changed without the tag failing.
 * A frame carries at most 1 MiB of plaintext (one whole message of the codecs), so a frame is at
 * most 1 MiB + 41 bytes; longer ones are dropped as TOO_LARGE before anything else is looked at.
 *
 * <h2>Keys and nonces</h2>
 * GCM loses both secrecy and authenticity if one (key, nonce) pair ever encrypts twice, and with
 * random 96-bit nonces a long-lived cluster key would approach the birthday bound. So nonces are
 * counters, and each sending process gets its own key:
 * {@code subkey = HMAC-SHA256(clusterKey, "baton-frame-v1" || senderId (u16) || incarnation (8))},
 * {@code nonce = streamId (4) || seq (8)} — exactly the last 12 header bytes. Each stream of a
 * {@code Sealer} counts from 1 and never forgets its counter (the number of streams is capped
 * instead), so a process never repeats a nonce; a new process must use a new incarnation. The
 * incarnation is chosen by the caller: the daemon uses wall-clock milliseconds at boot, kept
 * strictly increasing on disk (a clock set back, or two boots in one millisecond, must not
 * repeat one), and nodes must have distinct ids. Receivers cache up to 256 derived keys (LRU).
 *
 * <h2>Replay and restarts</h2>
 * Per (sender, incarnation, stream) the receiver keeps the highest sequence number and a bitmap
 * of the 1024 below it: a number already seen or older than the window is REPLAYED, so UDP
 * reordering within 1024 frames is accepted. Per sender it keeps the newest incarnation whose
 * frame verified: frames of an older one are STALE_INCARNATION (a restarted node's old self, or a
 * recording), and a newer one replaces all the sender's stream state. Memory is bounded: 64
 * senders × 64 streams, the least recently used evicted first. An evicted stream's old frames
 * would be accepted again, so a sender should use at most 64 streams toward one receiver:
 * a stream id names a channel (heartbeats on one network, the reliable channel), not a connection
 * attempt — a reconnecting TCP channel keeps its stream id and its counter goes on.
 *
 * <h2>Order of checks</h2>
 * Length and magic/version/seq first, then the read-only incarnation and window checks, then the
 * HMAC (cached) and GCM decryption; the window and incarnation are updated only after the tag
 * verified, so a forger can neither advance a window (which would make genuine frames look old)
 * nor create state (which would evict genuine senders). Rejections carry no stack trace, and each
 * reason is counted ({@link dev.baton.runtime.wire.Counters}).
 *
 * <h2>Codecs</h2>
 * {@link dev.baton.runtime.wire.MessageCodec} turns every core {@code Message} into a frame's
 * plaintext; {@link dev.baton.runtime.wire.InputCodec} every core {@code Input}, for the daemon's
 * recording of what its core was fed. Hand-written, no reflection or Java serialization:
 * <ul>
 * <li>format version (1 byte, 1), type tag (1 byte, fixed per record: never reuse a retired tag),
 *     then for a message the sender's node id, then the record's fields in declaration order;</li>
 * <li>big-endian {@code int}/{@code long}; booleans one byte, 0 or 1 only; node ids one byte, checked
 *     against their contract (1..64, an epoch's coordinator 0..64, a snapshot's pinned node -1..64;
 *     node ids in operator requests travel as {@code int}, since the coordinator validates them);</li>
 * <li>strings: length (int) and strict UTF-8, at most 256 KiB (a table's 64 Ki chars × 4);
 *     enum constants by name, so a renamed constant fails loudly instead of changing meaning;</li>
 * <li>collections: count (int, at most 100 000, and no more than the remaining bytes could hold),
 *     then the elements; {@code Optional} a presence byte. Sets and maps decode unmodifiable, in the
 *     order written (a replayed recording iterates as the core first did); duplicates are refused.</li>
 * </ul>
 * A table travels with its version and checksum as sent: the receiving core's {@code verify()}
 * decides whether it is intact. Anything else wrong — an unknown tag, a bad length, trailing bytes —
 * is a {@link dev.baton.runtime.wire.WireFormatException} naming the field and byte offset; decoding
 * garbage allocates at most a small multiple of its size (the fuzz test measures it). A message is at
 * most 1 MiB ({@code MAX_MESSAGE_BYTES}), so it always fits one frame; the encoder refuses what the
 * decoder would refuse, so the sender finds its bug, not every receiver. A typical three-node heartbeat
 * with two networks encodes to 109 bytes, 150 in its frame.
 */
package dev.baton.runtime.wire;
