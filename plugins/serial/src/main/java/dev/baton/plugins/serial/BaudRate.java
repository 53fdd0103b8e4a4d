package dev.baton.plugins.serial;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The standard line speeds a serial path accepts, with Linux's termios speed codes (octal, as
 * in {@code <asm-generic/termbits.h>}). Below 1200 baud a largest frame would take over 17 s.
 */
public enum BaudRate {
    B1200(1200, 0000011),
    B1800(1800, 0000012),
    B2400(2400, 0000013),
    B4800(4800, 0000014),
    B9600(9600, 0000015),
    B19200(19200, 0000016),
    B38400(38400, 0000017),
    B57600(57600, 0010001),
    B115200(115200, 0010002),
    B230400(230400, 0010003),
    B460800(460800, 0010004),
    B500000(500000, 0010005),
    B576000(576000, 0010006),
    B921600(921600, 0010007),
    B1000000(1000000, 0010010),
    B1152000(1152000, 0010011),
    B1500000(1500000, 0010012),
    B2000000(2000000, 0010013),
    B2500000(2500000, 0010014),
    B3000000(3000000, 0010015),
    B3500000(3500000, 0010016),
    B4000000(4000000, 0010017);

    private final int bitsPerSecond;
    private final int termiosCode;

    BaudRate(int bitsPerSecond, int termiosCode) {
        this.bitsPerSecond = bitsPerSecond;
        this.termiosCode = termiosCode;
    }

    public int bitsPerSecond() {
        return bitsPerSecond;
    }

    int termiosCode() {
        return termiosCode;
    }

    public static Optional<BaudRate> ofBitsPerSecond(int bitsPerSecond) {
        return Arrays.stream(values()).filter(b -> b.bitsPerSecond == bitsPerSecond).findFirst();
    }

    static Optional<BaudRate> ofTermiosCode(int code) {
        return Arrays.stream(values()).filter(b -> b.termiosCode == code).findFirst();
    }

    /** "1200, 1800, ... 4000000" for error messages. */
    public static String allowed() {
        return Arrays.stream(values()).map(b -> Integer.toString(b.bitsPerSecond)).collect(Collectors.joining(", "));
    }
}
