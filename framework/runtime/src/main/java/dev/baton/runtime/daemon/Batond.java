package dev.baton.runtime.daemon;

import dev.baton.api.spi.HeartbeatPath;
import dev.baton.api.spi.QuorumDevice;
import dev.baton.core.Effect;
import dev.baton.core.Event;
import dev.baton.core.Input;
import dev.baton.core.NodeCore;
import dev.baton.core.ccr.Table;
import dev.baton.core.cluster.PathKind;
import dev.baton.core.rgm.RgmConfig;
import dev.baton.core.rgm.ResourceSpec;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.guard.Failfast;
import dev.baton.runtime.guard.FailfastAction;
import dev.baton.runtime.guard.GuardClient;
import dev.baton.runtime.guard.Realtime;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.method.MethodRuntime;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.quorum.QuorumServerDevice;
import dev.baton.runtime.rgm.MethodEffects;
import dev.baton.runtime.state.BootState;
import dev.baton.runtime.state.StateDir;
import dev.baton.runtime.wire.ClusterKey;
import dev.baton.runtime.wire.Opener;
import dev.baton.runtime.wire.Sealer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node daemon: the core driven with real time and real I/O. Start-up does everything slow
 * first (state, key, plugins and the JavaScript engine, paths, the guard, warm-up) and only then
 * gives the core its {@link Input.Boot}, so a node still loading is never taken for a node that
 * died: it starts heartbeating when it is ready to keep up (issue 5 item 11).
 *
 * <p>Where to read next: {@link EventLoop} (the one thread that owns the core), {@link Transport}
 * (sealed UDP/TCP/serial), {@link #perform} (what each effect does), {@link StallDetector}, and
 * docs/design/daemon.md.
 */
public final class Batond implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Batond.class);
    public static final String LOGICAL_HOSTNAME_TYPE = "logical_hostname";
    /** Real-time priority of the event loop when the host grants it: below the guard's, above ordinary work. */
    static final int EVENT_LOOP_PRIORITY = 60;

    private final DaemonSettings settings;
    private final StateDir state;
    private final ClusterDescription cluster;
    private final int self;
    private final String tag;
    private final NodeCore core;
    private final JsEngine engine;
    private final PluginCatalog catalog;
    private final MethodRuntime methods;
    private final MethodEffects methodEffects;
    private final Transport transport;
    private final Devices devices;
    private final Optional<GuardClient> guard;
    private final Recording recording;
    private final EventLoop loop;
    private final ControlServer control;
    private final Input.Boot boot;
    private final DaemonEvents events = new DaemonEvents();
    private final Failfast failfast = new Failfast();
    private RgmConfig addressesFrom;
    private volatile boolean failing;

    private Batond(DaemonSettings settings) throws IOException {
        this.settings = settings;
        this.state = StateDir.open(settings.stateDir());
        BootState loaded = state.load();
        loaded.problems().forEach(p -> LOG.warn("state: {}", p));
        if (!loaded.mayStart()) {
            throw new IllegalStateException(settings.stateDir() + ": the node's promise or rolled-back list cannot be read"
                    + " (see the problems above and docs/design/state-directory.md); refusing to start");
        }
        this.boot = loaded.boot();
        this.cluster = clusterOf(boot, settings.stateDir());
        this.self = NodeIdentity.read(settings.stateDir());
        this.tag = "baton-" + cluster.clusterName() + "-" + self;
        ClusterKey key = ClusterKey.load(state.keyFile());
        long incarnation = state.nextIncarnation();
        LOG.info("node {} ({}) of cluster {}, incarnation {}, key {}", self, cluster.config().nodeName(self),
                cluster.clusterName(), incarnation, key.fingerprint());
        // The first module load in a fresh daemon also builds the JavaScript engine: allow it time on a busy machine.
        BatonConfig config = settings.config().with(dev.baton.runtime.config.ConfigKeys.NODE_NAME, cluster.config().nodeName(self))
                .with(dev.baton.runtime.config.ConfigKeys.MODULE_LOAD_TIMEOUT, java.time.Duration.ofSeconds(60));
        this.core = new NodeCore(self, cluster.config());
        this.engine = new JsEngine();
        this.catalog = PluginCatalog.loadDirectory(settings.pluginsDir(), engine, config);
        catalog.plugins().forEach(p -> LOG.info("plugin {}", p));
        this.methods = new MethodRuntime(config.with(dev.baton.runtime.config.ConfigKeys.FAILFAST_TAG, tag));
        this.recording = new Recording(state.recordingDir(), settings.recordingFileBytes(), settings.recordingFiles());
        this.loop = new EventLoop(core, recording, this::perform);
        this.methodEffects = new MethodEffects(catalog, methods, config, loop::offerAnswer);
        this.transport = new Transport(self, cluster, new Sealer(key, self, incarnation), new Opener(key), loop::offer,
                serialPaths(), settings.realtime());
        Optional<QuorumDevice> quorum = cluster.quorumDevice().map(q -> new QuorumServerDevice(q.name(),
                new java.net.InetSocketAddress(q.address().getHostString(), q.address().getPort()), cluster.clusterName(),
                self, q.nodes(), key, incarnation));
        this.devices = new Devices(self, quorum, Duration.ofMillis(Math.max(200, cluster.config().timing().leaseMs() / 2)),
                loop::offerAnswer);
        this.guard = settings.guard() ? Optional.of(GuardClient.start(settings.guardSettings(tag))) : Optional.empty();
        guard.ifPresent(g -> LOG.info("guard: {}", g.startReport()));
        LOG.info("failfast ready: {}", failfast.warmUp(tag));
        this.control = new ControlServer(state.runDir().resolve("batond.sock"), this);
    }

    /** Starts a daemon and runs it on the calling thread until it stops or fails fast. */
    public static void run(DaemonSettings settings) throws IOException {
        try (Batond daemon = new Batond(settings)) {
            daemon.serve();
        }
    }

    private void serve() throws IOException {
        transport.start();
        control.start();
        if (settings.realtime()) {
            LOG.info("memory: {}", Realtime.tryLockMemory().describe());
            LOG.info("event loop scheduling: {}", Realtime.trySetFifo(EVENT_LOOP_PRIORITY).describe());
        } else {
            LOG.info("real-time scheduling and memory locking not requested (--no-realtime)");
        }
        Warmup.run(cluster, self);
        new StallDetector(loop, cluster.config().timing().detectionMs(), settings.realtime(), this::failfast).start();
        LOG.info("node {} ready: booting the core", self);
        Thread.currentThread().setPriority(Thread.MAX_PRIORITY);
        loop.run(boot);
    }

    private static ClusterDescription clusterOf(Input.Boot boot, Path stateDir) {
        Table table = boot.tables().stream().filter(t -> t.name().equals(ClusterDescriptionText.TABLE)).findFirst()
                .orElseThrow(() -> new IllegalStateException(stateDir + " holds no usable '" + ClusterDescriptionText.TABLE
                        + "' table: create a cluster (baton cluster create) or join one (baton cluster join) first"));
        return ClusterDescriptionText.parse(table.content(), stateDir + ": table " + table.name());
    }

    private Map<String, HeartbeatPath> serialPaths() throws IOException {
        Map<String, HeartbeatPath> opened = new HashMap<>();
        for (ClusterDescription.Path p : cluster.pathsOf(self)) {
            if (p.kind() != PathKind.SERIAL) {
                continue;
            }
            Map<String, String> s = new HashMap<>(p.settings());
            s.put("device", p.endpoints().get(self));
            opened.put(p.name(), SerialPaths.open(catalog, s, p.name()));
        }
        return opened;
    }

    /** Performs one effect on the loop thread (see {@link Effect} for the order and why). */
    private void perform(Effect effect) {
        switch (effect) {
            case Effect.Failfast f -> failfast(f.reason());
            case Effect.PersistPromise p -> persist(p);
            case Effect.PersistTable p -> persist(p);
            case Effect.PersistPrepared p -> persist(p);
            case Effect.PersistRolledBack p -> persist(p);
            case Effect.Send s -> transport.send(s.to(), s.message());
            case Effect.Broadcast b -> transport.broadcast(b.network(), b.message());
            case Effect.RaceDevice r -> devices.perform(r);
            case Effect.CheckDevice c -> devices.perform(c);
            case Effect.RecordCommittedMembership m -> devices.perform(m);
            case Effect.Fence f -> devices.perform(f);
            case Effect.ArmGuard a -> guard.ifPresent(g -> g.arm(a.leaseDeadlineNanos()));
            case Effect.RunMethod r -> {
                refreshGuardAddresses();
                methodEffects.perform(r);
            }
            case Effect.Notify n -> notify(n.event());
        }
    }

    private void persist(Effect effect) {
        try {
            state.persist(effect);
        } catch (IOException | RuntimeException e) {
            failfast("cannot persist " + effect.getClass().getSimpleName() + ": " + e); // a node that cannot keep its promises must not speak
        }
    }

    private void notify(Event event) {
        events.publish(event);
        switch (event) {
            case Event.Stalled s -> LOG.warn("event: {}", event);
            case Event.FenceFailed f -> LOG.warn("event: {}", event);
            case Event.TableRefused t -> LOG.warn("event: {}", event);
            case Event.RgmConfigRefused r -> LOG.warn("event: {}", event);
            default -> LOG.info("event: {}", event);
        }
    }

    /** The addresses the guard removes on failfast: every logical hostname in the resource configuration. */
    private void refreshGuardAddresses() {
        RgmConfig rgm = core.rgmConfig();
        if (rgm == addressesFrom || guard.isEmpty()) {
            return;
        }
        addressesFrom = rgm;
        guard.get().addresses(logicalAddresses(rgm));
    }

    static Set<String> logicalAddresses(RgmConfig rgm) {
        Set<String> addresses = new LinkedHashSet<>();
        for (int i = 0; i < rgm.resourceCount(); i++) {
            ResourceSpec r = rgm.resource(i);
            if (LOGICAL_HOSTNAME_TYPE.equals(r.type())) {
                r.properties().forEach((k, v) -> {
                    if (k.equalsIgnoreCase("Address")) { // the type's property names match regardless of case
                        addresses.add(v);
                    }
                });
            }
        }
        return addresses;
    }

    /**
     * Stops everything at once (rule 3): no stop methods; the resource processes (found by their tag)
     * are killed and the logical addresses removed, then the process exits (test mode) or the machine
     * reboots. Never returns.
     */
    void failfast(String reason) {
        synchronized (this) {
            if (failing) {
                return;
            }
            failing = true;
        }
        LOG.error("FAILFAST: {}", reason);
        try {
            Set<Long> spare = guard.<Set<Long>>map(g -> Set.of(g.pid())).orElse(Set.of());
            var report = failfast.killEverything(tag, logicalAddresses(core.rgmConfig()), ProcessHandle.current().pid(), spare);
            LOG.error("failfast done: {}", report.describe());
        } catch (RuntimeException e) {
            LOG.error("failfast kill failed; the guard finishes it", e);
        }
        Failfast.finish(settings.failfastAction(), settings.failfastAction() == FailfastAction.REBOOT);
    }

    EventLoop loop() {
        return loop;
    }

    DaemonEvents events() {
        return events;
    }

    Transport transport() {
        return transport;
    }

    ClusterDescription cluster() {
        return cluster;
    }

    int self() {
        return self;
    }

    /** A clean stop: the guard is told (it then kills nothing); what runs here keeps running. */
    @Override
    public void close() {
        loop.stop();
        control.close();
        transport.close();
        devices.close();
        guard.ifPresent(GuardClient::close);
        failfast.close();
        recording.close();
        methods.close();
        catalog.close();
        engine.close();
    }
}
