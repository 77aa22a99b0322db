package org.nifimemmap.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a build maps its scratch files: a private directory under the user's Scratch Directory (node-local NVMe, so
 * the mapped pages never travel to a shared file system), or, without one, the output's own temporary directory.
 * {@link #close()} removes the private directory, on success and on failure alike.
 */
public final class ScratchSpace implements AutoCloseable {
    private final Path directory;
    private final boolean owned;

    private ScratchSpace(Path directory, boolean owned) {
        this.directory = directory;
        this.owned = owned;
    }

    /** A fresh directory under {@code root} (created if missing), or {@code fallback} itself when root is null. */
    public static ScratchSpace under(Path root, Path fallback) {
        if (root == null) {
            return new ScratchSpace(fallback, false);
        }
        try {
            Files.createDirectories(root);
            return new ScratchSpace(Files.createTempDirectory(root, ".nifi-memmap-scratch-"), true);
        } catch (IOException | SecurityException e) {
            throw new MemmapException(ErrorKind.OUTPUT_UNWRITABLE, "Cannot create scratch space in Scratch Directory " + root + ": " + e, e);
        }
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        if (owned) {
            AtomicOutput.deleteTree(directory);
        }
    }
}
