package dev.baton.runtime.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatonConfigTest {

    @Test
    void defaultsComeFromTheKeys() {
        BatonConfig c = BatonConfig.defaults();
        for (ConfigKey<?> k : ConfigKeys.all()) {
            assertThat((Object) c.get(k)).as(k.name()).isEqualTo(k.defaultValue());
        }
        assertThat(c.get(ConfigKeys.METHOD_EXECUTOR)).isEqualTo(ConfigKeys.ExecutorKind.PLATFORM);
        assertThat(c.get(ConfigKeys.METHOD_THREADS)).isEqualTo(8);
        assertThat(c.get(ConfigKeys.MODULE_LOAD_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.get(ConfigKeys.NODE_NAME)).isEmpty();
    }

    @Test
    void everyKeyIsListedOnceWithADescription() {
        Set<String> names = new HashSet<>();
        for (ConfigKey<?> k : ConfigKeys.all()) {
            assertThat(names.add(k.name())).as("duplicate " + k.name()).isTrue();
            assertThat(k.description()).as(k.name()).isNotBlank();
            assertThat(k.toString()).isEqualTo(k.name());
        }
        assertThat(names).contains("method.executor", "plugins.module.loadTimeout", "node.name");
    }

    @Test
    void settingsAreParsedWithTheirTypes() {
        BatonConfig c = BatonConfig.from(Map.of(
                "node.name", "node-1",
                "method.threads", " 16 ",
                "method.executor", "Virtual",
                "plugins.module.loadTimeout", "500ms"));
        assertThat(c.get(ConfigKeys.NODE_NAME)).isEqualTo("node-1");
        assertThat(c.get(ConfigKeys.METHOD_THREADS)).isEqualTo(16);
        assertThat(c.get(ConfigKeys.METHOD_EXECUTOR)).isEqualTo(ConfigKeys.ExecutorKind.VIRTUAL);
        assertThat(c.get(ConfigKeys.MODULE_LOAD_TIMEOUT)).isEqualTo(Duration.ofMillis(500));
        assertThat(c.get(ConfigKeys.METHOD_QUEUE_CAPACITY)).isEqualTo(256);
    }

    @Test
    void propertiesFilesAreReadTheSameWay() {
        Properties p = new Properties();
        p.setProperty("method.log.maxLines", "50");
        assertThat(BatonConfig.from(p).get(ConfigKeys.LOG_MAX_LINES)).isEqualTo(50);
    }

    @Test
    void anUnknownKeyIsRefused() {
        assertThatThrownBy(() -> BatonConfig.from(Map.of("method.thread", "4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown configuration key method.thread");
    }

    @Test
    void aBadValueNamesTheKeyAndTheText() {
        assertThatThrownBy(() -> BatonConfig.from(Map.of("method.threads", "many")))
                .hasMessageStartingWith("configuration key method.threads: cannot use 'many': ");
        assertThatThrownBy(() -> BatonConfig.from(Map.of("method.threads", "0")))
                .hasMessage("configuration key method.threads: cannot use '0': must be between 1 and 256");
        assertThatThrownBy(() -> BatonConfig.from(Map.of("method.executor", "green")))
                .hasMessageContaining("method.executor").hasMessageContaining("'green'");
    }

    @Test
    void aDurationWithoutUnitIsRefused() {
        assertThatThrownBy(() -> BatonConfig.from(Map.of("plugins.module.loadTimeout", "5")))
                .hasMessageContaining("plugins.module.loadTimeout").hasMessageContaining("e.g. 30s");
    }

    @Test
    void everyProblemIsReportedAtOnceInAStableOrder() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("zzz", "1");
        settings.put("method.threads", "-1");
        settings.put("aaa", "1");
        assertThatThrownBy(() -> BatonConfig.from(settings)).hasMessage(
                "configuration key method.threads: cannot use '-1': must be between 1 and 256; "
                        + "unknown configuration key aaa; unknown configuration key zzz");
    }

    @Test
    void withReturnsACopyAndLeavesTheOriginal() {
        BatonConfig base = BatonConfig.defaults();
        BatonConfig changed = base.with(ConfigKeys.METHOD_THREADS, 2).with(ConfigKeys.NODE_NAME, "n2");
        assertThat(changed.get(ConfigKeys.METHOD_THREADS)).isEqualTo(2);
        assertThat(changed.get(ConfigKeys.NODE_NAME)).isEqualTo("n2");
        assertThat(base.get(ConfigKeys.METHOD_THREADS)).isEqualTo(8);
        assertThat(base.get(ConfigKeys.NODE_NAME)).isEmpty();
    }

    @Test
    void boundsOfByteLimitsAreEnforced() {
        assertThat(BatonConfig.from(Map.of("method.exec.maxOutputBytes", "0")).get(ConfigKeys.EXEC_MAX_OUTPUT_BYTES))
                .isZero();
        assertThatThrownBy(() -> BatonConfig.from(Map.of("plugins.module.maxBytes", "100")))
                .hasMessageContaining("must be between 1024 and");
    }
}
