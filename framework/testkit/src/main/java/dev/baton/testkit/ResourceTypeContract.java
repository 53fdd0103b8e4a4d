package dev.baton.testkit;

import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.api.type.PropertySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The method contract every resource type must keep, run against the real program: extend this
 * class in the plugin's tests and fill in the four abstract methods.
 *
 * <ul>
 *   <li>probe of a stopped resource ⇒ NOT_RUNNING</li>
 *   <li>validate rejects each missing required property, naming it; accepts the valid values</li>
 *   <li>start ⇒ SUCCESS, then probe ⇒ RUNNING; start again ⇒ SUCCESS</li>
 *   <li>service killed behind Baton's back ⇒ probe answers what {@link #probeAfterKill()} declares</li>
 *   <li>stop ⇒ SUCCESS, then probe ⇒ NOT_RUNNING; stop again, or stop of a never-started resource ⇒ SUCCESS</li>
 *   <li>a method exceeding its timeout ⇒ TIMED_OUT, and what it started is gone (stop ⇒ SUCCESS, probe ⇒ NOT_RUNNING)</li>
 * </ul>
 *
 * Each test starts from a stopped resource and stops it afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ResourceTypeContract {
    private PluginHarness harness;
    private TestResource current;
    private int counter;

    /** The type under test, as its descriptor names it. */
    protected abstract String typeName();

    /** Property values with which the type starts for real on this machine; called once per test. */
    protected abstract Map<String, String> validProperties() throws Exception;

    /** Kills the running service without Baton (kill -9, crash): what an operator or a bug might do. */
    protected abstract void killBehindBatonsBack(TestResource resource) throws Exception;

    /** What probe answers after {@link #killBehindBatonsBack}: NOT_RUNNING or FAILED. */
    protected abstract ResultCode probeAfterKill();

    /** The harness; by default the plugin module the test runs in. */
    protected PluginHarness createHarness() {
        return PluginHarness.forModule();
    }

    /**
     * Makes a method exceed its timeout. By default start runs with a 1 ms timeout; a type whose
     * start can finish within 1 ms overrides this (for example with a slow configuration).
     */
    protected MethodResult exceedTimeout(TestResource resource) {
        return resource.call(MethodName.START, Duration.ofMillis(1));
    }

    protected final PluginHarness harness() {
        return harness;
    }

    /** A fresh resource with {@link #validProperties()}, stopped after the test. */
    protected final TestResource newResource() throws Exception {
        current = harness.create(typeName(), typeName() + "-contract-" + (++counter), validProperties());
        return current;
    }

    @BeforeAll
    final void loadPlugin() {
        harness = createHarness();
        harness.assertLoaded();
    }

    @AfterAll
    final void closeHarness() {
        if (harness != null) {
            harness.close();
        }
    }

    @AfterEach
    final void stopCurrent() {
        if (current != null) {
            expect(current.stop(), ResultCode.SUCCESS, "stop after the test");
            current = null;
        }
    }

    @Test
    @Order(1)
    @DisplayName("probe of a stopped resource answers NOT_RUNNING")
    void probeWhenStopped() throws Exception {
        expect(newResource().probe(), ResultCode.NOT_RUNNING, "probe before any start");
    }

    @Test
    @Order(2)
    @DisplayName("validate rejects each missing required property and names it")
    void validateRejectsMissingRequiredProperty() throws Exception {
        List<PropertySpec> required = harness.type(typeName()).descriptor().properties().values().stream()
                .filter(PropertySpec::required).toList();
        Assumptions.assumeFalse(required.isEmpty(), "type " + typeName() + " declares no required property");
        for (PropertySpec p : required) {
            Map<String, String> props = new LinkedHashMap<>(validProperties());
            props.keySet().removeIf(k -> k.equalsIgnoreCase(p.name()));
            MethodResult r = harness.validate(typeName(), props);
            expect(r, ResultCode.CONFIG_ERROR, "validate without " + p.name());
            assertThat(r.problems()).as("problems of validate without %s: %s", p.name(), r)
                    .anyMatch(problem -> problem.property().equals(p.name()));
        }
    }

    @Test
    @Order(3)
    @DisplayName("validate accepts the valid properties")
    void validateAcceptsValidProperties() throws Exception {
        expect(harness.validate(typeName(), validProperties()), ResultCode.SUCCESS, "validate of valid properties");
    }

    @Test
    @Order(4)
    @DisplayName("start succeeds, then probe answers RUNNING")
    void startThenProbeRunning() throws Exception {
        TestResource r = newResource();
        expect(r.start(), ResultCode.SUCCESS, "start");
        expect(r.probe(), ResultCode.RUNNING, "probe after start");
    }

    @Test
    @Order(5)
    @DisplayName("start of a running resource succeeds and changes nothing")
    void startTwice() throws Exception {
        TestResource r = newResource();
        expect(r.start(), ResultCode.SUCCESS, "first start");
        expect(r.start(), ResultCode.SUCCESS, "second start");
        expect(r.probe(), ResultCode.RUNNING, "probe after two starts");
    }

    @Test
    @Order(6)
    @DisplayName("a service killed behind Baton's back is detected by probe")
    void killedBehindBatonsBack() throws Exception {
        TestResource r = newResource();
        expect(r.start(), ResultCode.SUCCESS, "start");
        killBehindBatonsBack(r);
        expect(r.probe(), probeAfterKill(), "probe after the service was killed");
    }

    @Test
    @Order(7)
    @DisplayName("stop succeeds, then probe answers NOT_RUNNING")
    void stopThenProbeNotRunning() throws Exception {
        TestResource r = newResource();
        expect(r.start(), ResultCode.SUCCESS, "start");
        expect(r.stop(), ResultCode.SUCCESS, "stop");
        expect(r.probe(), ResultCode.NOT_RUNNING, "probe after stop");
    }

    @Test
    @Order(8)
    @DisplayName("stop of a stopped or never-started resource succeeds")
    void stopTwice() throws Exception {
        TestResource r = newResource();
        expect(r.stop(), ResultCode.SUCCESS, "stop of a never-started resource");
        expect(r.start(), ResultCode.SUCCESS, "start");
        expect(r.stop(), ResultCode.SUCCESS, "first stop");
        expect(r.stop(), ResultCode.SUCCESS, "second stop");
        expect(r.probe(), ResultCode.NOT_RUNNING, "probe after two stops");
    }

    @Test
    @Order(9)
    @DisplayName("a method exceeding its timeout is TIMED_OUT and leaves nothing behind")
    void methodExceedingTimeout() throws Exception {
        TestResource r = newResource();
        expect(exceedTimeout(r), ResultCode.TIMED_OUT, "a method past its timeout");
        expect(r.stop(), ResultCode.SUCCESS, "stop after the timeout");
        expect(r.probe(), ResultCode.NOT_RUNNING, "probe after the timeout and stop");
    }

    /** Asserts a result code, showing the whole result (message, problems, log) when it differs. */
    protected static void expect(MethodResult result, ResultCode expected, String what) {
        assertThat(result.code()).as("%s: %s%nlog:%n  %s", what, result, String.join("\n  ", result.log()))
                .isEqualTo(expected);
    }
}
