package dev.baton.runtime.plugin;

import dev.baton.api.spi.ResourceTypeSource;
import dev.baton.api.type.MethodName;
import dev.baton.api.type.ResourceTypeDescriptor;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;
import dev.baton.runtime.descriptor.DescriptorParser;
import dev.baton.runtime.js.ContextPool;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.js.JsErrors;
import dev.baton.runtime.js.JsModule;
import dev.baton.runtime.resource.ResourceType;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads and checks the resource types of one plugin: each descriptor parsed, each module
 * evaluated once in a sandbox under a time limit, every declared method exported, no method
 * exported that the descriptor does not declare, every {@code ctx.props.X} naming a declared
 * property. Problems carry the plugin file and line.
 */
final class TypeLoader {
    private static final Pattern PROPS_REFERENCE = Pattern.compile("\\bctx\\.props\\.([A-Za-z_$][A-Za-z0-9_$]*)");

    private final JsEngine engine;
    private final BatonConfig config;
    private final ScheduledExecutorService timer;

    TypeLoader(JsEngine engine, BatonConfig config, ScheduledExecutorService timer) {
        this.engine = engine;
        this.config = config;
        this.timer = timer;
    }

    record Loaded(List<ResourceType> types, List<SourceProblem> problems) {
    }

    /**
     * @param typesRoot the plugin's types folder (read-only to JavaScript); it may be empty
     */
    Loaded load(String pluginId, Path typesRoot, List<ResourceTypeSource> providerSources) {
        List<SourceProblem> problems = new ArrayList<>();
        List<ResourceType> types = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path yaml : descriptorFiles(typesRoot, problems)) {
            String file = "types/" + typesRoot.relativize(yaml);
            String text = readBounded(yaml, file, problems);
            if (text != null) {
                loadType(pluginId, typesRoot, file, text, null, names, types, problems);
            }
        }
        for (ResourceTypeSource s : providerSources) {
            loadType(pluginId, typesRoot, s.descriptorName(), s.descriptorYaml(), s.moduleSource(), names, types, problems);
        }
        if (!problems.isEmpty()) {
            types.forEach(ResourceType::close);
            return new Loaded(List.of(), problems);
        }
        return new Loaded(types, problems);
    }

    private void loadType(String pluginId, Path typesRoot, String file, String yaml, String givenModule,
            Set<String> names, List<ResourceType> types, List<SourceProblem> problems) {
        DescriptorParser.Result parsed = DescriptorParser.parse(file, yaml);
        if (!parsed.ok()) {
            problems.addAll(parsed.problems());
            return;
        }
        ResourceTypeDescriptor d = parsed.descriptor();
        if (!names.add(d.name())) {
            problems.add(new SourceProblem(file, parsed.lineOf("name"), "type '" + d.name()
                    + "' is defined twice in this plugin"));
            return;
        }
        String moduleFile = "types/" + d.module();
        String source = givenModule != null ? givenModule : readModule(typesRoot, d.module(), file, parsed, problems);
        if (source == null) {
            return;
        }
        List<SourceProblem> found = new ArrayList<>(lintPropertyReferences(moduleFile, source, d));
        JsModule module;
        try {
            module = JsModule.of(typesRoot, d.module(), source, moduleFile);
        } catch (IOException | RuntimeException e) {
            problems.add(new SourceProblem(file, parsed.lineOf("module"), e.getMessage()));
            return;
        }
        found.addAll(checkModule(module, d, file, parsed));
        if (!found.isEmpty()) {
            problems.addAll(found);
            return;
        }
        types.add(new ResourceType(d, pluginId, file, module, new ContextPool(engine, module,
                config.get(ConfigKeys.CONTEXT_POOL_PER_TYPE), config.get(ConfigKeys.LOG_MAX_LINE_CHARS))));
    }

    private static List<Path> descriptorFiles(Path typesRoot, List<SourceProblem> problems) {
        if (!Files.isDirectory(typesRoot)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(typesRoot)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            problems.add(new SourceProblem("types/", 0, "cannot list: " + e.getMessage()));
            return List.of();
        }
    }

    private String readModule(Path typesRoot, String module, String file, DescriptorParser.Result parsed,
            List<SourceProblem> problems) {
        Path path = typesRoot.resolve(module).normalize();
        if (!path.startsWith(typesRoot.normalize())) {
            problems.add(new SourceProblem(file, parsed.lineOf("module"), "module '" + module
                    + "' is outside the plugin's types folder"));
            return null;
        }
        if (!Files.exists(path)) {
            problems.add(new SourceProblem(file, parsed.lineOf("module"), "module 'types/" + module + "' does not exist"));
            return null;
        }
        return readBounded(path, "types/" + module, problems);
    }

    private String readBounded(Path path, String file, List<SourceProblem> problems) {
        int max = config.get(ConfigKeys.MODULE_MAX_BYTES);
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                problems.add(new SourceProblem(file, 0, "larger than the limit of " + max + " bytes"));
                return null;
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add(new SourceProblem(file, 0, "does not exist"));
        } catch (IOException e) {
            problems.add(new SourceProblem(file, 0, "cannot read: " + e.getMessage()));
        }
        return null;
    }

    /** Evaluates the module once, under the load time limit, and compares its exports with the descriptor. */
    private List<SourceProblem> checkModule(JsModule module, ResourceTypeDescriptor d, String file,
            DescriptorParser.Result parsed) {
        List<SourceProblem> problems = new ArrayList<>();
        Context context;
        try {
            context = engine.newContext(module.typesRoot(), OutputStream.nullOutputStream());
        } catch (IOException e) {
            problems.add(new SourceProblem(module.displayName(), 0, "cannot create a context: " + e.getMessage()));
            return problems;
        }
        long limitMs = config.get(ConfigKeys.MODULE_LOAD_TIMEOUT).toMillis();
        ScheduledFuture<?> guard = timer.schedule(() -> closeQuietly(context), limitMs, TimeUnit.MILLISECONDS);
        try {
            Value exports = context.eval(module.source());
            compareExports(exports, d, file, module.displayName(), parsed, problems);
        } catch (PolyglotException e) {
            problems.add(moduleProblem(module, e, limitMs));
        } finally {
            guard.cancel(false);
            closeQuietly(context);
        }
        return problems;
    }

    private static void compareExports(Value exports, ResourceTypeDescriptor d, String file, String moduleFile,
            DescriptorParser.Result parsed, List<SourceProblem> problems) {
        for (MethodName m : MethodName.values()) {
            Value fn = exports.getMember(m.jsName());
            boolean exported = fn != null && fn.canExecute();
            if (d.implementsMethod(m) && !exported) {
                problems.add(new SourceProblem(file, parsed.lineOf("methods." + m.jsName()), "declares method "
                        + m.jsName() + " but " + moduleFile + " exports no function named " + m.jsName()));
            } else if (!d.implementsMethod(m) && exported) {
                problems.add(new SourceProblem(moduleFile, 0, "exports " + m.jsName() + " but " + file
                        + " does not declare it; add it under methods: with a timeout, or rename the function"));
            }
        }
    }

    private static SourceProblem moduleProblem(JsModule module, PolyglotException e, long limitMs) {
        if (e.isCancelled() || e.isInterrupted()) {
            return new SourceProblem(module.displayName(), 0, "top-level code ran longer than " + limitMs
                    + " ms (an endless loop?)");
        }
        SourceSection at = JsErrors.location(e);
        String where = at == null ? module.displayName() : displayName(module, at);
        int line = at == null ? 0 : at.getStartLine();
        String what = e.isSyntaxError() ? "syntax error: " : "loading the module failed: ";
        return new SourceProblem(where, line, what + e.getMessage());
    }

    private static String displayName(JsModule module, SourceSection at) {
        String path = at.getSource().getPath();
        if (path != null && Path.of(path).startsWith(module.typesRoot())) {
            return "types/" + module.typesRoot().relativize(Path.of(path));
        }
        return at.getSource().getName();
    }

    /** Catches {@code ctx.props.Prot} for {@code Port} when the plugin loads, not when a probe fails at 3 a.m. */
    private static List<SourceProblem> lintPropertyReferences(String moduleFile, String source, ResourceTypeDescriptor d) {
        List<SourceProblem> problems = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = PROPS_REFERENCE.matcher(lines[i]);
            while (m.find()) {
                String name = m.group(1);
                if (!d.properties().containsKey(name)) {
                    String hint = d.property(name).map(p -> " (did you mean " + p.name() + "?)").orElse("");
                    problems.add(new SourceProblem(moduleFile, i + 1, "ctx.props." + name
                            + " is not a property of type " + d.name() + hint));
                }
            }
        }
        return problems;
    }

    private static void closeQuietly(Context c) {
        try {
            c.close(true);
        } catch (RuntimeException e) {
            // Already closed, or cancelled mid-evaluation: either way it is gone.
        }
    }
}
