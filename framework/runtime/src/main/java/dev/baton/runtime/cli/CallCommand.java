package dev.baton.runtime.cli;

import dev.baton.api.method.MethodResult;
import dev.baton.api.method.ResultCode;
import dev.baton.api.type.MethodName;
import dev.baton.api.type.PropertyType;
import dev.baton.runtime.config.BatonConfig;
import dev.baton.runtime.config.ConfigKeys;
import dev.baton.runtime.js.JsEngine;
import dev.baton.runtime.method.MethodRuntime;
import dev.baton.runtime.plugin.PluginCatalog;
import dev.baton.runtime.resource.InvalidPropertiesException;
import dev.baton.runtime.resource.ResourceType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "call", mixinStandardHelpOptions = true,
        description = {"Runs one method of a resource type on this machine and prints its result and log.",
                "Exit status: the result's OCF exit code (0 SUCCESS or RUNNING, 7 NOT_RUNNING, 1 FAILED,"
                        + " 5 FAILED_HARD, 6 CONFIG_ERROR), 124 for TIMED_OUT, 2 for bad arguments."})
final class CallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--plugins", description = "Plugins folder (default: the distribution's plugins/)")
    Path pluginsDir;

    @Option(names = "--plugin", description = "Load only this plugin (zip, jar, folder or Maven module)")
    Path plugin;

    @Option(names = "--timeout", description = "Method timeout instead of the resource's <Method>_timeout, e.g. 5s")
    String timeout;

    @Option(names = "--name", defaultValue = "cli", description = "Resource name (default: ${DEFAULT-VALUE})")
    String resourceName;

    @Option(names = "--node", description = "Node name methods see as ctx.node (default: the host name)")
    String node;

    @Parameters(index = "0", paramLabel = "TYPE")
    String typeName;

    @Parameters(index = "1", paramLabel = "METHOD", description = "start, stop, probe, validate, update, init, fini, boot, prenet_start, postnet_stop")
    String methodName;

    @Parameters(index = "2..*", paramLabel = "PROPERTY=VALUE")
    List<String> assignments = List.of();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MethodName method = MethodName.fromJsName(methodName.toLowerCase(Locale.ROOT)).orElse(null);
        Map<String, String> values = parseAssignments(err);
        if (method == null || values == null) {
            if (method == null) {
                err.println("baton call: unknown method '" + methodName + "'");
            }
            return 2;
        }
        BatonConfig config = node == null ? BatonConfig.defaults() : BatonConfig.defaults().with(ConfigKeys.NODE_NAME, node);
        try (JsEngine engine = new JsEngine(); PluginCatalog catalog = load(engine, config);
             MethodRuntime runtime = new MethodRuntime(config)) {
            ResourceType type = catalog.type(typeName).orElse(null);
            if (type == null) {
                err.println("baton call: no type '" + typeName + "'; loaded: " + catalog.types());
                catalog.plugins().forEach(s -> Cli.printPlugin(err, s));
                return 2;
            }
            MethodRuntime.CallOptions options = timeout == null ? MethodRuntime.CallOptions.DEFAULT
                    : MethodRuntime.CallOptions.withTimeout(PropertyType.parseDuration(timeout));
            MethodResult r = method == MethodName.VALIDATE
                    ? runtime.validate(type, resourceName, values, options)
                    : runtime.call(type.newResource(resourceName, values), method, options);
            Cli.printResult(out, method.jsName(), r);
            Cli.printLog(out, r);
            out.flush();
            return exitStatus(r.code());
        } catch (InvalidPropertiesException e) {
            err.println("baton call: " + e.getMessage());
            return 6;
        } catch (IllegalArgumentException e) {
            err.println("baton call: " + e.getMessage());
            return 2;
        }
    }

    private PluginCatalog load(JsEngine engine, BatonConfig config) {
        if (plugin != null) {
            return Cli.loadNamed(List.of(plugin), engine, config);
        }
        return PluginCatalog.loadDirectory(pluginsDir != null ? pluginsDir : Cli.defaultPluginsDir(), engine, config);
    }

    private Map<String, String> parseAssignments(PrintWriter err) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                err.println("baton call: '" + a + "' is not PROPERTY=VALUE");
                return null;
            }
            values.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return values;
    }

    static int exitStatus(ResultCode code) {
        return code == ResultCode.TIMED_OUT ? 124 : code.ocfExitCode().orElse(1);
    }
}
