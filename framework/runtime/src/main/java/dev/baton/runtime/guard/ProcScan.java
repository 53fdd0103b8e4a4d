package dev.baton.runtime.guard;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One pass over /proc: which live processes carry the tag, and which descend from one that does.
 * Descendants count because a process may overwrite its own environment block (setproctitle in
 * PostgreSQL backends or nginx workers clobbers it), so its environ no longer shows the tag it
 * inherited; while its tagged parent lives, the tree still names it.
 */
final class ProcScan {
    private static final Path PROC = Path.of("/proc");
    /** Field 22 of /proc/PID/stat, counted from the state field (field 3) after the command name. */
    private static final int START_TIME_INDEX = 22 - 3;

    private final EnvironMatch match;
    private final byte[] buffer = new byte[16 * 1024];

    /** A live process: its parent and whether its own environment carries the tag. */
    record Proc(long pid, long ppid, boolean tagged) {
    }

    ProcScan(byte[] tagEntry) {
        this.match = new EnvironMatch(tagEntry);
    }

    /** Tagged live processes and all live descendants of one, minus {@code excluded} (not walked through). */
    Set<Long> targets(Set<Long> excluded) {
        List<Proc> all = snapshot();
        Map<Long, List<Long>> children = new HashMap<>();
        Deque<Long> todo = new ArrayDeque<>();
        for (Proc p : all) {
            children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p.pid());
            if (p.tagged()) {
                todo.add(p.pid());
            }
        }
        Set<Long> targets = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            long pid = todo.poll();
            if (pid > 1 && !excluded.contains(pid) && targets.add(pid)) {
                todo.addAll(children.getOrDefault(pid, List.of()));
            }
        }
        return targets;
    }

    /** Every live (non-zombie) process there is now; one that vanishes while we read is skipped. */
    List<Proc> snapshot() {
        String[] names = new File("/proc").list();
        if (names == null) {
            throw new IllegalStateException("cannot list /proc");
        }
        List<Proc> procs = new ArrayList<>(names.length);
        for (String name : names) {
            long pid = pidOf(name);
            if (pid > 0) {
                read(pid).ifPresent(procs::add);
            }
        }
        return procs;
    }

    /** Plain FileInputStreams and one reused buffer: a sweep reads two files of every process there is. */
    private Optional<Proc> read(long pid) {
        String dir = "/proc/" + pid + "/";
        long ppid = liveParent(dir + "stat");
        if (ppid < 0) {
            return Optional.empty();
        }
        try (InputStream in = new FileInputStream(dir + "environ")) {
            return Optional.of(new Proc(pid, ppid, match.find(in, buffer)));
        } catch (IOException e) {
            // Gone meanwhile, or not ours to read (another user without root): untagged as far as we can tell.
            return Optional.of(new Proc(pid, ppid, false));
        }
    }

    /** The parent pid from a stat file, or -1 when the process is gone or a zombie. */
    private long liveParent(String statPath) {
        int n;
        try (InputStream in = new FileInputStream(statPath)) {
            n = in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            return -1;
        }
        // "pid (comm) S ppid ...": the name may itself contain ") ", so read after the last ')'.
        int close = n - 1;
        while (close >= 0 && buffer[close] != ')') {
            close--;
        }
        if (close < 0 || close + 4 >= n || buffer[close + 2] == 'Z' || buffer[close + 2] == 'X') {
            return -1;
        }
        long ppid = 0;
        for (int i = close + 4; i < n && buffer[i] >= '0' && buffer[i] <= '9'; i++) {
            ppid = ppid * 10 + (buffer[i] - '0');
        }
        return ppid;
    }

    /** The kernel's start time of a process in clock ticks since boot; tells a pid's reuse apart. */
    static OptionalLong startTicks(long pid) {
        String[] stat = statFields(pid);
        return stat == null || stat.length <= START_TIME_INDEX ? OptionalLong.empty()
                : OptionalLong.of(Long.parseLong(stat[START_TIME_INDEX]));
    }

    /** The fields of /proc/PID/stat from the state on, or null if the process does not exist. */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            // The command name sits in parentheses and may itself contain ") ", so read after the last one.
            int close = stat.lastIndexOf(") ");
            return close < 0 ? null : stat.substring(close + 2).trim().split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    private static long pidOf(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return -1;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(name);
    }
}
