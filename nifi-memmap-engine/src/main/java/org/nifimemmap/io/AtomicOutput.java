package org.nifimemmap.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An output (file or directory) built in a hidden temporary sibling and renamed into place on
 * {@link #commit()}. Closing without commit removes the temporary, so a failure leaves either the old
 * output or the complete new one. Callers use try-with-resources:
 * <pre>
 * try (AtomicOutput out = AtomicOutput.begin(target, strategy)) {
 *     if (out.skipped()) return;          // IGNORE and the target exists
 *     write(out.temporary());
 *     out.commit();
 * }
 * </pre>
 */
public final class AtomicOutput implements AutoCloseable {
    /** Serialises commits to the same target within this JVM, so exactly one concurrent writer wins a FAIL race. */
    private static final ConcurrentHashMap<Path, Object> COMMIT_LOCKS = new ConcurrentHashMap<>();

    private final Path target;
    private final Path temporary;
    private final ConflictStrategy strategy;
    private boolean committed;
    private boolean replacedExisting;
    /** A force of the temporary tree started ahead of the commit, or null. */
    private java.util.concurrent.FutureTask<Void> forcing;

    private AtomicOutput(Path target, Path temporary, ConflictStrategy strategy) {
        this.target = target;
        this.temporary = temporary;
        this.strategy = strategy;
    }

    /**
     * Checks the conflict strategy and the parent directory, then reserves a temporary sibling path
     * (not created: the caller creates a file or a directory there).
     */
    public static AtomicOutput begin(Path target, ConflictStrategy strategy) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new MemmapException(ErrorKind.OUTPUT_UNWRITABLE, "Output directory does not exist: " + parent);
        }
        if (!Files.isWritable(parent)) {
            throw new MemmapException(ErrorKind.OUTPUT_UNWRITABLE, "Output directory is not writable: " + parent);
        }
        if (Files.exists(absolute, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (strategy == ConflictStrategy.FAIL) {
                throw new MemmapException(ErrorKind.OUTPUT_EXISTS,
                        "Output already exists and Conflict Resolution is fail: " + absolute);
            }
            if (strategy == ConflictStrategy.IGNORE) {
                AtomicOutput skipped = new AtomicOutput(absolute, null, strategy);
                skipped.committed = true;
                return skipped;
            }
        }
        removeStaleTemporaries(parent, absolute.getFileName().toString());
        Path temporary = parent.resolve(temporaryPrefix(absolute.getFileName().toString()) + OWNER + "-" + UUID.randomUUID());
        return new AtomicOutput(absolute, temporary, strategy);
    }

    /**
     * Who writes a temporary: host and process id, so that a later run can tell a temporary left by a killed
     * process (same host, process gone) from one another live writer, here or on another host, is still filling.
     */
    private static final String OWNER = hostName() + "-" + ProcessHandle.current().pid();

    private static String temporaryPrefix(String targetName) {
        return "." + targetName + ".tmp-";
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().replace('-', '_');
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** Removes temporaries of this target left by processes of this host that no longer run (killed mid-write). */
    static void removeStaleTemporaries(Path parent, String targetName) {
        String prefix = temporaryPrefix(targetName);
        String host = OWNER.substring(0, OWNER.lastIndexOf('-'));
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                String name = p.getFileName().toString();
                if (!name.startsWith(prefix + host + "-")) {
                    continue;
                }
                String rest = name.substring((prefix + host + "-").length());
                int dash = rest.indexOf('-');
                try {
                    long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        deleteTree(p);
                    }
                } catch (NumberFormatException | UncheckedIOException e) {
                    // Not one of ours, or being removed by someone else: leave it.
                }
            }
        } catch (IOException e) {
            // Listing failed: stale temporaries stay until a later run; the new output is unaffected.
        }
    }

    /** True when the target existed and the strategy is IGNORE: nothing is to be written. */
    public boolean skipped() {
        return temporary == null;
    }

    public Path target() {
        return target;
    }

    /** Where to write; a hidden sibling of the target on the same file system. */
    public Path temporary() {
        if (temporary == null) {
            throw new IllegalStateException("Output " + target + " was skipped (conflict strategy ignore)");
        }
        return temporary;
    }

    /** True when commit replaced an output that existed before. */
    public boolean replacedExisting() {
        return replacedExisting;
    }

    /**
     * Forces everything written to disk, then renames the temporary onto the target.
     *
     * @return true when this output is now in place; false when, with IGNORE, another writer put its output
     *         there first and it was kept (ours is discarded by {@link #close()})
     */
    public boolean commit() {
        if (committed) {
            throw new IllegalStateException("Output already committed: " + target);
        }
        try {
            awaitForcing();
            // Again, in case anything was written after the early force began; clean files cost little.
            forceTree(temporary);
            Object lock = COMMIT_LOCKS.computeIfAbsent(target, p -> new Object());
            boolean placed;
            synchronized (lock) {
                placed = moveIntoPlace();
            }
            forceDirectory(target.getParent());
            committed = true;
            return placed;
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.OUTPUT_UNWRITABLE, "Cannot move output into place at " + target + ": " + e, e);
        }
    }

    /**
     * Starts forcing what is written so far to disk on a virtual thread, so a caller that has more to build before it
     * commits (a node's next partition) keeps its cores busy while the disk catches up; {@link #commit} waits for it
     * and forces the tree again.
     */
    public void forceInBackground() {
        if (forcing == null && !committed) {
            forcing = new java.util.concurrent.FutureTask<>(() -> {
                forceTree(temporary);
                return null;
            });
            Thread.ofVirtual().name("output-force").start(forcing);
        }
    }

    private void awaitForcing() throws IOException {
        if (forcing == null) {
            return;
        }
        try {
            Await.result(forcing, "forcing " + temporary);
        } finally {
            forcing = null;
        }
    }

    private boolean moveIntoPlace() throws IOException {
        boolean exists = Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (exists && strategy == ConflictStrategy.FAIL) {
            throw new MemmapException(ErrorKind.OUTPUT_EXISTS,
                    "Output appeared while this one was written and Conflict Resolution is fail: " + target);
        }
        if (exists && strategy == ConflictStrategy.IGNORE) {
            // Another writer won the race; ours is discarded by close().
            return false;
        }
        if (!exists) {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
        replacedExisting = true;
        if (!Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(temporary)) {
            // rename(2) replaces a file atomically.
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        }
        // A non-empty directory cannot be replaced in one rename: move the old one aside first.
        Path aside = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
        Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
        deleteTree(aside);
        return true;
    }

    @Override
    public void close() {
        try {
            awaitForcing();
        } catch (IOException | RuntimeException ignored) {
            // Not committed, so nothing of it is kept: the temporary output is removed next.
        }
        if (temporary != null && Files.exists(temporary, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(temporary);
        }
    }

    /** Deletes a file or directory tree; missing paths are fine. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException | DirectoryNotEmptyException e) {
            // Deleted concurrently; a later walk finishes the job.
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove temporary output " + root, e);
        }
    }

    private static void forceTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null, "nothing was written to the temporary output");
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                } else if (Files.isDirectory(p)) {
                    forceDirectory(p);
                }
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some file systems cannot fsync a directory; the files themselves are already forced.
        }
    }

    /**
     * Maps a fault writing a memory-mapped file (the JVM raises InternalError where the kernel sent SIGBUS) to a
     * clear error: a mapped page that cannot be backed means the device is full, or failing.
     */
    public static MemmapException mappedWriteFailure(Path target, InternalError e) {
        String reason;
        try {
            Path existing = target.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            long free = existing == null ? -1 : Files.getFileStore(existing).getUsableSpace();
            reason = free >= 0 && free < (1L << 20) ? "no space left on device (" + free + " bytes free)" : "I/O error on a memory-mapped write";
        } catch (IOException io) {
            reason = "no space left on device, or an I/O error";
        }
        return new MemmapException(ErrorKind.OUTPUT_UNWRITABLE, "Cannot write output " + target + ": " + reason
                + " (" + e.getMessage() + ")", e);
    }

    /** Maps an I/O failure while writing an output to a clear error naming the output. */
    public static MemmapException writeFailure(Path target, IOException e) {
        String reason = e.getMessage() != null && e.getMessage().contains("No space left")
                ? "no space left on device" : e.toString();
        if (e instanceof AccessDeniedException || e instanceof FileAlreadyExistsException) {
            reason = e.toString();
        }
        return new MemmapException(ErrorKind.OUTPUT_UNWRITABLE, "Cannot write output " + target + ": " + reason, e);
    }
}
