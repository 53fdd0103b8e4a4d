package dev.baton.api.method;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class ResultCodeTest {

    @ParameterizedTest
    @CsvSource({"SUCCESS,0", "RUNNING,0", "NOT_RUNNING,7", "DEGRADED,190", "FAILED,1", "FAILED_HARD,5",
            "CONFIG_ERROR,6"})
    void mapsToOcfExitCodes(ResultCode code, int ocf) {
        assertThat(code.ocfExitCode()).isEqualTo(OptionalInt.of(ocf));
    }

    @Test
    void timedOutHasNoOcfExitCode() {
        assertThat(ResultCode.TIMED_OUT.ocfExitCode()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0,RUNNING", "7,NOT_RUNNING", "8,RUNNING", "190,DEGRADED", "191,DEGRADED", "1,FAILED", "9,FAILED",
            "2,FAILED_HARD", "3,FAILED_HARD", "4,FAILED_HARD", "5,FAILED_HARD", "6,CONFIG_ERROR", "42,FAILED",
            "-1,FAILED"})
    void readsMonitorExitCodes(int ocf, ResultCode expected) {
        assertThat(ResultCode.fromOcfExitCode(ocf, true)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0,SUCCESS", "7,FAILED", "8,FAILED", "190,FAILED", "191,FAILED", "1,FAILED", "5,FAILED_HARD",
            "6,CONFIG_ERROR", "255,FAILED"})
    void readsActionExitCodes(int ocf, ResultCode expected) {
        assertThat(ResultCode.fromOcfExitCode(ocf, false)).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(value = ResultCode.class, names = "TIMED_OUT", mode = EnumSource.Mode.EXCLUDE)
    void probeCodesSurviveARoundTripThroughOcf(ResultCode code) {
        boolean monitor = code == ResultCode.RUNNING || code == ResultCode.NOT_RUNNING || code == ResultCode.DEGRADED;
        ResultCode back = ResultCode.fromOcfExitCode(code.ocfExitCode().getAsInt(), monitor);
        assertThat(back).isEqualTo(code);
    }

    @Test
    void onlyRunningAndDegradedAreUp() {
        for (ResultCode c : ResultCode.values()) {
            assertThat(c.isUp()).as(c.name()).isEqualTo(c == ResultCode.RUNNING || c == ResultCode.DEGRADED);
        }
    }

    @Test
    void methodResultDefaultsAndToString() {
        MethodResult r = MethodResult.of(ResultCode.FAILED, null);
        assertThat(r.message()).isEmpty();
        assertThat(r.problems()).isEmpty();
        assertThat(r.toString()).isEqualTo("FAILED");
        MethodResult withProblem = new MethodResult(ResultCode.CONFIG_ERROR, "bad",
                java.util.List.of(new dev.baton.api.type.PropertyProblem("Port", "too big")), java.util.List.of(),
                java.time.Duration.ZERO);
        assertThat(withProblem.toString()).isEqualTo("CONFIG_ERROR: bad\n  - Port: too big");
    }
}
