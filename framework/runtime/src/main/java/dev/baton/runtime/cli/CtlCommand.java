package dev.baton.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.runtime.daemon.ControlClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code baton ctl}: one request to the local daemon's control socket, answer printed as JSON.
 * Until the shell arrives, this is how operators and tests talk to batond.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true,
        description = {"Talks to the local daemon: status | events | propose TABLE FILE | rgm REQUEST [group=G] [node=N] [resource=R]",
                "RGM requests: online, offline, switchover, evacuate, suspend, resume, unmanage, manage, clear."})
final class CtlCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;
    @Option(names = "--state", required = true, description = "The node's state directory")
    Path stateDir;
    @Parameters(index = "0", paramLabel = "OP")
    String op;
    @Parameters(index = "1..*", paramLabel = "ARG")
    List<String> args = List.of();

    @Override
    public Integer call() throws Exception {
        ObjectNode request = JSON.createObjectNode().put("op", op);
        switch (op) {
            case "propose" -> {
                need(2);
                request.put("table", args.get(0)).put("content", Files.readString(Path.of(args.get(1))));
            }
            case "rgm" -> {
                need(1);
                request.put("request", args.get(0));
                for (String kv : args.subList(1, args.size())) {
                    String[] p = kv.split("=", 2);
                    if (p.length != 2) {
                        throw new IllegalArgumentException("expected key=value, got " + kv);
                    }
                    if (p[1].matches("\\d+")) {
                        request.put(p[0], Long.parseLong(p[1]));
                    } else {
                        request.put(p[0], p[1]);
                    }
                }
            }
            default -> {
            }
        }
        String answer = ControlClient.call(ControlClient.socketOf(stateDir), JSON.writeValueAsString(request));
        spec.commandLine().getOut().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(answer)));
        return JSON.readTree(answer).path("ok").asBoolean(false) ? 0 : 1;
    }

    private void need(int n) {
        if (args.size() < n) {
            throw new IllegalArgumentException(op + " needs " + n + " argument(s)");
        }
    }
}
