package dev.baton.runtime.descriptor;

import dev.baton.api.type.FileAccess;
import dev.baton.api.type.MethodName;
import dev.baton.api.type.PropertyType;
import dev.baton.api.type.ResourceKind;
import dev.baton.api.type.ResourceTypeDescriptor;
import dev.baton.api.type.Tunability;
import dev.baton.runtime.plugin.SourceProblem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DescriptorParserTest {
    private static final String FILE = "types/web.yaml";

    /** Lines 1-7; tests append from line 8. */
    private static final String HEAD = """
            name: web
            version: 1.2.0
            module: web.js
            methods:
              start: {timeout: 60s}
              stop: 30s
              probe: {timeout: 10s}
            """;

    private static DescriptorParser.Result parse(String yaml) {
        return DescriptorParser.parse(FILE, yaml);
    }

    private static ResourceTypeDescriptor ok(String yaml) {
        DescriptorParser.Result r = parse(yaml);
        assertThat(r.problems()).as("problems").isEmpty();
        assertThat(r.ok()).isTrue();
        return r.descriptor();
    }

    /** The only problem of a descriptor that must fail. */
    private static SourceProblem onlyProblem(String yaml) {
        DescriptorParser.Result r = parse(yaml);
        assertThat(r.ok()).isFalse();
        assertThat(r.descriptor()).isNull();
        assertThat(r.problems()).hasSize(1);
        SourceProblem p = r.problems().get(0);
        assertThat(p.file()).isEqualTo(FILE);
        return p;
    }

    @Test
    void readsAFullDescriptor() {
        ResourceTypeDescriptor d = ok("""
                name: web
                version: 1.2.0
                description: A web server
                kind: scalable
                module: lib/web.js
                methods:
                  start: {timeout: 60s}
                  stop: 30s
                  probe: {timeout: 10s}
                  validate: 5s
                standard_properties:
                  Retry_count: {default: 4, max: 9, tunable: when_disabled}
                properties:
                  Server_root: {type: string, required: true, tunable: at_creation, description: Root}
                  Port: {type: int, default: 80, min: 1, max: 65535}
                  Mode: {type: enum, values: [fast, safe], default: safe, tunable: anytime}
                  Hosts: {type: string_list, default: [a, b]}
                  Grace: {type: duration, default: 10s}
                  Debug: {type: boolean, default: false}
                files:
                  - {path: "${Server_root}", access: read_write}
                  - path: /etc/web
                """);
        assertThat(d.name()).isEqualTo("web");
        assertThat(d.version()).isEqualTo("1.2.0");
        assertThat(d.description()).isEqualTo("A web server");
        assertThat(d.kind()).isEqualTo(ResourceKind.SCALABLE);
        assertThat(d.module()).isEqualTo("lib/web.js");
        assertThat(d.methodTimeouts()).containsEntry(MethodName.STOP, Duration.ofSeconds(30))
                .containsEntry(MethodName.VALIDATE, Duration.ofSeconds(5));
        assertThat(d.properties().get("Retry_count").defaultValue()).isEqualTo(4L);
        assertThat(d.properties().get("Retry_count").tunability()).isEqualTo(Tunability.WHEN_DISABLED);
        assertThat(d.properties().get("Server_root").required()).isTrue();
        assertThat(d.properties().get("Server_root").tunability()).isEqualTo(Tunability.AT_CREATION);
        assertThat(d.properties().get("Port").tunability()).isEqualTo(Tunability.WHEN_DISABLED);
        assertThat(d.properties().get("Hosts").defaultValue()).isEqualTo(List.of("a", "b"));
        assertThat(d.properties().get("Grace").type()).isEqualTo(PropertyType.DURATION);
        assertThat(d.properties().get("Debug").defaultValue()).isEqualTo(false);
        assertThat(d.fileAccess()).hasSize(2);
        assertThat(d.fileAccess().get(1).access()).isEqualTo(FileAccess.READ);
    }

    @Test
    void recordsTheLineOfEveryElement() {
        DescriptorParser.Result r = parse(HEAD + """
                properties:
                  Port: {type: int, default: 80}
                """);
        assertThat(r.ok()).isTrue();
        assertThat(r.lineOf("methods.probe")).isEqualTo(7);
        assertThat(r.lineOf("properties.Port")).isEqualTo(9);
        assertThat(r.lineOf("properties.Port.default")).isEqualTo(9);
        assertThat(r.lineOf("properties.Nope")).isEqualTo(8);
        assertThat(r.lineOf("zzz")).isZero();
    }

    @Test
    void unknownPropertyTypeNamesPropertyTypeAndLine() {
        SourceProblem p = onlyProblem(HEAD + """
                properties:
                  Root: {type: string}
                  Port:
                    type: integer
                """);
        assertThat(p.line()).isEqualTo(11);
        assertThat(p.message()).contains("properties.Port.type").contains("'integer'").contains("known: string, int");
        assertThat(p.toString()).startsWith("types/web.yaml:11: ");
    }

    @Test
    void exactDuplicatePropertyKeyNamesBothLines() {
        SourceProblem p = onlyProblem(HEAD + """
                properties:
                  Port: {type: int}
                  Root: {type: string}
                  Port: {type: string}
                """);
        assertThat(p.line()).isEqualTo(11);
        assertThat(p.message()).isEqualTo("properties.Port: duplicate key (first at line 9)");
    }

    @Test
    void propertiesDifferingOnlyInCaseAreDuplicates() {
        SourceProblem p = onlyProblem(HEAD + """
                properties:
                  Port: {type: int}
                  port: {type: int}
                """);
        assertThat(p.line()).isEqualTo(10);
        assertThat(p.message()).contains("properties.port").contains("'Port' already exists").contains("ignoring case");
    }

    @Test
    void anExtensionPropertyNamedLikeAStandardOneIsADuplicate() {
        SourceProblem p = onlyProblem(HEAD + """
                properties:
                  Retry_count: {type: int, default: 3}
                """);
        assertThat(p.line()).isEqualTo(9);
        assertThat(p.message()).contains("properties.Retry_count").contains("the standard property 'Retry_count'");
    }

    @Test
    void defaultOutsideMinMaxNamesTheDefaultLine() {
        SourceProblem p = onlyProblem(HEAD + """
                properties:
                  Port:
                    type: int
                    min: 1
                    max: 1024
                    default: 8080
                """);
        assertThat(p.line()).isEqualTo(13);
        assertThat(p.message()).isEqualTo("properties.Port.default: default 8080 is above max 1024");
    }

    @Test
    void defaultBelowMinIsRefusedToo() {
        SourceProblem p = onlyProblem(HEAD + """
                properties:
                  Grace: {type: duration, min: 1s, default: 500ms}
                """);
        assertThat(p.line()).isEqualTo(9);
        assertThat(p.message()).contains("Grace.default").contains("500ms is below min 1s");
    }

    @Test
    void enumDefaultNotAmongTheValues() {
        SourceProblem p = onlyProblem(HEAD + """
                properties:
                  Mode:
                    type: enum
                    values: [fast, safe]
                    default: turbo
                """);
        assertThat(p.line()).isEqualTo(12);
        assertThat(p.message()).contains("properties.Mode.default").contains("'turbo' is not one of [fast, safe]");
    }

    @Test
    void yamlSyntaxErrorGivesItsLine() {
        SourceProblem p = onlyProblem(HEAD + """
                properties:
                  Port: {type: int
                  Root: {type: string}
                """);
        assertThat(p.line()).isBetween(9, 10);
        assertThat(p.message()).startsWith("not valid YAML: ");
    }

    @Test
    void unknownTopLevelKeyListsTheAllowedOnes() {
        SourceProblem p = onlyProblem(HEAD + "propertys:\n  Port: {type: int}\n");
        assertThat(p.line()).isEqualTo(8);
        assertThat(p.message()).contains("propertys: unknown key").contains("properties");
    }

    @Test
    void unknownKeyInsideAPropertyIsReported() {
        SourceProblem p = onlyProblem(HEAD + """
                properties:
                  Port: {type: int, dflt: 80}
                """);
        assertThat(p.line()).isEqualTo(9);
        assertThat(p.message()).contains("properties.Port.dflt: unknown key");
    }

    @Test
    void aDescriptorThatIsNotAMappingIsRefused() {
        assertThat(onlyProblem("- a\n- b\n").message()).contains("a descriptor is a YAML mapping");
        assertThat(onlyProblem("").message()).contains("a descriptor is a YAML mapping");
    }

    @Test
    void missingNameVersionAndModuleAreAllReported() {
        DescriptorParser.Result r = parse("""
                methods:
                  start: 1s
                  stop: 1s
                  probe: 1s
                """);
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).extracting(SourceProblem::message)
                .containsExactlyInAnyOrder("name: missing", "version: missing", "module: missing");
    }

    @Test
    void missingMethodsIsReported() {
        SourceProblem p = onlyProblem("name: web\nversion: 1.0.0\nmodule: web.js\n");
        assertThat(p.message()).contains("methods: missing");
    }

    @Test
    void aMissingRequiredMethodIsReported() {
        SourceProblem p = onlyProblem("""
                name: web
                version: 1.0.0
                module: web.js
                methods:
                  start: 1s
                  probe: 1s
                """);
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.message()).contains("stop is missing");
    }

    @Test
    void anUnknownMethodNamesTheKnownOnes() {
        SourceProblem p = onlyProblem(HEAD + "  monitor: 5s\n");
        assertThat(p.line()).isEqualTo(8);
        assertThat(p.message()).contains("methods.monitor: unknown method").contains("prenet_start");
    }

    @Test
    void aMethodTimeoutWithoutUnitIsRefused() {
        SourceProblem p = onlyProblem(HEAD + "  update: {timeout: 30}\n");
        assertThat(p.line()).isEqualTo(8);
        assertThat(p.message()).contains("methods.update").contains("e.g. 30s");
    }

    @Test
    void aMethodTimeoutBelow100msIsRefusedAtItsLine() {
        SourceProblem p = onlyProblem(HEAD + "  update: {timeout: 50ms}\n");
        assertThat(p.line()).isEqualTo(8);
        assertThat(p.message()).isEqualTo("methods.update.timeout: timeout 50ms is below min 100ms");
    }

    @Test
    void standardOverrideOfAnUnknownPropertyNamesIt() {
        SourceProblem p = onlyProblem(HEAD + """
                standard_properties:
                  Retry_cnt: {default: 3}
                """);
        assertThat(p.line()).isEqualTo(9);
        assertThat(p.message()).contains("standard_properties.Retry_cnt").contains("not a standard property");
    }

    @Test
    void standardOverrideOutOfBoundsNamesItsField() {
        SourceProblem p = onlyProblem(HEAD + """
                standard_properties:
                  Retry_count:
                    default: 500
                """);
        assertThat(p.line()).isEqualTo(10);
        assertThat(p.message()).contains("standard_properties.Retry_count.default").contains("above max 100");
    }

    @Test
    void badTunabilityIsReportedAtItsLine() {
        SourceProblem p = onlyProblem(HEAD + """
                properties:
                  Port:
                    type: int
                    tunable: sometimes
                """);
        assertThat(p.line()).isEqualTo(11);
        assertThat(p.message()).contains("unknown tunability 'sometimes'");
    }

    @Test
    void requiredMustBeTrueOrFalse() {
        SourceProblem p = onlyProblem(HEAD + "properties:\n  Port: {type: int, required: yes}\n");
        assertThat(p.message()).contains("'yes' is not true or false");
    }

    @Test
    void aPropertyWithoutTypeIsReported() {
        SourceProblem p = onlyProblem(HEAD + "properties:\n  Port: {default: 80}\n");
        assertThat(p.line()).isEqualTo(9);
        assertThat(p.message()).contains("properties.Port.type: missing");
    }

    @Test
    void fileRulesMustNameStringProperties() {
        SourceProblem p = onlyProblem(HEAD + """
                properties:
                  Port: {type: int, default: 80}
                files:
                  - {path: "/srv/${Port}", access: read}
                """);
        assertThat(p.line()).isEqualTo(11);
        assertThat(p.message()).contains("files[0].path").contains("${Port} must name a string property");
    }

    @Test
    void fileRulesNeedAKnownAccessAndAnAbsolutePath() {
        DescriptorParser.Result r = parse(HEAD + """
                files:
                  - {path: /srv, access: write}
                  - {path: relative/dir}
                """);
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).extracting(SourceProblem::line).containsExactly(9, 10);
        assertThat(r.problems().get(0).message()).contains("unknown access 'write'");
        assertThat(r.problems().get(1).message()).contains("must be absolute");
    }

    @Test
    void filesMustBeAList() {
        SourceProblem p = onlyProblem(HEAD + "files: /srv\n");
        assertThat(p.line()).isEqualTo(8);
        assertThat(p.message()).contains("files: expected a list");
    }

    @Test
    void severalProblemsAreReportedTogether() {
        DescriptorParser.Result r = parse(HEAD + """
                colour: blue
                properties:
                  Port: {type: integer}
                  Mode: {type: enum, values: [a], default: b}
                """);
        assertThat(r.problems()).extracting(SourceProblem::line).containsExactlyInAnyOrder(8, 10, 11);
    }

    @Test
    void aliasBombsAreRefused() {
        StringBuilder y = new StringBuilder(HEAD).append("description: &a [x, x]\n");
        for (int i = 0; i < 15; i++) {
            y.append("d").append(i).append(": &a").append(i + 1).append(" [*a, *a]\n");
        }
        SourceProblem p = onlyProblem(y.toString());
        assertThat(p.message()).startsWith("not valid YAML: ").contains("aliases");
    }
}
