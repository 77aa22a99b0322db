package org.nifimemmap.sonata.edges;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.morphology.HdfFailures;
import org.nifimemmap.morphology.HdfLimits;

/**
 * A SONATA edges HDF5 file opened with jhdf: its populations under /edges. A file that is not HDF5, is
 * truncated, or whose structure jhdf cannot decode is {@code INVALID_INPUT} naming the file
 * ({@link HdfFailures}); one that cannot be read at all, or fails while its rows are read, is
 * {@code INPUT_UNREADABLE}.
 */
public final class EdgesFile implements AutoCloseable {
    private final Path path;
    private final long length;
    private final HdfFile hdf;
    private final Group edges;
    /** Reads unfiltered columns with positional reads, beside jhdf ({@link StoredExtents}). */
    private final FileChannel channel;

    private EdgesFile(Path path, long length, HdfFile hdf, Group edges, FileChannel channel) {
        this.path = path;
        this.length = length;
        this.hdf = hdf;
        this.edges = edges;
        this.channel = channel;
    }

    public static EdgesFile open(Path path) {
        if (!Files.exists(path)) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "Edges file does not exist: " + path);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Edges file is not a readable regular file: " + path);
        }
        JhdfLogging.quiet();
        long length;
        try {
            length = Files.size(path);
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read edges file " + path + ": " + e.getMessage(), e);
        }
        HdfFile hdf = HdfFailures.reading(path.toString(), () -> new HdfFile(path));
        Group edges;
        try {
            HdfLimits.requireComplete(path.toString(), hdf, length);
            if (!(hdf.getChild("edges") instanceof Group g)) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, path + " is not a SONATA edges file: it has no /edges group");
            }
            edges = g;
        } catch (RuntimeException | OutOfMemoryError | InternalError e) {
            hdf.close();
            throw HdfFailures.malformed(path.toString(), e);
        }
        try {
            return new EdgesFile(path, length, hdf, edges, FileChannel.open(path, StandardOpenOption.READ));
        } catch (IOException e) {
            hdf.close();
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read edges file " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** Population names in file order. */
    public List<String> populations() {
        return HdfFailures.reading(path + ":/edges", () -> {
            List<String> names = new ArrayList<>();
            for (Node n : edges) {
                if (n instanceof Group) {
                    names.add(n.getName());
                }
            }
            return names;
        });
    }

    /** Opens a population for reading with the given extra attribute columns (from group 0). */
    public EdgePopulation population(String name, List<String> extraAttributes) {
        Node n = HdfFailures.reading(path + ":/edges", () -> edges.getChild(name));
        if (!(n instanceof Group g)) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Edges file " + path + " has no population '" + name
                    + "'; it has " + populations());
        }
        return HdfFailures.reading(path + ":/edges/" + name, () -> new EdgePopulation(path, length, channel, name, g, extraAttributes));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was written through it: a failed close loses nothing.
        } finally {
            hdf.close();
        }
    }
}
