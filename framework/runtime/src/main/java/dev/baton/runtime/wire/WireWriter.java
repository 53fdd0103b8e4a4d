package dev.baton.runtime.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Big-endian primitives for the codecs, into a growing array. Refuses at encoding time what
 * {@link WireReader} would refuse at decoding time (a node id out of range, a null, an oversized
 * string or collection), so a sender learns of its bug rather than every receiver.
 */
final class WireWriter {
    /** The first byte of every encoding; a change of layout takes a new version. */
    static final int FORMAT_VERSION = 1;

    private final int maxBytes;
    private final String what;
    private byte[] buffer = new byte[128];
    private int size;

    /** {@code what} names the encoded thing in the error when it would pass {@code maxBytes}. */
    WireWriter(String what, int maxBytes) {
        this.what = what;
        this.maxBytes = maxBytes;
    }

    /** The format version, then what {@code body} writes. */
    static byte[] whole(String what, int maxBytes, java.util.function.Consumer<WireWriter> body) {
        WireWriter w = new WireWriter(what, maxBytes);
        w.u8(FORMAT_VERSION);
        body.accept(w);
        return w.toByteArray();
    }

    void u8(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
    }

    void bool(boolean value) {
        u8(value ? 1 : 0);
    }

    void i32(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
    }

    void i64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
    }

    /** A node id in {@code min..max}, in one byte (ids are at most 64). */
    void node(String field, int id, int min, int max) {
        if (id < min || id > max) {
            throw new IllegalArgumentException(field + ": node id " + id + " is outside " + min + ".." + max);
        }
        u8(id);
    }

    void string(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is null");
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > WireReader.MAX_STRING_BYTES) {
            throw new IllegalArgumentException(field + ": " + utf8.length + " bytes of UTF-8, at most " + WireReader.MAX_STRING_BYTES);
        }
        i32(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buffer, size, utf8.length);
        size += utf8.length;
    }

    /** An enum constant by name: a renamed or reordered constant fails loudly instead of changing meaning. */
    void enumName(String field, Enum<?> value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is null");
        }
        string(field, value.name());
    }

    void count(String field, Collection<?> c) {
        countOf(field, c.size());
    }

    <T> void list(String field, Collection<T> items, java.util.function.Consumer<T> element) {
        count(field, items);
        items.forEach(element);
    }

    <K, V> void map(String field, Map<K, V> map, BiConsumer<K, V> entry) {
        countOf(field, map.size());
        map.forEach(entry);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    int size() {
        return size;
    }

    private void countOf(String field, int count) {
        if (count > WireReader.MAX_COUNT) {
            throw new IllegalArgumentException(field + ": " + count + " elements, at most " + WireReader.MAX_COUNT);
        }
        i32(count);
    }

    private void ensure(int more) {
        if (more > maxBytes - size) {
            throw new IllegalArgumentException(what + " would encode to more than " + maxBytes + " bytes");
        }
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
