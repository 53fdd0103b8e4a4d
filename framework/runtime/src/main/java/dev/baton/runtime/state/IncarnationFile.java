package dev.baton.runtime.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's incarnation number: a new one at every start, strictly larger than every earlier
 * one, so peers can tell a restarted sender from a replay of its old frames. It is the wall clock
 * in milliseconds, or the last one plus one when the clock went back, stored durably before use.
 */
public final class IncarnationFile {
    private static final Logger LOG = LoggerFactory.getLogger(IncarnationFile.class);

    static final int SMALL_FILE_MAX_BYTES = 4_096;

    private final Path file;
    private final LongSupplier wallClockMs;

    public IncarnationFile(Path file, LongSupplier wallClockMs) {
        this.file = file;
        this.wallClockMs = wallClockMs;
    }

    /** The next incarnation: max(wall clock, last + 1), durable before it is returned. */
    public synchronized long next() throws IOException {
        long last = last();
        long next = Math.max(wallClockMs.getAsLong(), last == Long.MAX_VALUE ? last : last + 1);
        if (next <= last) {
            throw new IOException(file + ": the last incarnation is " + last + "; there is no larger one");
        }
        AtomicFiles.write(file, StateFormats.incarnation(next));
        return next;
    }

    /**
     * The last incarnation used; 0 when none was. An unreadable file is overwritten by the next
     * one: the clock still gives a fresh number unless it also went back, which the warning says.
     */
    private long last() throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            return StateFormats.readIncarnation(StateText.read(file, SMALL_FILE_MAX_BYTES));
        } catch (StateFileException e) {
            LOG.warn("{}: {}; the next incarnation comes from the wall clock alone (peers may drop this node's"
                    + " frames as replays if the clock went back)", file, e.getMessage());
            return 0;
        }
    }
}
