package dev.baton.api.type;

import java.util.Locale;

/** What a method may do, through {@code ctx}, with the files under a declared path. */
public enum FileAccess {
    READ, READ_WRITE;

    public String descriptorName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FileAccess fromDescriptorName(String name) {
        for (FileAccess a : values()) {
            if (a.descriptorName().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown access '" + name + "' (known: read, read_write)");
    }
}
