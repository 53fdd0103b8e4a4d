package dev.baton.plugins.serial;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SerialSettingsTest {
    @Test
    void onlyTheDeviceIsRequired() {
        SerialSettings s = SerialSettings.parse(Map.of("device", "/dev/ttyS0"));
        assertThat(s).isEqualTo(new SerialSettings(Path.of("/dev/ttyS0"), BaudRate.B115200, Duration.ofSeconds(1),
                Duration.ofSeconds(1)));
    }

    @Test
    void everySettingIsRead() {
        SerialSettings s = SerialSettings.parse(Map.of("device", "/dev/ttyUSB1", "speed", "9600", "silenceMs", "2500",
                "sendTimeoutMs", "300"));
        assertThat(s).isEqualTo(new SerialSettings(Path.of("/dev/ttyUSB1"), BaudRate.B9600, Duration.ofMillis(2500),
                Duration.ofMillis(300)));
    }

    @Test
    void aSpeedThatIsNotAStandardRateIsRefusedWithTheAllowedOnes() {
        for (String speed : new String[] {"12345", "fast", "-9600", "300"}) {
            assertThatThrownBy(() -> SerialSettings.parse(Map.of("device", "/dev/ttyS0", "speed", speed)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'speed' " + speed + " is not a standard line speed")
                    .hasMessageContaining("allowed: 1200, 1800, 2400")
                    .hasMessageContaining("115200");
        }
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertThatThrownBy(() -> SerialSettings.parse(Map.of("sped", "9600", "silenceMs", "0", "sendTimeoutMs", "1s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting(s) [sped]")
                .hasMessageContaining("'device' is required")
                .hasMessageContaining("'silenceMs' must be a whole number of milliseconds from 10 to 600000, not '0'")
                .hasMessageContaining("'sendTimeoutMs' must be a whole number of milliseconds from 10 to 60000, not '1s'");
    }

    @Test
    void aRelativeDeviceIsRefused() {
        assertThatThrownBy(() -> SerialSettings.parse(Map.of("device", "ttyS0")))
                .hasMessageContaining("'device' must be an absolute path, not 'ttyS0'");
    }

    @Test
    void theTermiosStructHasGlibcsSize() {
        assertThat(new Termios().size()).isEqualTo(60);
    }
}
