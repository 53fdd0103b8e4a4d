package dev.baton.runtime.method;

import dev.baton.api.type.FileAccess;
import dev.baton.api.type.FileAccessRule;
import dev.baton.runtime.resource.Resource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host paths a resource's methods may read or write through {@code ctx}: its descriptor's
 * {@code files:} rules with the resource's property values filled in. Paths are compared after
 * resolving symbolic links, so a link inside an allowed folder cannot lead outside it.
 */
final class FilePolicy {
    record Grant(Path root, FileAccess access) {
    }

    private final List<Grant> grants;

    private FilePolicy(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    static FilePolicy of(Resource resource) {
        List<Grant> grants = new ArrayList<>();
        for (FileAccessRule rule : resource.type().descriptor().fileAccess()) {
            rule.expand(resource.properties())
                    .map(Path::of)
                    .filter(Path::isAbsolute)
                    .ifPresent(p -> grants.add(new Grant(p.normalize(), rule.access())));
        }
        return new FilePolicy(grants);
    }

    /**
     * The checked, link-resolved path.
     *
     * @throws SecurityException naming the path and the declared ones when it is not allowed
     */
    Path check(String operation, String path, boolean write) {
        Path requested = Path.of(path);
        if (!requested.isAbsolute()) {
            throw new IllegalArgumentException(operation + ": '" + path + "' is not an absolute path");
        }
        Path real = realPrefix(requested.normalize());
        for (Grant g : grants) {
            if (real.startsWith(realPrefix(g.root())) && (!write || g.access() == FileAccess.READ_WRITE)) {
                return real;
            }
        }
        throw new SecurityException(operation + ": '" + path + "' is outside the paths this type may "
                + (write ? "write" : "read") + " (declared: " + describe() + "); add it under files: in the descriptor");
    }

    private String describe() {
        if (grants.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        grants.forEach(g -> parts.add(g.root() + " " + g.access().descriptorName()));
        return String.join(", ", parts);
    }

    /** The real path of the deepest existing ancestor, with the rest appended. */
    private static Path realPrefix(Path p) {
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(p)).normalize();
        } catch (IOException e) {
            return p;
        }
    }
}
