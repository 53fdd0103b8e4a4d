package dev.baton.runtime.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Which node a state directory belongs to: the file {@value #FILE}, written once by create or join. */
final class NodeIdentity {
    static final String FILE = "node-id";

    private NodeIdentity() {
    }

    static int read(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            throw new IOException(file + " is missing: this state directory was never set up by 'baton cluster create' or 'join'");
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": expected a node id, found '" + text + "'");
        }
    }

    static void write(Path stateDir, int nodeId) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (Files.exists(file) && read(stateDir) != nodeId) {
            throw new IOException(file + " already says node " + read(stateDir) + "; refusing to make it node " + nodeId);
        }
        Path tmp = stateDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, nodeId + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
