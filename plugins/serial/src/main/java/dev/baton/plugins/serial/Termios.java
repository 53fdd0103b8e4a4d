package dev.baton.plugins.serial;

import com.sun.jna.Structure;

/**
 * glibc's {@code struct termios} on Linux (60 bytes on x86-64 and arm64). JNA reads and writes
 * it around each call that takes it.
 */
@Structure.FieldOrder({"c_iflag", "c_oflag", "c_cflag", "c_lflag", "c_line", "c_cc", "c_ispeed", "c_ospeed"})
public final class Termios extends Structure {
    static final int NCCS = 32;

    public int c_iflag;
    public int c_oflag;
    public int c_cflag;
    public int c_lflag;
    public byte c_line;
    public byte[] c_cc = new byte[NCCS];
    public int c_ispeed;
    public int c_ospeed;
}
