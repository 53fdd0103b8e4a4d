package dev.baton.api.type;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ResourceTypeDescriptorTest {

    static ResourceTypeDescriptor.Builder minimal(String name) {
        return ResourceTypeDescriptor.builder(name)
                .module(name + ".js")
                .method(MethodName.START, Duration.ofSeconds(60))
                .method(MethodName.STOP, Duration.ofSeconds(30))
                .method(MethodName.PROBE, Duration.ofSeconds(10));
    }

    static PropertySpec string(String name) {
        return new PropertySpec(name, PropertyType.STRING, "", null, null, null, List.of(), false,
                Tunability.WHEN_DISABLED, false);
    }

    private static InvalidDescriptorException invalid(ResourceTypeDescriptor.Builder b) {
        return catchThrowableOfType(InvalidDescriptorException.class, b::build);
    }

    @Test
    void aMinimalTypeHasTheStandardPropertiesFirst() {
        ResourceTypeDescriptor d = minimal("web").property(string("Root")).build();
        assertThat(d.name()).isEqualTo("web");
        assertThat(d.version()).isEqualTo("1.0.0");
        assertThat(d.kind()).isEqualTo(ResourceKind.FAILOVER);
        assertThat(d.properties().keySet()).containsExactly("Start_timeout", "Stop_timeout", "Probe_timeout",
                "Retry_count", "Retry_interval", "Thorough_probe_interval", "Failover_mode", "Root");
        assertThat(d.properties().get("Start_timeout").defaultValue()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.properties().get("Start_timeout").standard()).isTrue();
        assertThat(d.properties().get("Root").standard()).isFalse();
    }

    @Test
    void implementedMethodsAreKnown() {
        ResourceTypeDescriptor d = minimal("web").method(MethodName.VALIDATE, Duration.ofSeconds(5)).build();
        assertThat(d.implementsMethod(MethodName.VALIDATE)).isTrue();
        assertThat(d.implementsMethod(MethodName.UPDATE)).isFalse();
        assertThat(d.properties()).containsKey("Validate_timeout").doesNotContainKey("Update_timeout");
    }

    @Test
    void propertiesAreFoundIgnoringCase() {
        ResourceTypeDescriptor d = minimal("web").property(string("Server_root")).build();
        assertThat(d.property("server_ROOT")).map(PropertySpec::name).contains("Server_root");
        assertThat(d.property("retry_count")).map(PropertySpec::name).contains("Retry_count");
        assertThat(d.property("nope")).isEmpty();
    }

    @Test
    void startStopAndProbeAreRequired() {
        ResourceTypeDescriptor.Builder b = ResourceTypeDescriptor.builder("web").module("web.js")
                .method(MethodName.START, Duration.ofSeconds(1))
                .method(MethodName.PROBE, Duration.ofSeconds(1));
        InvalidDescriptorException e = invalid(b);
        assertThat(e.path()).isEqualTo("methods");
        assertThat(e).hasMessageContaining("stop is missing");
    }

    @Test
    void aMethodDeclaredTwiceIsRefused() {
        InvalidDescriptorException e = catchThrowableOfType(InvalidDescriptorException.class,
                () -> minimal("web").method(MethodName.START, Duration.ofSeconds(1)));
        assertThat(e.path()).isEqualTo("methods.start");
    }

    @Test
    void aMethodTimeoutBelow100msNamesTheMethodsTimeout() {
        InvalidDescriptorException e = invalid(minimal("web").method(MethodName.UPDATE, Duration.ofMillis(50)));
        assertThat(e.path()).isEqualTo("methods.update.timeout");
        assertThat(e).hasMessage("methods.update.timeout: timeout 50ms is below min 100ms");
    }

    @Test
    void aMethodTimeoutAbove24hIsRefused() {
        InvalidDescriptorException e = invalid(minimal("web").method(MethodName.INIT, Duration.ofHours(25)));
        assertThat(e.path()).isEqualTo("methods.init.timeout");
        assertThat(e).hasMessage("methods.init.timeout: timeout 25h is above max 24h");
    }

    @Test
    void moduleIsRequired() {
        InvalidDescriptorException e = invalid(ResourceTypeDescriptor.builder("web")
                .method(MethodName.START, Duration.ofSeconds(1)));
        assertThat(e.path()).isEqualTo("module");
        assertThat(e).hasMessageContaining("module: web.js");
    }

    @Test
    void typeNameAndVersionAreChecked() {
        assertThat(invalid(minimal("Web")).path()).isEqualTo("name");
        assertThat(invalid(minimal("web").version("1.0")).path()).isEqualTo("version");
        assertThat(minimal("web").version("2.1.0-rc.1").build().version()).isEqualTo("2.1.0-rc.1");
    }

    @Test
    void standardPropertiesMayBeRetuned() {
        ResourceTypeDescriptor d = minimal("web")
                .standardOverride("Retry_count", "5", null, "10", Tunability.WHEN_DISABLED)
                .standardOverride("Failover_mode", "hard", null, null, null)
                .build();
        PropertySpec retry = d.properties().get("Retry_count");
        assertThat(retry.defaultValue()).isEqualTo(5L);
        assertThat(retry.min()).isEqualTo(0L);
        assertThat(retry.max()).isEqualTo(10L);
        assertThat(retry.tunability()).isEqualTo(Tunability.WHEN_DISABLED);
        assertThat(d.properties().get("Failover_mode").defaultValue()).isEqualTo("HARD");
    }

    @Test
    void anOverrideOfAnUnknownStandardPropertyListsTheKnownOnes() {
        InvalidDescriptorException e = invalid(minimal("web").standardOverride("Retry_cnt", "1", null, null, null));
        assertThat(e.path()).isEqualTo("standard_properties.Retry_cnt");
        assertThat(e).hasMessageContaining("not a standard property")
                .hasMessageContaining("Retry_count")
                .hasMessageContaining("Start_timeout");
    }

    @Test
    void anOverrideOfATimeoutOfAnUnimplementedMethodIsUnknown() {
        InvalidDescriptorException e = invalid(minimal("web").standardOverride("Update_timeout", null, "1s", null, null));
        assertThat(e.path()).isEqualTo("standard_properties.Update_timeout");
    }

    @Test
    void aTimeoutDefaultIsSetUnderMethodsNotAsAnOverride() {
        InvalidDescriptorException e = invalid(minimal("web").standardOverride("Start_timeout", "90s", null, null, null));
        assertThat(e.path()).isEqualTo("standard_properties.Start_timeout.default");
        assertThat(e).hasMessageContaining("methods.start.timeout");
    }

    @Test
    void anOverrideWithAnUnparsableOrOutOfBoundsValueNamesItsField() {
        InvalidDescriptorException bad = invalid(minimal("web").standardOverride("Retry_count", "many", null, null, null));
        assertThat(bad.path()).isEqualTo("standard_properties.Retry_count.default");
        assertThat(bad).hasMessageContaining("'many' is not an integer");
        InvalidDescriptorException out = invalid(minimal("web").standardOverride("Retry_count", "500", null, null, null));
        assertThat(out.path()).isEqualTo("standard_properties.Retry_count.default");
        assertThat(out).hasMessageContaining("above max 100");
    }

    @Test
    void minAndMaxOverridesApplyOnlyToOrderedProperties() {
        InvalidDescriptorException e = invalid(minimal("web").standardOverride("Failover_mode", null, "SOFT", null, null));
        assertThat(e.path()).isEqualTo("standard_properties.Failover_mode.min");
    }

    @Test
    void anOverrideGivenTwiceIsRefused() {
        InvalidDescriptorException e = catchThrowableOfType(InvalidDescriptorException.class, () -> minimal("web")
                .standardOverride("Retry_count", "1", null, null, null)
                .standardOverride("Retry_count", "2", null, null, null));
        assertThat(e.path()).isEqualTo("standard_properties.Retry_count");
    }

    @Test
    void anExtensionPropertyNamedLikeAStandardOneIsADuplicate() {
        InvalidDescriptorException e = invalid(minimal("web").property(string("retry_COUNT")));
        assertThat(e.path()).isEqualTo("properties.retry_COUNT");
        assertThat(e).hasMessageContaining("the standard property 'Retry_count'");
    }

    @Test
    void extensionPropertiesDifferingOnlyInCaseAreDuplicates() {
        InvalidDescriptorException e = invalid(minimal("web").property(string("Port")).property(string("port")));
        assertThat(e.path()).isEqualTo("properties.port");
        assertThat(e).hasMessageContaining("property 'Port' already exists")
                .hasMessageNotContaining("standard");
    }

    @Test
    void anExtensionPropertyMayNotClaimToBeStandard() {
        PropertySpec standardFlagged = new PropertySpec("Extra", PropertyType.STRING, "", null, null, null,
                List.of(), false, Tunability.ANYTIME, true);
        InvalidDescriptorException e = catchThrowableOfType(InvalidDescriptorException.class,
                () -> minimal("web").property(standardFlagged));
        assertThat(e.path()).isEqualTo("properties.Extra");
    }

    @Test
    void fileRulesMustReferenceStringProperties() {
        PropertySpec port = new PropertySpec("Port", PropertyType.INT, "", 80L, null, null, List.of(), false,
                Tunability.ANYTIME, false);
        InvalidDescriptorException e = invalid(minimal("web").property(port)
                .fileAccess(new FileAccessRule("${Port}/x", FileAccess.READ)));
        assertThat(e.path()).isEqualTo("files[0].path");
        assertThat(e).hasMessageContaining("${Port} must name a string property");
    }

    @Test
    void fileRulesMustReferenceExistingPropertiesByExactName() {
        InvalidDescriptorException e = invalid(minimal("web").property(string("Root"))
                .fileAccess(new FileAccessRule("/etc/web", FileAccess.READ))
                .fileAccess(new FileAccessRule("${root}/logs", FileAccess.READ_WRITE)));
        assertThat(e.path()).isEqualTo("files[1].path");
    }

    @Test
    void aValidFileRuleIsKept() {
        ResourceTypeDescriptor d = minimal("web").property(string("Root"))
                .fileAccess(new FileAccessRule("${Root}/logs", FileAccess.READ_WRITE)).build();
        assertThat(d.fileAccess()).singleElement().satisfies(r -> {
            assertThat(r.referencedProperties()).containsExactly("Root");
            assertThat(r.access()).isEqualTo(FileAccess.READ_WRITE);
        });
    }

    @Test
    void fileRuleTemplatesMustBeAbsoluteAndWellFormed() {
        assertThat(catchThrowableOfType(InvalidDescriptorException.class,
                () -> new FileAccessRule("logs/x", FileAccess.READ)).path()).isEqualTo("path");
        assertThat(catchThrowableOfType(InvalidDescriptorException.class,
                () -> new FileAccessRule("${Root/x", FileAccess.READ))).hasMessageContaining("malformed");
    }

    @Test
    void fileRulesExpandWithValuesAndGrantNothingWhenUnset() {
        FileAccessRule r = new FileAccessRule("${Root}/logs/${Sub}", FileAccess.READ);
        assertThat(r.expand(new ResolvedProperties(java.util.Map.of("Root", "/srv/$1", "Sub", "a"))))
                .contains("/srv/$1/logs/a");
        assertThat(r.expand(new ResolvedProperties(java.util.Map.of("Root", "/srv")))).isEmpty();
        assertThat(r.expand(new ResolvedProperties(java.util.Map.of("Root", "", "Sub", "a")))).isEmpty();
    }

    @Test
    void methodNamesAndTheirTimeoutProperties() {
        assertThat(MethodName.PRENET_START.jsName()).isEqualTo("prenet_start");
        assertThat(MethodName.PRENET_START.timeoutProperty()).isEqualTo("Prenet_start_timeout");
        assertThat(MethodName.fromJsName("postnet_stop")).contains(MethodName.POSTNET_STOP);
        assertThat(MethodName.fromJsName("Start")).isEmpty();
        assertThat(MethodName.PROBE.allowedResults()).doesNotContain(dev.baton.api.method.ResultCode.SUCCESS);
        assertThat(MethodName.VALIDATE.allowedResults()).doesNotContain(dev.baton.api.method.ResultCode.FAILED_HARD);
    }
}
