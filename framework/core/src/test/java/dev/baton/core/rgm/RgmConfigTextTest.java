package dev.baton.core.rgm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.type.FailoverMode;
import dev.baton.api.type.MethodName;
import dev.baton.api.type.ResourceKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RgmConfigTextTest {
    private static final String SOURCE = "rgm.conf";

    private static final String EXAMPLE = """
            # The web service and its database.

            group web failover Nodelist=3,1,2 failback=true Pingpong_interval=10m   # Sun Cluster names
              resource web-ip  type=logical_hostname tier=network network=public
              resource web-fs  type=filesystem tier=STORAGE methods=prenet_start,postnet_stop
              resource web     type=apache depends=strong:web-fs,weak:web-ip,web-extra Retry_count=3 Retry_interval=2m \
            Failover_mode=hard Start_timeout=90s Thorough_probe_interval=30s port=8080 banner="hello   world"
              resource web-extra type=dummy enabled=false monitored=no
            group db scalable nodes=1,2,3 desired=2 rg_depends=web affinity=--web,+web auto_start=no
              resource db type=pg probe_interval=2s Failover_mode=RESTART_ONLY depends=offline_restart:db-ip,restart:db-log
              resource db-ip type=ip tier=network
              resource db-log type=log
            group batch scalable Nodelist=1,2 Maximum_primaries=1 Desired_primaries=1 RG_dependencies=db RG_affinities=++db \
            Auto_start_on_new_cluster=true
            """;

    private static RgmConfig parse(String text) {
        return RgmConfigText.parse(text, SOURCE);
    }

    private static ResourceSpec resource(RgmConfig config, String name) {
        return config.resource(config.resourceIndex(name));
    }

    @Test
    void theExampleParsesToItsGroupsInOrder() {
        RgmConfig config = parse(EXAMPLE);
        assertThat(config.groups()).extracting(GroupSpec::name).containsExactly("web", "db", "batch");
        assertThat(config.groups()).extracting(GroupSpec::kind)
                .containsExactly(ResourceKind.FAILOVER, ResourceKind.SCALABLE, ResourceKind.SCALABLE);
        assertThat(config.resourceCount()).isEqualTo(7);
        assertThat(config.group(0).resources()).extracting(ResourceSpec::name)
                .containsExactly("web-ip", "web-fs", "web", "web-extra");
    }

    @Test
    void groupValuesComeFromTheTextAndSunClusterAliases() {
        GroupSpec web = parse(EXAMPLE).group(0);
        assertThat(web.nodelist()).as("Nodelist keeps its order").containsExactly(3, 1, 2);
        assertThat(web.failback()).isTrue();
        assertThat(web.pingpongIntervalMs()).isEqualTo(600_000);
        assertThat(web.maximumPrimaries()).isEqualTo(1);
        assertThat(web.desiredPrimaries()).isEqualTo(1);
        assertThat(web.autoStartOnNewCluster()).isEqualTo(RgmDefaults.AUTO_START_ON_NEW_CLUSTER);
        assertThat(web.rgDependencies()).isEmpty();
        assertThat(web.affinities()).isEmpty();

        GroupSpec db = parse(EXAMPLE).group(1);
        assertThat(db.desiredPrimaries()).isEqualTo(2);
        assertThat(db.maximumPrimaries()).as("a scalable group's max defaults to its Nodelist size").isEqualTo(3);
        assertThat(db.rgDependencies()).containsExactly("web");
        assertThat(db.affinities()).containsExactly(new Affinity(Affinity.Kind.STRONG_NEGATIVE, "web"),
                new Affinity(Affinity.Kind.WEAK_POSITIVE, "web"));
        assertThat(db.autoStartOnNewCluster()).isFalse();
        assertThat(db.failback()).isEqualTo(RgmDefaults.FAILBACK);
        assertThat(db.pingpongIntervalMs()).isEqualTo(RgmDefaults.PINGPONG_INTERVAL_MS);

        GroupSpec batch = parse(EXAMPLE).group(2);
        assertThat(batch.nodelist()).containsExactly(1, 2);
        assertThat(batch.maximumPrimaries()).isEqualTo(1);
        assertThat(batch.desiredPrimaries()).isEqualTo(1);
        assertThat(batch.rgDependencies()).containsExactly("db");
        assertThat(batch.affinities()).containsExactly(new Affinity(Affinity.Kind.STRONG_POSITIVE, "db"));
        assertThat(batch.autoStartOnNewCluster()).isTrue();
        assertThat(batch.resources()).isEmpty();
    }

    @Test
    void aScalableGroupWithoutDesiredWantsItsMaximum() {
        GroupSpec g = parse("group s scalable nodes=1,2,3,4 max=3").group(0);
        assertThat(g.maximumPrimaries()).isEqualTo(3);
        assertThat(g.desiredPrimaries()).isEqualTo(3);
    }

    @Test
    void aMinimalFailoverGroupEqualsTheOneWithEveryDefault() {
        RgmConfig config = parse("group g failover nodes=1,2\n  resource r type=t\n");
        assertThat(config.group(0)).isEqualTo(GroupSpec.failover("g", List.of(1, 2),
                List.of(ResourceSpec.of("r", "t", Tier.APPLICATION))));
    }

    @Test
    void aMinimalResourceGetsEveryDefault() {
        ResourceSpec r = resource(parse("group g failover nodes=1\n resource r type=t"), "r");
        assertThat(r.tier()).isEqualTo(Tier.APPLICATION);
        assertThat(r.network()).isEmpty();
        assertThat(r.enabled()).isTrue();
        assertThat(r.monitored()).isTrue();
        assertThat(r.dependencies()).isEmpty();
        assertThat(r.failoverMode()).isEqualTo(FailoverMode.SOFT);
        assertThat(r.retryCount()).isEqualTo(RgmDefaults.RETRY_COUNT);
        assertThat(r.retryIntervalMs()).isEqualTo(RgmDefaults.RETRY_INTERVAL_MS);
        assertThat(r.probeIntervalMs()).isEqualTo(RgmDefaults.PROBE_INTERVAL_MS);
        assertThat(r.timeoutsMs()).isEmpty();
        assertThat(r.timeoutMs(MethodName.START)).isEqualTo(RgmDefaults.methodTimeoutMs(MethodName.START));
        assertThat(r.optionalMethods()).isEmpty();
        assertThat(r.implementsMethod(MethodName.POSTNET_STOP)).isFalse();
        assertThat(r.properties()).isEmpty();
    }

    @Test
    void resourceValuesComeFromTheText() {
        RgmConfig config = parse(EXAMPLE);
        ResourceSpec ip = resource(config, "web-ip");
        assertThat(ip.type()).isEqualTo("logical_hostname");
        assertThat(ip.tier()).isEqualTo(Tier.NETWORK);
        assertThat(ip.network()).contains("public");

        ResourceSpec fs = resource(config, "web-fs");
        assertThat(fs.tier()).as("tier is case-insensitive").isEqualTo(Tier.STORAGE);
        assertThat(fs.optionalMethods()).containsExactlyInAnyOrder(MethodName.PRENET_START, MethodName.POSTNET_STOP);
        assertThat(fs.implementsMethod(MethodName.POSTNET_STOP)).isTrue();

        ResourceSpec web = resource(config, "web");
        assertThat(web.dependencies()).containsExactly(new Dependency(DependencyKind.STRONG, "web-fs"),
                new Dependency(DependencyKind.WEAK, "web-ip"),
                new Dependency(DependencyKind.STRONG, "web-extra"));
        assertThat(web.retryCount()).isEqualTo(3);
        assertThat(web.retryIntervalMs()).isEqualTo(120_000);
        assertThat(web.failoverMode()).isEqualTo(FailoverMode.HARD);
        assertThat(web.timeoutsMs()).isEqualTo(Map.of(MethodName.START, 90_000L));
        assertThat(web.timeoutMs(MethodName.START)).isEqualTo(90_000);
        assertThat(web.timeoutMs(MethodName.STOP)).isEqualTo(RgmDefaults.methodTimeoutMs(MethodName.STOP));
        assertThat(web.probeIntervalMs()).isEqualTo(30_000);
        assertThat(web.properties()).as("a quoted value keeps its spaces, the quotes go")
                .isEqualTo(Map.of("port", "8080", "banner", "hello   world"));

        ResourceSpec extra = resource(config, "web-extra");
        assertThat(extra.enabled()).isFalse();
        assertThat(extra.monitored()).isFalse();

        ResourceSpec db = resource(config, "db");
        assertThat(db.probeIntervalMs()).isEqualTo(2_000);
        assertThat(db.failoverMode()).isEqualTo(FailoverMode.RESTART_ONLY);
        assertThat(db.dependencies()).containsExactly(new Dependency(DependencyKind.OFFLINE_RESTART, "db-ip"),
                new Dependency(DependencyKind.RESTART, "db-log"));
    }

    @Test
    void theGlobalIndexesFollowConfigurationOrder() {
        RgmConfig config = parse(EXAMPLE);
        assertThat(config.resourcesOf(0)).containsExactly(0, 1, 2, 3);
        assertThat(config.resourcesOf(1)).containsExactly(4, 5, 6);
        assertThat(config.resourcesOf(2)).isEmpty();
        assertThat(config.groupOf(5)).isEqualTo(1);
        assertThat(config.groupIndex("batch")).isEqualTo(2);
        assertThat(config.resourceIndex("db-log")).isEqualTo(6);
        assertThat(config.planOrder()).containsExactly(0, 1, 2);
    }

    @Test
    void durationsTakeEachUnit() {
        assertThat(RgmConfigText.durationMs("k", "250ms")).isEqualTo(250);
        assertThat(RgmConfigText.durationMs("k", "7s")).isEqualTo(7_000);
        assertThat(RgmConfigText.durationMs("k", "3m")).isEqualTo(180_000);
        assertThat(RgmConfigText.durationMs("k", "2h")).isEqualTo(7_200_000);
    }

    @Test
    void booleansAcceptYesAndNoInAnyCase() {
        assertThat(RgmConfigText.bool("k", "YES")).isTrue();
        assertThat(RgmConfigText.bool("k", "True")).isTrue();
        assertThat(RgmConfigText.bool("k", "no")).isFalse();
        assertThat(RgmConfigText.bool("k", "FALSE")).isFalse();
    }

    @Test
    void commentsBlankLinesAndCarriageReturnsAreIgnored() {
        RgmConfig config = parse("# only a comment\r\n\r\n   \ngroup g failover nodes=1 # trailing\r\n"
                + "  # indented comment\n  resource r type=t\r\n");
        assertThat(config.groupCount()).isEqualTo(1);
        assertThat(config.resourceCount()).isEqualTo(1);
        assertThat(config.group(0).nodelist()).containsExactly(1);
    }

    @Test
    void aHashInsideAQuotedValueIsKept() {
        ResourceSpec r = resource(parse("group g failover nodes=1\nresource r type=t motd=\"no # comment\""), "r");
        assertThat(r.properties()).containsEntry("motd", "no # comment");
    }

    @Test
    void aCommentAfterAQuotedValueIsStripped() {
        ResourceSpec r = resource(parse("group g failover nodes=1\nresource r type=t banner=\"a b\" # the banner"), "r");
        assertThat(r.properties()).isEqualTo(Map.of("banner", "a b"));
    }

    @Test
    void anEmptyTextIsAnEmptyConfiguration() {
        assertThat(parse("").groupCount()).isZero();
        assertThat(parse("# nothing yet\n").groupCount()).isZero();
    }

    @Test
    void aLineOfExactlyTheLimitIsAccepted() {
        String head = "resource r type=t p=";
        String line = head + "x".repeat(4096 - head.length());
        assertThat(line).hasSize(4096);
        assertThat(resource(parse("group g failover nodes=1\n" + line), "r").properties().get("p")).hasSize(4096 - head.length());
    }

    // ---- refusals: each names the source, the line and the problem -------------------------------

    private static void refused(String text, String message) {
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(InvalidRgmConfigException.class)
                .hasMessage(message);
    }

    @Test
    void anUnknownGroupKeyIsRefusedWithTheKnownOnes() {
        refused("# header\ngroup g failover nodes=1 colour=blue",
                "rgm.conf line 2: unknown group property 'colour' (known: nodes, failback, pingpong, auto_start, max,"
                        + " desired, rg_depends, affinity)");
    }

    @Test
    void aLineThatIsNeitherGroupNorResourceIsRefused() {
        refused("group g failover nodes=1\nresorce r type=t",
                "rgm.conf line 2: expected 'group' or 'resource', found 'resorce'");
    }

    @Test
    void aWordWithoutEqualsIsRefused() {
        refused("group g failover nodes=1 failback", "rgm.conf line 1: expected key=value, found 'failback'");
        refused("group g failover nodes=1 =1", "rgm.conf line 1: expected key=value, found '=1'");
    }

    @Test
    void anUnknownGroupKindIsRefused() {
        refused("group g active nodes=1", "rgm.conf line 1: unknown kind 'active' (known: failover, scalable)");
    }

    @Test
    void aGroupLineWithoutKindIsRefused() {
        refused("group g", "rgm.conf line 1: expected: group NAME failover|scalable nodes=…");
    }

    @Test
    void aGroupWithoutNodesIsRefused() {
        refused("\n\ngroup web failover failback=true", "rgm.conf line 3: group web needs nodes=…");
        refused("group web failover nodes=", "rgm.conf line 1: group web needs nodes=…");
    }

    @Test
    void aResourceWithoutTypeIsRefused() {
        refused("group g failover nodes=1\n  resource web port=80", "rgm.conf line 2: resource web needs type=…");
        refused("group g failover nodes=1\n  resource", "rgm.conf line 2: expected: resource NAME type=…");
    }

    @Test
    void aResourceBeforeAnyGroupIsRefused() {
        refused("# resources first\n  resource web type=apache\ngroup g failover nodes=1",
                "rgm.conf line 2: resource before any group");
    }

    @Test
    void aKeySetTwiceIsRefused() {
        refused("group g failover nodes=1 nodes=2", "rgm.conf line 1: nodes is set twice");
        refused("group g failover nodes=1\nresource r type=t Retry_count=1 Retry_count=1",
                "rgm.conf line 2: Retry_count is set twice");
    }

    @Test
    void aKeySetTwiceUnderItsAliasIsRefused() {
        refused("group g failover nodes=1 Nodelist=2", "rgm.conf line 1: nodes is set twice");
    }

    @Test
    void aDurationWithoutUnitIsRefused() {
        refused("group g failover nodes=1 pingpong=10",
                "rgm.conf line 1: pingpong=10: a duration needs a unit, such as 500ms, 10s, 5m or 1h");
        refused("group g failover nodes=1\nresource r type=t Retry_interval=5min",
                "rgm.conf line 2: Retry_interval=5min: a duration needs a unit, such as 500ms, 10s, 5m or 1h");
        refused("group g failover nodes=1\nresource r type=t Stop_timeout=-5s",
                "rgm.conf line 2: Stop_timeout=-5s: a duration needs a unit, such as 500ms, 10s, 5m or 1h");
    }

    @Test
    void aBadBooleanIsRefused() {
        refused("group g failover nodes=1 failback=maybe", "rgm.conf line 1: failback=maybe: expected true or false");
        refused("group g failover nodes=1\nresource r type=t enabled=1", "rgm.conf line 2: enabled=1: expected true or false");
    }

    @Test
    void aBadIntegerIsRefused() {
        refused("group g scalable nodes=1,2 max=two", "rgm.conf line 1: max=two: expected a whole number");
        refused("group g failover nodes=1,,2", "rgm.conf line 1: nodes=: expected a whole number");
        refused("group g failover nodes=1,x", "rgm.conf line 1: nodes=x: expected a whole number");
        refused("group g failover nodes=1\nresource r type=t Retry_count=3x",
                "rgm.conf line 2: Retry_count=3x: expected a whole number");
        refused("group g failover nodes=99999999999", "rgm.conf line 1: nodes=99999999999: expected a whole number");
    }

    @Test
    void aBadNameIsRefused() {
        refused("group web! failover nodes=1",
                "rgm.conf line 1: 'web!' is not a name (letters, digits, _ . -; at most 64)");
        refused("group g failover nodes=1\nresource -r type=t",
                "rgm.conf line 2: '-r' is not a name (letters, digits, _ . -; at most 64)");
        String tooLong = "a".repeat(65);
        refused("group " + tooLong + " failover nodes=1",
                "rgm.conf line 1: '" + tooLong + "' is not a name (letters, digits, _ . -; at most 64)");
        refused("group g failover nodes=1\nresource r type=has/slash",
                "rgm.conf line 2: 'has/slash' is not a name (letters, digits, _ . -; at most 64)");
        refused("group g failover nodes=1\nresource r type=t depends=weak:",
                "rgm.conf line 2: '' is not a name (letters, digits, _ . -; at most 64)");
    }

    @Test
    void aNameOfSixtyFourCharactersIsAccepted() {
        String name = "a".repeat(64);
        assertThat(parse("group " + name + " failover nodes=1").group(0).name()).isEqualTo(name);
    }

    @Test
    void aBadPropertyNameIsRefused() {
        refused("group g failover nodes=1\nresource r type=t 9lives=1", "rgm.conf line 2: '9lives' is not a property name");
    }

    @Test
    void anUnclosedQuoteIsRefused() {
        refused("group g failover nodes=1\nresource r type=t banner=\"hello world", "rgm.conf line 2: unclosed quote");
    }

    @Test
    void anOverlongLineIsRefused() {
        String line = "resource r type=t p=" + "x".repeat(4096);
        refused("group g failover nodes=1\n" + line, "rgm.conf line 2: line longer than 4096 characters");
    }

    @Test
    void anUnknownDependencyKindIsRefused() {
        refused("group g failover nodes=1\nresource a type=t\nresource b type=t depends=soft:a",
                "rgm.conf line 3: depends=soft: expected one of STRONG, WEAK, RESTART, OFFLINE_RESTART");
    }

    @Test
    void anUnknownTierOrFailoverModeIsRefused() {
        refused("group g failover nodes=1\nresource r type=t tier=compute",
                "rgm.conf line 2: tier=compute: expected one of network, storage, application");
        refused("group g failover nodes=1\nresource r type=t Failover_mode=always",
                "rgm.conf line 2: Failover_mode=always: expected one of NONE, SOFT, HARD, RESTART_ONLY, LOG_ONLY");
    }

    @Test
    void aBadAffinityIsRefused() {
        refused("group a failover nodes=1\ngroup b failover nodes=1 affinity=+++a",
                "rgm.conf line 2: affinity '+++a' must be ++group, +group, -group or --group");
    }

    @Test
    void methodsNamesOnlyOptionalMethods() {
        refused("group g failover nodes=1\nresource r type=t methods=prenet_start,start",
                "rgm.conf line 2: methods=prenet_start,start: only prenet_start and postnet_stop are optional here");
        refused("group g failover nodes=1\nresource r type=t methods=bogus",
                "rgm.conf line 2: methods=bogus: only prenet_start and postnet_stop are optional here");
    }

    @Test
    void validationErrorsNameTheLineOfTheGroupOrResource() {
        refused("group g failover nodes=1\nresource r type=t depends=elsewhere",
                "rgm.conf line 2: resource r (group g): depends on elsewhere, which is not a resource of group g");
        refused("group g failover nodes=1,2 max=2",
                "rgm.conf line 1: group g: a failover group has Maximum_primaries = Desired_primaries = 1");
        refused("group g failover nodes=1\nresource r type=t Retry_count=-1",
                "rgm.conf line 2: resource r (group g): Retry_count must be 0..100");
        refused("group g failover nodes=1\nresource r type=t network=public",
                "rgm.conf line 2: resource r (group g): only a network resource names a network");
    }

    @Test
    void standardDurationsAreRefusedOutsideTheirBounds() {
        refused("group g failover nodes=1\nresource r type=t Start_timeout=0s",
                "rgm.conf line 2: Start_timeout=0s: must be between 100ms and 24h");
        refused("group g failover nodes=1\nresource r type=t Retry_interval=500ms",
                "rgm.conf line 2: Retry_interval=500ms: must be between 1s and 24h");
        refused("group g failover nodes=1\nresource r type=t Thorough_probe_interval=2h",
                "rgm.conf line 2: Thorough_probe_interval=2h: must be between 1s and 1h");
    }

    @Test
    void standardResourceKeysIgnoreCase() {
        ResourceSpec r = resource(parse("group g failover nodes=1\nresource r type=t failover_mode=hard RETRY_COUNT=1"
                + " start_timeout=5s Colour=blue"), "r");
        assertThat(r.failoverMode()).isEqualTo(FailoverMode.HARD);
        assertThat(r.retryCount()).isEqualTo(1);
        assertThat(r.timeoutMs(MethodName.START)).isEqualTo(5_000);
        assertThat(r.properties()).as("the type's own keys keep their case").isEqualTo(Map.of("Colour", "blue"));
        refused("group g failover nodes=1\nresource r type=t Failover_mode=SOFT failover_mode=HARD",
                "rgm.conf line 2: Failover_mode is set twice");
    }

    @Test
    void errorsAcrossGroupsNameTheLineOfTheFirstGroupNamed() {
        refused("# two groups\ngroup a failover nodes=1 affinity=++b\ngroup b failover nodes=1 rg_depends=a",
                "rgm.conf line 2: RG_dependencies and strong RG_affinities form a cycle among groups [a, b]");
        refused("group a failover nodes=1\ngroup b failover nodes=1 rg_depends=c",
                "rgm.conf line 2: group b: RG_dependencies names unknown group c");
        refused("group a failover nodes=1\ngroup a failover nodes=1", "rgm.conf line 2: group a is defined twice");
    }

    @Test
    void aNodelistOutsideTheClusterNamesItsLine() {
        assertThatThrownBy(() -> RgmConfigText.parse("group a failover nodes=1\ngroup b failover nodes=1,4", "rgm.conf",
                List.of(1, 2, 3)))
                .isInstanceOf(InvalidRgmConfigException.class)
                .hasMessage("rgm.conf line 2: group b: Nodelist names node 4, which is not a cluster node [1, 2, 3]");
    }

    @Test
    void theSourceNameIsTheOneGiven() {
        assertThatThrownBy(() -> RgmConfigText.parse("bogus", "ccr table rgm"))
                .isInstanceOf(InvalidRgmConfigException.class)
                .hasMessage("ccr table rgm line 1: expected 'group' or 'resource', found 'bogus'");
    }

    @Test
    void theNetworkAndOptionalSetsAreWhatTheSpecHolds() {
        ResourceSpec r = resource(parse("group g failover nodes=1\nresource ip type=ip tier=network network=pub methods="),
                "ip");
        assertThat(r).isEqualTo(new ResourceSpec("ip", "ip", Tier.NETWORK, Optional.of("pub"), true, true, List.of(),
                FailoverMode.SOFT, RgmDefaults.RETRY_COUNT, RgmDefaults.RETRY_INTERVAL_MS, RgmDefaults.PROBE_INTERVAL_MS,
                Map.of(), Set.of(), Map.of()));
    }
}
