package dev.baton.plugins.serial;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Byte helpers the framing tests share. */
final class TestBytes {
    private TestBytes() {
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
