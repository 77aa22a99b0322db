package org.nifimemmap.sonata.edges;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** A SONATA edges HDF5 file opened with jhdf: its populations under /edges. */
public final class EdgesFile implements AutoCloseable {
    private final Path path;
    private final HdfFile hdf;
    private final Group edges;

    private EdgesFile(Path path, HdfFile hdf, Group edges) {
        this.path = path;
        this.hdf = hdf;
        this.edges = edges;
    }

    public static EdgesFile open(Path path) {
        if (!Files.exists(path)) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "Edges file does not exist: " + path);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Edges file is not a readable regular file: " + path);
        }
        JhdfLogging.quiet();
        HdfFile hdf;
        try {
            hdf = new HdfFile(path);
        } catch (RuntimeException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read " + path + " as HDF5: " + e.getMessage(), e);
        }
        Node edges = hdf.getChild("edges");
        if (!(edges instanceof Group g)) {
            hdf.close();
            throw new MemmapException(ErrorKind.INVALID_INPUT, path + " is not a SONATA edges file: it has no /edges group");
        }
        return new EdgesFile(path, hdf, g);
    }

    public Path path() {
        return path;
    }

    /** Population names in file order. */
    public List<String> populations() {
        List<String> names = new ArrayList<>();
        for (Node n : edges) {
            if (n instanceof Group) {
                names.add(n.getName());
            }
        }
        return names;
    }

    /** Opens a population for reading with the given extra attribute columns (from group 0). */
    public EdgePopulation population(String name, List<String> extraAttributes) {
        Node n = edges.getChild(name);
        if (!(n instanceof Group g)) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Edges file " + path + " has no population '" + name
                    + "'; it has " + populations());
        }
        try {
            return new EdgePopulation(path, name, g, extraAttributes);
        } catch (MemmapException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read population " + name + " of " + path + ": " + e, e);
        }
    }

    @Override
    public void close() {
        hdf.close();
    }
}
