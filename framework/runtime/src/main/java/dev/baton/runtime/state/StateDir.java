package dev.baton.runtime.state;

import dev.baton.core.Effect;
import dev.baton.core.Input;
import dev.baton.core.ccr.CcrReplica;
import dev.baton.core.ccr.PreparedChange;
import dev.baton.core.ccr.Table;
import dev.baton.core.ccr.TableVersion;
import dev.baton.core.membership.Epoch;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A node's state directory: the CCR tables, the promise, the prepared change, the versions rolled
 * back for good, the incarnation counter, the cluster key, recordings and runtime files. The
 * layout and file formats are described in package-info and docs/design/state-directory.md.
 *
 * <p>Every write is atomic and durable ({@link AtomicFiles}); reading trusts nothing: a table
 * failing its checksum or a malformed file is refused, reported and moved aside, never used.
 * Called from the daemon's event loop; the methods are synchronized so a tool may share it.
 */
public final class StateDir {
    static final String KEY_FILE = "cluster.key";
    static final String INCARNATION = "incarnation";
    static final String PROMISE = "promise";
    static final String PREPARED = "prepared";
    static final String ROLLED_BACK = "rolledback";
    static final String CCR = "ccr";
    static final String REFUSED = "refused";
    static final String TABLE_SUFFIX = ".tbl";
    static final String RECORDING = "recording";
    static final String RUN = "run";
    /** A table's content is at most 64 Ki chars of up to 3 UTF-8 bytes (4 for a surrogate pair), plus the header. */
    static final int TABLE_FILE_MAX_BYTES = 3 * Table.MAX_CONTENT_CHARS + 4 * 1024;
    static final int ROLLED_BACK_FILE_MAX_BYTES = (CcrReplica.MAX_ROLLED_BACK + 1) * 64 + 4 * 1024;

    private final Path dir;
    private final Path ccr;
    private final RefusedFiles refused;
    private final IncarnationFile incarnation;
    private Epoch promised;

    private StateDir(Path dir, Clock clock) {
        this.dir = dir;
        this.ccr = dir.resolve(CCR);
        this.refused = new RefusedFiles(ccr.resolve(REFUSED), clock);
        this.incarnation = new IncarnationFile(dir.resolve(INCARNATION), clock::millis);
    }

    /** Opens {@code dir}, creating the layout (mode 0700) if absent; refuses a directory another user could write. */
    public static StateDir open(Path dir) throws IOException {
        return open(dir, Clock.systemUTC());
    }

    static StateDir open(Path dir, Clock clock) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        for (Path d : List.of(root, root.resolve(CCR), root.resolve(RECORDING), root.resolve(RUN))) {
            PrivateDirectories.ensure(d);
        }
        return new StateDir(root, clock);
    }

    public Path dir() {
        return dir;
    }

    public Path keyFile() {
        return dir.resolve(KEY_FILE);
    }

    public Path recordingDir() {
        return dir.resolve(RECORDING);
    }

    /** Sockets and pid files. */
    public Path runDir() {
        return dir.resolve(RUN);
    }

    // ---- load --------------------------------------------------------------------------------

    /** Reads everything {@link Input.Boot} needs, refusing what is damaged; never throws for a bad file. */
    public synchronized BootState load() {
        List<String> problems = new ArrayList<>();
        removeTempFiles(dir, problems);
        removeTempFiles(ccr, problems);
        Optional<Epoch> promise = loadPromise(problems);
        Optional<SortedSet<TableVersion>> rolledBack = loadRolledBack(problems);
        List<Table> tables = loadTables(problems);
        Optional<PreparedChange> prepared = loadPrepared(problems);
        promised = promise.orElse(Epoch.NONE);
        Input.Boot boot = new Input.Boot(promised, tables, prepared, rolledBack.orElse(new TreeSet<>(TableVersion.TOTAL_ORDER)));
        return new BootState(boot, problems, promise.isPresent() && rolledBack.isPresent());
    }

    private void removeTempFiles(Path where, List<String> problems) {
        try {
            AtomicFiles.removeTempFiles(where)
                    .forEach(name -> problems.add(relative(where.resolve(name)) + ": removed a temp file left by an interrupted write"));
        } catch (IOException e) {
            problems.add(relative(where) + ": could not remove leftover temp files: " + e.getMessage());
        }
    }

    /** Empty when the promise exists but cannot be read: the start must stop (see {@link BootState}). */
    private Optional<Epoch> loadPromise(List<String> problems) {
        Path file = dir.resolve(PROMISE);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(Epoch.NONE);
        }
        try {
            return Optional.of(StateFormats.readPromise(StateText.read(file, IncarnationFile.SMALL_FILE_MAX_BYTES)));
        } catch (IOException | StateFileException e) {
            problems.add(PROMISE + ": " + e.getMessage() + "; this node cannot know which epochs it promised to refuse,"
                    + " so it must not start (left in place for the operator)");
            return Optional.empty();
        }
    }

    private Optional<SortedSet<TableVersion>> loadRolledBack(List<String> problems) {
        Path file = dir.resolve(ROLLED_BACK);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new TreeSet<>(TableVersion.TOTAL_ORDER));
        }
        try {
            return Optional.of(StateFormats.readRolledBack(StateText.read(file, ROLLED_BACK_FILE_MAX_BYTES)));
        } catch (IOException | StateFileException e) {
            problems.add(ROLLED_BACK + ": " + e.getMessage() + "; a table version rolled back for good could come back,"
                    + " so this node must not start (left in place for the operator)");
            return Optional.empty();
        }
    }

    private List<Table> loadTables(List<String> problems) {
        List<Table> tables = new ArrayList<>();
        for (Path file : tableFiles(problems)) {
            if (tables.size() == CcrReplica.MAX_TABLES) {
                problems.add(relative(file) + ": ignored, more than " + CcrReplica.MAX_TABLES + " table files");
                continue;
            }
            String name = file.getFileName().toString();
            name = name.substring(0, name.length() - TABLE_SUFFIX.length());
            try {
                tables.add(readTable(file, name));
            } catch (IOException | StateFileException e) {
                refuse(file, e.getMessage(), "will be fetched from peers", problems);
            }
        }
        return tables;
    }

    private List<Path> tableFiles(List<String> problems) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(ccr, "*" + TABLE_SUFFIX)) {
            entries.forEach(files::add);
        } catch (IOException e) {
            problems.add(CCR + ": cannot list the tables (" + e.getMessage() + "); starting without them");
        }
        files.sort(null);
        List<Path> regular = new ArrayList<>();
        for (Path file : files) {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                regular.add(file);
            } else {
                problems.add(relative(file) + ": not a regular file, ignored");
            }
        }
        return regular;
    }

    private static Table readTable(Path file, String name) throws IOException, StateFileException {
        if (!StateFormats.TABLE_NAME.matcher(name).matches()) {
            throw new StateFileException("'" + StateText.abbreviate(name) + "' is not a table name (" + StateFormats.TABLE_NAME.pattern() + ")");
        }
        return StateFormats.readTable(StateText.read(file, TABLE_FILE_MAX_BYTES), name);
    }

    private Optional<PreparedChange> loadPrepared(List<String> problems) {
        Path file = dir.resolve(PREPARED);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StateFormats.readPrepared(StateText.read(file, TABLE_FILE_MAX_BYTES)));
        } catch (IOException | StateFileException e) {
            refuse(file, e.getMessage(), "the members' recovery rolls the change forward or back without this copy", problems);
            return Optional.empty();
        }
    }

    private void refuse(Path file, String why, String consequence, List<String> problems) {
        String problem = relative(file) + ": " + why + "; refused, " + consequence;
        try {
            problems.add(problem + "; moved to " + relative(refused.moveAside(file)));
        } catch (IOException e) {
            problems.add(problem + "; could not move it aside (" + e.getMessage() + ")");
        }
    }

    private String relative(Path file) {
        return dir.relativize(file.toAbsolutePath().normalize()).toString();
    }

    // ---- persist -----------------------------------------------------------------------------

    /** Performs one persist effect durably; any other effect is a programming error. */
    public synchronized void persist(Effect effect) throws IOException {
        switch (effect) {
            case Effect.PersistPromise p -> persistPromise(p.promised());
            case Effect.PersistTable p -> persistTable(p.table());
            case Effect.PersistPrepared p -> persistPrepared(p.prepared());
            case Effect.PersistRolledBack p -> AtomicFiles.write(dir.resolve(ROLLED_BACK), StateFormats.rolledBack(p.rolledBack()));
            default -> throw new IllegalArgumentException("not a persist effect: " + effect.getClass().getSimpleName());
        }
    }

    /** Promises only grow on disk, even if asked otherwise (a lower promise could let an older epoch in). */
    private void persistPromise(Epoch epoch) throws IOException {
        if (promised == null) {
            promised = loadPromise(new ArrayList<>()).orElse(Epoch.NONE);
        }
        if (epoch.isNewerThan(promised)) {
            AtomicFiles.write(dir.resolve(PROMISE), StateFormats.promise(epoch));
            promised = epoch;
        }
    }

    private void persistTable(Table table) throws IOException {
        if (!StateFormats.TABLE_NAME.matcher(table.name()).matches()) {
            throw new IllegalArgumentException("table name '" + StateText.abbreviate(table.name()) + "' must match "
                    + StateFormats.TABLE_NAME.pattern() + " to be stored");
        }
        AtomicFiles.write(ccr.resolve(table.name() + TABLE_SUFFIX), StateFormats.table(table));
    }

    private void persistPrepared(Optional<PreparedChange> prepared) throws IOException {
        Path file = dir.resolve(PREPARED);
        if (prepared.isPresent()) {
            AtomicFiles.write(file, StateFormats.prepared(prepared.get()));
        } else {
            AtomicFiles.delete(file);
        }
    }

    // ---- incarnation -------------------------------------------------------------------------

    /** The next incarnation: max(wall-clock ms, last + 1), stored durably before it is returned. */
    public long nextIncarnation() throws IOException {
        return incarnation.next();
    }
}
