package dev.baton.runtime.state;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories only this process's user may change: whoever can write a state directory can forge
 * a promise, a table or a quorum record, so one that another user owns or that its group or others
 * can write is refused rather than used.
 */
public final class PrivateDirectories {
    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS = Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private PrivateDirectories() {
    }

    /** Creates {@code dir} (mode 0700) if absent, then checks it is a directory this user owns and alone may write. */
    public static void ensure(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(AtomicFiles.OWNER_ONLY_DIR));
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " must be a directory (not a file or a symbolic link)");
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        long self = new UnixSystem().getUid();
        if (owner != self) {
            throw new IOException(dir + " belongs to uid " + owner + ", not to this process's uid " + self + "; refusing it");
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (permissions.stream().anyMatch(WRITABLE_BY_OTHERS::contains)) {
            throw new IOException(dir + " is writable by its group or others (" + PosixFilePermissions.toString(permissions)
                    + "); refusing it: chmod 700 " + dir);
        }
    }
}
