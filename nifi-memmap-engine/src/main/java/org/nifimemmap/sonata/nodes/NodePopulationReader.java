package org.nifimemmap.sonata.nodes;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.morphology.HdfFailures;
import org.nifimemmap.morphology.HdfLimits;
import org.nifimemmap.morphology.HdfNumbers;

/**
 * Reads node placements of one population of a SONATA nodes file: {@code x, y, z}, the orientation
 * (quaternion {@code orientation_w|x|y|z}, else Euler {@code rotation_angle_xaxis|yaxis|zaxis} with
 * absent angles 0 as SONATA specifies, else none) and the {@code morphology} name, stored as strings or
 * as indices into {@code @library/morphology}. Nodes are read in batches of contiguous ids, so heap use
 * depends on the batch size, not on the population.
 *
 * <p>Only node group 0 is read; a population with nodes in other groups is refused.
 */
public final class NodePopulationReader implements AutoCloseable {
    /** Nodes read per HDF5 slice. */
    static final int BATCH = 65_536;
    private static final String[] QUATERNION = {"orientation_w", "orientation_x", "orientation_y", "orientation_z"};
    private static final String[] EULER = {"rotation_angle_xaxis", "rotation_angle_yaxis", "rotation_angle_zaxis"};

    private final Path file;
    private final long fileLength;
    private final HdfFile hdf;
    private final String population;
    private final long size;
    private final Dataset x;
    private final Dataset y;
    private final Dataset z;
    private final Dataset[] quaternion;
    private final Dataset[] euler;
    private final Dataset morphology;
    private final String[] morphologyLibrary;

    /**
     * @param population population name, or null to take the file's only population
     */
    public NodePopulationReader(Path file, String population) {
        this.file = file;
        if (!Files.isRegularFile(file)) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, file + ": nodes file does not exist");
        }
        try {
            this.fileLength = Files.size(file);
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, file + ": cannot read nodes file: " + e.getMessage(), e);
        }
        this.hdf = HdfFailures.reading(file.toString(), () -> new HdfFile(file));
        try {
            HdfLimits.requireComplete(file.toString(), hdf, fileLength);
            Group populations = group(hdf, "nodes", "/nodes");
            this.population = population != null ? population : onlyPopulation(populations);
            Group pop = group(populations, this.population, "/nodes/" + this.population);
            Group group0 = group(pop, "0", "/nodes/" + this.population + "/0");
            this.x = dataset(group0, "x", true);
            this.y = dataset(group0, "y", true);
            this.z = dataset(group0, "z", true);
            this.size = x.getDimensions().length == 1 ? x.getDimensions()[0] : -1;
            checkSingleGroup(pop);
            this.quaternion = optional(group0, QUATERNION);
            this.euler = quaternion == null ? optional(group0, EULER) : null;
            this.morphology = dataset(group0, "morphology", false);
            List<Dataset> columns = new ArrayList<>(List.of(x, y, z));
            for (Dataset[] optional : new Dataset[][] {quaternion, euler, {morphology}}) {
                if (optional != null) {
                    for (Dataset d : optional) {
                        if (d != null) {
                            columns.add(d);
                        }
                    }
                }
            }
            for (Dataset d : columns) {
                requireLength(d);
            }
            this.morphologyLibrary = morphology == null || morphology.getJavaType() == String.class ? null
                    : library(group0);
        } catch (RuntimeException | OutOfMemoryError | InternalError e) {
            hdf.close();
            throw HdfFailures.malformed(file.toString(), e);
        }
    }

    public String population() {
        return population;
    }

    public long size() {
        return size;
    }

    public boolean hasMorphology() {
        return morphology != null;
    }

    /** Calls {@code sink} for every selected node, in selection order. */
    public void forEach(NodeSelection selection, Consumer<NodePlacement> sink) {
        for (NodeSelection.Range r : selection.resolve(size, population)) {
            for (long first = r.first(); first <= r.last(); first += BATCH) {
                int count = (int) Math.min(BATCH, r.last() - first + 1);
                read(first, count).forEach(sink);
            }
        }
    }

    /** Placements of nodes {@code first .. first+count-1}. */
    public List<NodePlacement> read(long first, int count) {
        if (first < 0 || count < 0 || first + count > size) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, file + ": nodes " + first + ".." + (first + count - 1)
                    + " are outside population " + population + " of " + size + " nodes");
        }
        try {
            double[] xs = doubles(x, first, count);
            double[] ys = doubles(y, first, count);
            double[] zs = doubles(z, first, count);
            double[][] q = columns(quaternion, first, count);
            double[][] e = columns(euler, first, count);
            String[] names = names(first, count);
            List<NodePlacement> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long id = first + i;
                Rotation rotation = Rotation.IDENTITY;
                if (q != null) {
                    try {
                        rotation = Rotation.fromQuaternion(q[0][i], q[1][i], q[2][i], q[3][i]);
                    } catch (IllegalArgumentException bad) {
                        throw new MemmapException(ErrorKind.INVALID_INPUT, where() + " node " + id + ": "
                                + bad.getMessage(), bad);
                    }
                } else if (e != null) {
                    rotation = Rotation.fromEuler(e[0] == null ? 0 : e[0][i], e[1] == null ? 0 : e[1][i],
                            e[2] == null ? 0 : e[2][i]);
                }
                out.add(new NodePlacement(id, xs[i], ys[i], zs[i], rotation, names == null ? null : names[i]));
            }
            return out;
        } catch (RuntimeException | OutOfMemoryError | InternalError ex) {
            throw HdfFailures.malformed(where() + ": nodes " + first + ".." + (first + count - 1), ex);
        }
    }

    private String where() {
        return file + ":/nodes/" + population;
    }

    private String[] names(long first, int count) {
        if (morphology == null) {
            return null;
        }
        Object data = morphology.getData(new long[] {first}, new int[] {count});
        if (data instanceof String[] s) {
            return requireRows(morphology, s, s.length, count);
        }
        long[] index;
        try {
            index = HdfNumbers.toLongs(data);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw notNumbers(morphology, e);
        }
        requireRows(morphology, index, index.length, count);
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            if (index[i] < 0 || index[i] >= morphologyLibrary.length) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, where() + "/0/morphology: node " + (first + i)
                        + " refers to @library entry " + index[i] + " of " + morphologyLibrary.length);
            }
            names[i] = morphologyLibrary[(int) index[i]];
        }
        return names;
    }

    private double[] doubles(Dataset d, long first, int count) {
        Object data = d.getData(new long[] {first}, new int[] {count});
        double[] values;
        try {
            values = HdfNumbers.toDoubles(data);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw notNumbers(d, e);
        }
        return requireRows(d, values, values.length, count);
    }

    /** A slice jhdf decoded must have the rows asked for (a corrupt datatype can make it disagree). */
    private <T> T requireRows(Dataset d, T values, int rows, int count) {
        if (rows != count) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, file + ":" + d.getPath() + " gave " + rows
                    + " values for " + count + " rows");
        }
        return values;
    }

    /** HdfNumbers refuses storage that is not numbers (or not integers where indices are expected). */
    private MemmapException notNumbers(Dataset d, RuntimeException e) {
        return new MemmapException(ErrorKind.INVALID_INPUT, file + ":" + d.getPath() + " does not hold the numbers "
                + "expected: " + e.getMessage(), e);
    }

    private double[][] columns(Dataset[] ds, long first, int count) {
        if (ds == null) {
            return null;
        }
        double[][] c = new double[ds.length][];
        for (int i = 0; i < ds.length; i++) {
            c[i] = ds[i] == null ? null : doubles(ds[i], first, count);
        }
        return c;
    }

    private String[] library(Group group0) {
        Node lib = group0.getByPath("@library/morphology");
        if (!(lib instanceof Dataset d) || d.getJavaType() != String.class) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, where() + "/0/morphology holds indices but "
                    + "@library/morphology is missing or not strings");
        }
        HdfLimits.requireStorable(file.toString(), d, fileLength);
        if (d.getDimensions().length != 1 || !(d.getData() instanceof String[] names)) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, file + ":" + d.getPath() + " has shape "
                    + java.util.Arrays.toString(d.getDimensions()) + "; a @library table is a list of strings");
        }
        return names;
    }

    private Dataset[] optional(Group group0, String[] names) {
        Dataset[] found = new Dataset[names.length];
        List<String> missing = new ArrayList<>();
        int present = 0;
        for (int i = 0; i < names.length; i++) {
            found[i] = dataset(group0, names[i], false);
            if (found[i] == null) {
                missing.add(names[i]);
            } else {
                present++;
            }
        }
        if (present == 0) {
            return null;
        }
        if (names == QUATERNION && present < names.length) {
            // bluepysnap refuses a partial quaternion; SONATA gives no default for its components.
            throw new MemmapException(ErrorKind.INVALID_INPUT, where() + "/0: quaternion orientation is missing "
                    + String.join(", ", missing));
        }
        return found;
    }

    private Dataset dataset(Group group, String name, boolean required) {
        Node n = group.getChild(name);
        if (n == null && !required) {
            return null;
        }
        if (!(n instanceof Dataset d)) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, file + ":" + group.getPath() + name
                    + (n == null ? " is missing" : " is not a dataset"));
        }
        return d;
    }

    private void requireLength(Dataset d) {
        HdfLimits.requireStorable(file.toString(), d, fileLength);
        int[] dims = d.getDimensions();
        if (dims.length != 1 || dims[0] != size) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, file + ":" + d.getPath() + " has shape "
                    + java.util.Arrays.toString(dims) + ", expected [" + size + "]");
        }
    }

    private void checkSingleGroup(Group pop) {
        Node groupIds = pop.getChild("node_group_id");
        Node groupIndex = pop.getChild("node_group_index");
        if (groupIds instanceof Dataset d) {
            requireLength(d);
            if (groupIndex instanceof Dataset gi) {
                requireLength(gi);
            }
            for (long first = 0; first < size; first += BATCH) {
                int count = (int) Math.min(BATCH, size - first);
                double[] ids = doubles(d, first, count);
                double[] index = groupIndex instanceof Dataset gi ? doubles(gi, first, count) : null;
                for (int i = 0; i < count; i++) {
                    if (ids[i] != 0 || (index != null && index[i] != first + i)) {
                        throw new MemmapException(ErrorKind.INVALID_INPUT, where() + ": node " + (first + i)
                                + " is in group " + (long) ids[i] + " row " + (index == null ? "?" : (long) index[i])
                                + "; only populations whose nodes are all group 0, in order, are supported");
                    }
                }
            }
        }
    }

    private Group group(Group parent, String name, String path) {
        if (!(parent.getChild(name) instanceof Group g)) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, file + ": no group " + path);
        }
        return g;
    }

    private String onlyPopulation(Group populations) {
        List<String> names = new ArrayList<>(populations.getChildren().keySet());
        if (names.size() != 1) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, file + ": name the population to read, one of "
                    + names);
        }
        return names.get(0);
    }

    @Override
    public void close() {
        hdf.close();
    }
}
