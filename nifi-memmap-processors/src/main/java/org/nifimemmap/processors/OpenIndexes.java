package org.nifimemmap.processors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Index files kept open (mapped) between FlowFiles, keyed by path and checked against the file's identity,
 * size and modification time, so a replaced index is reopened. With data verification on, the whole-file checksum
 * is computed once per opened file rather than once per FlowFile. Least recently used files beyond the capacity
 * are closed; closing only releases the channel, mappings stay valid for queries still running on them.
 */
final class OpenIndexes implements AutoCloseable {
    private record Stamp(Object fileKey, long size, long modified) {
    }

    private record Entry(SpatialIndex index, Stamp stamp) {
    }

    private final int capacity;
    private final boolean verifyData;
    private final Map<Path, Entry> open;

    OpenIndexes(int capacity, boolean verifyData) {
        this.capacity = capacity;
        this.verifyData = verifyData;
        this.open = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** The index at {@code file}, opened now or reused when the file is unchanged since it was opened. */
    synchronized SpatialIndex get(Path file) {
        Path key = file.toAbsolutePath().normalize();
        Stamp now = stamp(key);
        Entry entry = open.get(key);
        if (entry != null && entry.stamp().equals(now)) {
            return entry.index();
        }
        if (entry != null) {
            open.remove(key);
            entry.index().close();
        }
        SpatialIndex index = SpatialIndex.open(key, verifyData);
        open.put(key, new Entry(index, now));
        if (open.size() > capacity) {
            Map.Entry<Path, Entry> eldest = open.entrySet().iterator().next();
            open.remove(eldest.getKey());
            eldest.getValue().index().close();
        }
        return index;
    }

    synchronized int size() {
        return open.size();
    }

    @Override
    public synchronized void close() {
        open.values().forEach(e -> e.index().close());
        open.clear();
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            // Some file systems have no file key; size and time then stand alone.
            return new Stamp(Objects.requireNonNullElse(a.fileKey(), ""), a.size(), a.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "Spatial index file does not exist: " + file, e);
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read spatial index " + file + ": " + e, e);
        }
    }
}
