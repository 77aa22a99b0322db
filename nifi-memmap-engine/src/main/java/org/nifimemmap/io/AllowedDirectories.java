package org.nifimemmap.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories an operator lets a processor read and write. Paths come from FlowFile attributes that other
 * systems set, so each is checked after {@code ..} segments are collapsed and symbolic links are resolved: a
 * link inside an allowed directory that points outside it is refused. No directories means no restriction
 * (the NiFi process's own file permissions still apply).
 */
public final class AllowedDirectories {
    public static final AllowedDirectories UNRESTRICTED = new AllowedDirectories(List.of());

    private final List<Path> roots;

    private AllowedDirectories(List<Path> roots) {
        this.roots = roots;
    }

    /** Parses a comma-separated list of absolute directories; each must exist. Blank: unrestricted. */
    public static AllowedDirectories parse(String list) {
        if (list == null || list.isBlank()) {
            return UNRESTRICTED;
        }
        List<Path> roots = new ArrayList<>();
        for (String item : list.split(",")) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            Path root = Path.of(trimmed);
            if (!root.isAbsolute()) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "Allowed directory '" + trimmed + "' is not an absolute path");
            }
            try {
                roots.add(root.toRealPath());
            } catch (IOException e) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "Allowed directory " + root + " does not exist or cannot be read: " + e);
            }
        }
        return new AllowedDirectories(List.copyOf(roots));
    }

    public boolean restricted() {
        return !roots.isEmpty();
    }

    /** Checks a path to read: it must exist inside an allowed directory once links are resolved. Returns it as given. */
    public Path checkInput(Path path, String what) {
        if (!restricted()) {
            return path;
        }
        requireAbsolute(path, what);
        if (!Files.exists(path)) {
            // Not found is reported by the reader with its own message; nothing outside is touched by a check.
            checkInside(resolveExistingPrefix(path), path, what);
            return path;
        }
        try {
            checkInside(path.toRealPath(), path, what);
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot resolve " + what + " " + path + ": " + e, e);
        }
        return path;
    }

    /** Checks a path to write, which may not exist yet: its real parent, plus its name, must lie inside. */
    public Path checkOutput(Path path, String what) {
        if (!restricted()) {
            return path;
        }
        requireAbsolute(path, what);
        if (Files.isSymbolicLink(path) && !Files.exists(path)) {
            // A dangling link: writing through it would create its target, wherever that is.
            throw new MemmapException(ErrorKind.PATH_NOT_ALLOWED, what + " " + path + " is a symbolic link to a missing target");
        }
        checkInside(resolveExistingPrefix(path), path, what);
        return path;
    }

    private static void requireAbsolute(Path path, String what) {
        if (!path.isAbsolute()) {
            throw new MemmapException(ErrorKind.PATH_NOT_ALLOWED, what + " '" + path + "' is relative; with Allowed Directories set,"
                    + " paths must be absolute");
        }
    }

    /** The real path of the longest existing prefix, with the remaining names appended after collapsing "..". */
    private static Path resolveExistingPrefix(Path path) {
        Path normal = path.normalize();
        Path existing = normal;
        List<Path> rest = new ArrayList<>();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            rest.addFirst(existing.getFileName());
            existing = existing.getParent();
        }
        try {
            Path real = existing == null ? normal.getRoot() : existing.toRealPath();
            for (Path name : rest) {
                real = real.resolve(name);
            }
            return real.normalize();
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.PATH_NOT_ALLOWED, "Cannot resolve " + path + ": " + e, e);
        }
    }

    private void checkInside(Path real, Path given, String what) {
        for (Path root : roots) {
            if (real.startsWith(root)) {
                return;
            }
        }
        throw new MemmapException(ErrorKind.PATH_NOT_ALLOWED, what + " " + given + (real.equals(given) ? "" : " (resolves to " + real + ")")
                + " is outside the Allowed Directories " + roots);
    }
}
