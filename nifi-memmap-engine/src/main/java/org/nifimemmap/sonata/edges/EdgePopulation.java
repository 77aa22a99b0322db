package org.nifimemmap.sonata.edges;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import org.nifimemmap.index.ExtraColumn;
import org.nifimemmap.index.SynapseSink;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * One SONATA edge population read for indexing: afferent_center_x|y|z, source_node_id, target_node_id and any
 * extra numeric attributes of group 0, streamed in slices to a {@link SynapseSink}.
 */
public final class EdgePopulation {
    private static final String[] CENTRE = {"afferent_center_x", "afferent_center_y", "afferent_center_z"};

    private final Path file;
    private final String name;
    private final NumericColumn[] centre = new NumericColumn[3];
    private final NumericColumn source;
    private final NumericColumn target;
    private final List<NumericColumn> extras = new ArrayList<>();
    private final List<ExtraColumn> extraColumns = new ArrayList<>();
    private final long size;

    EdgePopulation(Path file, long fileLength, FileChannel channel, String name, Group population, List<String> extraNames) {
        this.file = file;
        this.name = name;
        String base = file + ":/edges/" + name;
        this.source = NumericColumn.of(dataset(population, "source_node_id", base), file, fileLength, base + "/source_node_id", channel);
        this.target = NumericColumn.of(dataset(population, "target_node_id", base), file, fileLength, base + "/target_node_id", channel);
        Node group0 = population.getChild("0");
        if (!(group0 instanceof Group attributes)) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, base + " has no attribute group '0' holding afferent_center_*");
        }
        for (Node child : population) {
            if (child instanceof Group && child.getName().matches("\\d+") && !child.getName().equals("0")) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, base + " has several edge groups (" + child.getName()
                        + "); only group 0 is supported");
            }
        }
        for (int a = 0; a < 3; a++) {
            centre[a] = NumericColumn.of(dataset(attributes, CENTRE[a], base + "/0"), file, fileLength, base + "/0/" + CENTRE[a], channel);
            if (!centre[a].type().floating()) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, centre[a].where() + " must be float32 or float64");
            }
        }
        for (String extra : extraNames) {
            NumericColumn c = NumericColumn.of(dataset(attributes, extra, base + "/0"), file, fileLength, base + "/0/" + extra, channel);
            extras.add(c);
            extraColumns.add(new ExtraColumn(extra, c.type()));
        }
        this.size = source.length();
        List<NumericColumn> all = new ArrayList<>(List.of(target, centre[0], centre[1], centre[2]));
        all.addAll(extras);
        for (NumericColumn c : all) {
            if (c.length() != size) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, c.where() + " has " + c.length() + " rows but "
                        + source.where() + " has " + size);
            }
        }
    }

    private static Dataset dataset(Group group, String child, String where) {
        Node node = group.getChild(child);
        if (!(node instanceof Dataset d)) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, where + " has no dataset '" + child + "'"
                    + (child.startsWith("afferent_center") ? " (synapse positions are needed to index synapses)" : ""));
        }
        return d;
    }

    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    /** Number of edges (rows). */
    public long size() {
        return size;
    }

    /** Extra columns in the order their values are passed to the sink. */
    public List<ExtraColumn> extraColumns() {
        return List.copyOf(extraColumns);
    }

    /**
     * Afferent centres of every k-th edge (k chosen so at most {@code max} are kept), x, y, z interleaved: what a
     * partition plan needs, read slice by slice so the heap holds only the sample.
     */
    public float[] samplePositions(int max) {
        long stride = Math.max(1, (size + max - 1) / Math.max(1, max));
        int kept = (int) ((size + stride - 1) / stride);
        float[] xyz = new float[3 * kept];
        int slice = (int) Math.min(centre[0].sliceRows(), Math.max(1, size));
        double[][] column = new double[3][slice];
        int k = 0;
        for (long start = 0; start < size; start += slice) {
            int rows = (int) Math.min(slice, size - start);
            for (int a = 0; a < 3; a++) {
                centre[a].readDoubles(start, rows, column[a]);
            }
            for (long row = ((start + stride - 1) / stride) * stride; row < start + rows; row += stride) {
                int i = (int) (row - start);
                for (int a = 0; a < 3; a++) {
                    xyz[3 * k + a] = (float) column[a][i];
                }
                k++;
            }
        }
        return xyz;
    }

    /** Streams every edge to the sink; the edge id is its row. Non-finite positions fail naming the row. */
    public void readInto(SynapseSink sink) {
        int slice = (int) Math.min(centre[0].sliceRows(), Math.max(1, size));
        double[][] xyz = new double[3][slice];
        long[] pre = new long[slice];
        long[] post = new long[slice];
        double[][] extra = new double[extras.size()][slice];
        double[] values = new double[extras.size()];
        for (long start = 0; start < size; start += slice) {
            int rows = (int) Math.min(slice, size - start);
            for (int a = 0; a < 3; a++) {
                centre[a].readDoubles(start, rows, xyz[a]);
            }
            source.readIds(start, rows, pre);
            target.readIds(start, rows, post);
            for (int e = 0; e < extras.size(); e++) {
                extras.get(e).readDoubles(start, rows, extra[e]);
            }
            for (int i = 0; i < rows; i++) {
                float x = (float) xyz[0][i], y = (float) xyz[1][i], z = (float) xyz[2][i];
                if (!(Float.isFinite(x) && Float.isFinite(y) && Float.isFinite(z))) {
                    throw new MemmapException(ErrorKind.INVALID_INPUT, file + ":/edges/" + name + " edge row " + (start + i)
                            + " has a non-finite afferent_center (" + xyz[0][i] + ", " + xyz[1][i] + ", " + xyz[2][i] + ")");
                }
                for (int e = 0; e < values.length; e++) {
                    values[e] = extra[e][i];
                }
                sink.add(x, y, z, start + i, pre[i], post[i], values);
            }
        }
    }
}
