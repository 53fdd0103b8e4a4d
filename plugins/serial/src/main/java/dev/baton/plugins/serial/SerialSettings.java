package dev.baton.plugins.serial;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of one serial path, parsed from the cluster configuration's text map. The one
 * place that names the keys and their defaults.
 *
 * @param device      the tty, e.g. {@code /dev/ttyS0}
 * @param speed       the line speed, the same at both ends
 * @param silence     how long after the last good frame {@code health()} still says HEALTHY
 * @param sendTimeout how long {@code send()} waits for the line to take a frame
 */
public record SerialSettings(Path device, BaudRate speed, Duration silence, Duration sendTimeout) {
    public static final String DEVICE = "device";
    public static final String SPEED = "speed";
    public static final String SILENCE_MS = "silenceMs";
    public static final String SEND_TIMEOUT_MS = "sendTimeoutMs";

    public static final BaudRate DEFAULT_SPEED = BaudRate.B115200;
    public static final long DEFAULT_SILENCE_MS = 1000;
    public static final long DEFAULT_SEND_TIMEOUT_MS = 1000;

    static final long MIN_MS = 10;
    static final long MAX_SILENCE_MS = 600_000;
    static final long MAX_SEND_TIMEOUT_MS = 60_000;

    private static final Set<String> KEYS = Set.of(DEVICE, SPEED, SILENCE_MS, SEND_TIMEOUT_MS);

    /** Defaults for everything but the device. */
    public static SerialSettings of(Path device) {
        return new SerialSettings(device, DEFAULT_SPEED, Duration.ofMillis(DEFAULT_SILENCE_MS),
                Duration.ofMillis(DEFAULT_SEND_TIMEOUT_MS));
    }

    /**
     * Parses and checks the settings.
     *
     * @throws IllegalArgumentException naming every problem (missing device, a speed that is not a
     *                                  standard rate, a value out of range, an unknown key)
     */
    public static SerialSettings parse(Map<String, String> settings) {
        List<String> problems = new ArrayList<>();
        unknownKeys(settings, problems);
        Path device = device(settings.get(DEVICE), problems);
        BaudRate speed = speed(settings.get(SPEED), problems);
        long silenceMs = millis(settings, SILENCE_MS, DEFAULT_SILENCE_MS, MAX_SILENCE_MS, problems);
        long sendTimeoutMs = millis(settings, SEND_TIMEOUT_MS, DEFAULT_SEND_TIMEOUT_MS, MAX_SEND_TIMEOUT_MS, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("serial path settings: " + String.join("; ", problems));
        }
        return new SerialSettings(device, speed, Duration.ofMillis(silenceMs), Duration.ofMillis(sendTimeoutMs));
    }

    private static void unknownKeys(Map<String, String> settings, List<String> problems) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            problems.add("unknown setting(s) " + unknown + " (known: " + new TreeSet<>(KEYS) + ")");
        }
    }

    private static Path device(String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add("'" + DEVICE + "' is required (the tty, e.g. /dev/ttyS0)");
            return null;
        }
        Path device = Path.of(value.strip());
        if (!device.isAbsolute()) {
            problems.add("'" + DEVICE + "' must be an absolute path, not '" + value + "'");
        }
        return device;
    }

    private static BaudRate speed(String value, List<String> problems) {
        if (value == null) {
            return DEFAULT_SPEED;
        }
        Optional<BaudRate> rate = parseInt(value).flatMap(BaudRate::ofBitsPerSecond);
        if (rate.isEmpty()) {
            problems.add("'" + SPEED + "' " + value + " is not a standard line speed (allowed: "
                    + BaudRate.allowed() + ")");
        }
        return rate.orElse(DEFAULT_SPEED);
    }

    private static long millis(Map<String, String> settings, String key, long defaultMs, long maxMs,
            List<String> problems) {
        String value = settings.get(key);
        if (value == null) {
            return defaultMs;
        }
        Optional<Integer> ms = parseInt(value);
        if (ms.isEmpty() || ms.get() < MIN_MS || ms.get() > maxMs) {
            problems.add("'" + key + "' must be a whole number of milliseconds from " + MIN_MS + " to " + maxMs
                    + ", not '" + value + "'");
            return defaultMs;
        }
        return ms.get();
    }

    private static Optional<Integer> parseInt(String value) {
        try {
            return Optional.of(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
