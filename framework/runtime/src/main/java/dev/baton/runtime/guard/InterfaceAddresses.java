package dev.baton.runtime.guard;

import dev.baton.runtime.process.CallProcesses;
import dev.baton.runtime.process.ProcessRunner;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The addresses this network namespace's interfaces hold, read and removed with iproute2: one
 * {@code ip -o addr show} to find which interface holds each wanted address under which prefix,
 * then one {@code ip addr del ADDR/PREFIX dev IF} per match. Each command is bounded in time and
 * output, so a hung {@code ip} cannot hold a failfast back for long.
 */
final class InterfaceAddresses {
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(2);
    private static final int IP_MAX_OUTPUT_BYTES = 1024 * 1024;
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C");

    private final ProcessRunner runner;
    private final String ip;

    /** An address an interface holds. */
    record Held(String device, InetAddress address, int prefixLength) {
        String spec() {
            return address.getHostAddress() + "/" + prefixLength;
        }
    }

    /** What removing the wanted addresses did: each removed one as {@code ADDR/PREFIX dev IF}, and every problem. */
    record Removal(List<String> removed, List<String> problems) {
    }

    InterfaceAddresses(ProcessRunner runner) {
        this.runner = runner;
        this.ip = findIp();
    }

    /** Removes every wanted address from every interface holding it; an address nobody holds is no problem. */
    Removal removeAll(List<GuardAddress> wanted) {
        List<String> removed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (wanted.isEmpty()) {
            return new Removal(removed, problems);
        }
        List<Held> held;
        try {
            held = list();
        } catch (IOException e) {
            problems.add("cannot list addresses: " + e.getMessage());
            return new Removal(removed, problems);
        }
        for (Held h : held) {
            if (wanted.stream().anyMatch(w -> w.address().equals(h.address()))) {
                delete(h, removed, problems);
            }
        }
        return new Removal(removed, problems);
    }

    /** Every address of every interface in this network namespace. */
    List<Held> list() throws IOException {
        ProcessRunner.Outcome o = ip(List.of(ip, "-o", "addr", "show"));
        if (o.exitCode() != 0) {
            throw new IOException("ip -o addr show exited with " + o.exitCode() + ": " + o.stderr().strip());
        }
        return parse(o.stdout());
    }

    private void delete(Held h, List<String> removed, List<String> problems) {
        String what = h.spec() + " dev " + h.device();
        try {
            ProcessRunner.Outcome o = ip(List.of(ip, "addr", "del", h.spec(), "dev", h.device()));
            if (o.exitCode() == 0) {
                removed.add(what);
            } else {
                problems.add("ip addr del " + what + " exited with " + o.exitCode() + ": " + o.stderr().strip());
            }
        } catch (IOException e) {
            problems.add("ip addr del " + what + ": " + e.getMessage());
        }
    }

    private ProcessRunner.Outcome ip(List<String> argv) throws IOException {
        ProcessRunner.Request r = new ProcessRunner.Request(argv, ENV, Path.of("/"), null, IP_MAX_OUTPUT_BYTES,
                IP_TIMEOUT);
        return runner.run(r, new CallProcesses(Instant.now()));
    }

    /**
     * Reads {@code ip -o addr show}: one line per address,
     * {@code 2: eth0    inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0\ ...}.
     */
    static List<Held> parse(String output) {
        List<Held> held = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 4 || !(f[2].equals("inet") || f[2].equals("inet6")) || !f[3].contains("/")) {
                continue;
            }
            String device = f[1].contains("@") ? f[1].substring(0, f[1].indexOf('@')) : f[1];
            String[] spec = f[3].split("/", 2);
            try {
                held.add(new Held(device, GuardAddress.parse(spec[0]).address(), Integer.parseInt(spec[1])));
            } catch (IllegalArgumentException e) {
                // Not an address line we understand; ip prints only literals here.
            }
        }
        return held;
    }

    private static String findIp() {
        for (String candidate : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("ip (iproute2) is missing; the guard needs it to remove addresses");
    }
}
