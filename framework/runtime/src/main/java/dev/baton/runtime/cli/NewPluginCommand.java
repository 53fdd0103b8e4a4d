package dev.baton.runtime.cli;

import dev.baton.runtime.BatonVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

@Command(name = "new", mixinStandardHelpOptions = true,
        description = "Creates a plugin module for a new resource type: descriptor, JavaScript methods, and the"
                + " contract test, ready for `mvn package`. The generated type runs a foreground program; adapt it.")
final class NewPluginCommand implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Type and plugin name: lower case letters, digits, '_'")
    String name;

    @Option(names = "--dir", description = "Folder to create (default: ./baton-plugin-NAME)")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!NAME.matcher(name).matches()) {
            err.println("baton new: '" + name + "' must be lower case letters, digits or '_', starting with a letter");
            return 2;
        }
        Path target = dir != null ? dir : Path.of("baton-plugin-" + name);
        if (Files.exists(target)) {
            err.println("baton new: " + target + " already exists; nothing written");
            return 2;
        }
        write(target, files());
        PrintWriter out = spec.commandLine().getOut();
        out.println("Created " + target + ":");
        files().keySet().forEach(f -> out.println("  " + f));
        out.println("Next: cd " + target + " && JAVA_HOME=<a JDK 21+> mvn package   (see README.md)");
        out.flush();
        return 0;
    }

    /** Generated file → template. */
    private Map<String, String> files() {
        String pkg = "com.example.baton." + name.replace("_", "");
        Map<String, String> f = new LinkedHashMap<>();
        f.put("pom.xml", "pom.xml.tmpl");
        f.put("README.md", "README.md.tmpl");
        f.put("src/main/plugin/plugin.properties", "plugin.properties.tmpl");
        f.put("src/main/resources/types/" + name + ".yaml", "type.yaml.tmpl");
        f.put("src/main/resources/types/" + name + ".js", "type.js.tmpl");
        f.put("src/test/java/" + pkg.replace('.', '/') + "/" + className() + "ContractTest.java", "ContractTest.java.tmpl");
        f.put("src/test/resources/logback-test.xml", "logback-test.xml.tmpl");
        return f;
    }

    private void write(Path target, Map<String, String> files) {
        files.forEach((file, template) -> {
            try {
                Path out = target.resolve(file);
                Files.createDirectories(out.getParent());
                Files.writeString(out, render(template));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    String render(String template) throws IOException {
        try (InputStream in = NewPluginCommand.class.getResourceAsStream("template/" + template)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.replace("@NAME@", name)
                    .replace("@CLASS@", className())
                    .replace("@PACKAGE@", "com.example.baton." + name.replace("_", ""))
                    .replace("@BATON_VERSION@", BatonVersion.full());
        }
    }

    private String className() {
        StringBuilder s = new StringBuilder();
        for (String part : name.split("_")) {
            if (!part.isEmpty()) {
                s.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return s.toString();
    }
}
