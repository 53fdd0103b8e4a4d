package dev.baton.runtime.js;

import org.graalvm.polyglot.io.FileSystem;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;

/**
 * The only file system JavaScript sees: the plugin's own {@code types/} folder, read-only, so
 * that a module can {@code import} helpers shipped beside it and nothing else. Method code reads
 * and writes host files only through {@code ctx}, under the paths its descriptor declares.
 */
final class PluginFileSystem implements FileSystem {
    private final Path root;

    PluginFileSystem(Path root) throws IOException {
        this.root = root.toRealPath();
    }

    private Path inside(Path p) {
        Path n = toAbsolutePath(p).normalize();
        if (!n.startsWith(root)) {
            throw new SecurityException("'" + p + "' is outside the plugin's types folder; modules may import only files shipped with the plugin");
        }
        return n;
    }

    private Path insideReal(Path p) throws IOException {
        Path real = inside(p).toRealPath();
        if (!real.startsWith(root)) {
            throw new SecurityException("'" + p + "' leads outside the plugin's types folder");
        }
        return real;
    }

    @Override
    public Path parsePath(URI uri) {
        return inside(Paths.get(uri));
    }

    @Override
    public Path parsePath(String path) {
        return root.getFileSystem().getPath(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
            throw new SecurityException("plugin files are read-only");
        }
        Path p = insideReal(path);
        p.getFileSystem().provider().checkAccess(p);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw new SecurityException("plugin files are read-only");
    }

    @Override
    public void delete(Path path) {
        throw new SecurityException("plugin files are read-only");
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        for (OpenOption o : options) {
            if (o != StandardOpenOption.READ) {
                throw new SecurityException("plugin files are read-only");
            }
        }
        return Files.newByteChannel(insideReal(path), StandardOpenOption.READ);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        return Files.newDirectoryStream(insideReal(dir), filter);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return path.isAbsolute() ? path : root.resolve(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        return insideReal(path);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return Files.readAttributes(insideReal(path), attributes, options);
    }
}
