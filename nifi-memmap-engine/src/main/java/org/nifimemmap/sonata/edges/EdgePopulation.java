package org.nifimemmap.sonata.edges;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import org.nifimemmap.index.ExtraColumn;
import org.nifimemmap.index.FloatRounding;
import org.nifimemmap.index.SynapseSink;
import org.nifimemmap.index.partition.Region;
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
        float[][] column = new float[3][slice];
        int k = 0;
        for (long start = 0; start < size; start += slice) {
            int rows = (int) Math.min(slice, size - start);
            for (int a = 0; a < 3; a++) {
                centre[a].readFloats(start, rows, column[a]);
            }
            for (long row = ((start + stride - 1) / stride) * stride; row < start + rows; row += stride) {
                int i = (int) (row - start);
                for (int a = 0; a < 3; a++) {
                    xyz[3 * k + a] = column[a][i];
                }
                k++;
            }
        }
        return xyz;
    }

    /** Streams every edge to the sink; the edge id is its row. Non-finite positions fail naming the row. */
    public void readInto(SynapseSink sink) {
        readInto(sink, null);
    }

    /**
     * Streams the edges whose afferent centre (as float) lies in {@code region} (all when null) to the sink. Every
     * row's position is read and checked; the ids and extra columns of a slice are read only when it keeps a row,
     * and converted only for the rows kept, since a partition build reads every row to keep a P-th of them.
     */
    public void readInto(SynapseSink sink, Region region) {
        read(new SynapseSink[] {sink}, region == null ? null : new Region[] {region});
    }

    /**
     * Streams each edge whose afferent centre lies in one of the regions to the sink of the first such region, in one
     * read of the rows, as {@link #readInto(SynapseSink, Region)} reads for one: the partitions a node holds. A null
     * sink drops its region's rows, which are another reader's: two readers, each with the sinks of some of the
     * regions, route every row as one would.
     */
    public void readInto(List<? extends SynapseSink> sinks, List<Region> regions) {
        if (sinks.size() != regions.size() || sinks.isEmpty() || sinks.stream().allMatch(Objects::isNull)) {
            throw new IllegalArgumentException(sinks.size() + " sinks for " + regions.size() + " regions");
        }
        read(sinks.toArray(SynapseSink[]::new), regions.toArray(Region[]::new));
    }

    private void read(SynapseSink[] sinks, Region[] regions) {
        int slice = (int) Math.min(centre[0].sliceRows(), Math.max(1, size));
        float[][] xyz = new float[3][slice];
        int[] kept = regions == null ? null : new int[slice];
        int[] route = new int[slice];
        RegionTest test = regions == null ? null : RegionTest.of(regions, sinks);
        long[] pre = new long[slice];
        long[] post = new long[slice];
        double[][] extra = new double[extras.size()][slice];
        double[] values = new double[extras.size()];
        boolean othersRows = test != null && test.routesOthers;
        for (long start = 0; start < size; start += slice) {
            int rows = (int) Math.min(slice, size - start);
            for (int a = 0; a < 3; a++) {
                centre[a].readFloats(start, rows, xyz[a]);
            }
            float[] xs = xyz[0], ys = xyz[1], zs = xyz[2];
            int k = test == null ? requireFinite(xs, ys, zs, rows) : test.inside(xs, ys, zs, rows, kept, route);
            if (k < 0) {
                throw firstNonFinite(xs, ys, zs, rows, start);
            }
            if (othersRows) {
                k = keepOwn(sinks, kept, route, k);
            }
            if (k == 0) {
                continue;
            }
            source.readIds(start, rows, kept, k, pre);
            target.readIds(start, rows, kept, k, post);
            for (int e = 0; e < extras.size(); e++) {
                extras.get(e).readDoubles(start, rows, extra[e]);
            }
            for (int j = 0; j < k; j++) {
                int i = kept == null ? j : kept[j];
                for (int e = 0; e < values.length; e++) {
                    values[e] = extra[e][i];
                }
                sinks[route[j]].add(xs[i], ys[i], zs[i], start + i, pre[j], post[j], values);
            }
        }
    }

    /**
     * Which rows of a slice lie in which region. Rows come in blocks: edge files are ordered by target cell, whose
     * synapses lie close together, so most blocks lie inside one region or outside all of them, which the block's
     * bounding box shows without a test per row. Rows of the other blocks are tested without branches (a partition
     * keeps runs of rows of every length, which a branch per row mispredicts), against only the regions the block's
     * box meets.
     */
    private static final class RegionTest {
        private static final int BLOCK = 256;
        /** Per tested region min x, y, z, max x, y, z as floats that compare with a float centre as the double bounds do. */
        private final float[] bounds;
        /** The index in the caller's list of each tested region; null when every region is tested, in list order. */
        private final int[] regionOf;
        /** Whether rows of regions without a sink are routed too (and must be dropped by the caller). */
        final boolean routesOthers;
        /** Offsets into {@code bounds} of the regions a block's box meets, in region order. */
        private final int[] met;

        private RegionTest(float[] bounds, int[] regionOf, boolean routesOthers) {
            this.bounds = bounds;
            this.regionOf = regionOf;
            this.routesOthers = routesOthers;
            this.met = new int[bounds.length / 6];
        }

        /**
         * Tests only the regions that have a sink when none of them can share a point with an earlier region that has
         * none: then a row of such a region has it as its first region whatever the others are (a plan's regions
         * never overlap). Otherwise every region, so that overlapping regions still take a row in list order.
         */
        static RegionTest of(Region[] regions, SynapseSink[] sinks) {
            float[] all = new float[6 * regions.length];
            for (int r = 0; r < regions.length; r++) {
                Region g = regions[r];
                double[] b = {g.minX(), g.minY(), g.minZ(), g.maxX(), g.maxY(), g.maxZ()};
                for (int i = 0; i < 6; i++) {
                    // For a float centre x, x >= d exactly when x >= up(d), and x < d exactly when x < up(d).
                    all[6 * r + i] = FloatRounding.up(b[i]);
                }
            }
            boolean ownAlone = true;
            for (int r = 0; r < regions.length; r++) {
                for (int e = 0; e < r && sinks[r] != null; e++) {
                    ownAlone &= sinks[e] != null || !mayShareAPoint(all, r, e);
                }
            }
            boolean onlyOwn = ownAlone;
            int[] tested = IntStream.range(0, regions.length).filter(r -> !onlyOwn || sinks[r] != null).toArray();
            float[] bounds = new float[6 * tested.length];
            for (int t = 0; t < tested.length; t++) {
                System.arraycopy(all, 6 * tested[t], bounds, 6 * t, 6);
            }
            boolean every = tested.length == regions.length;
            return new RegionTest(bounds, every ? null : tested, every && Arrays.asList(sinks).contains(null));
        }

        /** Whether the boxes overlap on every axis: else no point lies in both. */
        private static boolean mayShareAPoint(float[] b, int r, int e) {
            boolean overlap = true;
            for (int a = 0; a < 3; a++) {
                overlap &= Math.max(b[6 * r + a], b[6 * e + a]) < Math.min(b[6 * r + 3 + a], b[6 * e + 3 + a]);
            }
            return overlap;
        }

        /**
         * Writes the rows whose centre lies in a tested region to {@code kept} and the first such region to
         * {@code route}, returns how many, or -1 when a centre is not finite.
         */
        int inside(float[] xs, float[] ys, float[] zs, int rows, int[] kept, int[] route) {
            float[] b = bounds;
            int[] met = this.met;
            int k = 0;
            boolean finite = true;
            for (int from = 0; from < rows; from += BLOCK) {
                int to = Math.min(rows, from + BLOCK);
                float nx = Float.POSITIVE_INFINITY, ny = nx, nz = nx;
                float mx = Float.NEGATIVE_INFINITY, my = mx, mz = mx;
                for (int i = from; i < to; i++) {
                    nx = Math.min(nx, xs[i]);
                    ny = Math.min(ny, ys[i]);
                    nz = Math.min(nz, zs[i]);
                    mx = Math.max(mx, xs[i]);
                    my = Math.max(my, ys[i]);
                    mz = Math.max(mz, zs[i]);
                }
                int m = 0;
                boolean whole = false;
                for (int g = 0; g < b.length; g += 6) {
                    if (mx >= b[g] & my >= b[g + 1] & mz >= b[g + 2] & nx < b[g + 3] & ny < b[g + 4] & nz < b[g + 5]) {
                        // The first region the box meets: if it holds the whole box, it is every row's first region.
                        whole |= m == 0 && (nx >= b[g] & ny >= b[g + 1] & nz >= b[g + 2] & mx < b[g + 3] & my < b[g + 4] & mz < b[g + 5]);
                        met[m++] = g;
                    }
                }
                // A box with a NaN or an infinity may fail every test above: its rows are tested against every region,
                // where the bad one is reported.
                if (!(Float.isFinite(nx) & Float.isFinite(ny) & Float.isFinite(nz) & Float.isFinite(mx) & Float.isFinite(my) & Float.isFinite(mz))) {
                    whole = false;
                    m = 0;
                    for (int g = 0; g < b.length; g += 6) {
                        met[m++] = g;
                    }
                }
                if (whole) {
                    int first = met[0] / 6;
                    for (int i = from; i < to; i++, k++) {
                        kept[k] = i;
                        route[k] = first;
                    }
                } else if (m == 1) {
                    int g = met[0], only = g / 6;
                    float x0 = b[g], y0 = b[g + 1], z0 = b[g + 2], x1 = b[g + 3], y1 = b[g + 4], z1 = b[g + 5];
                    for (int i = from; i < to; i++) {
                        float x = xs[i], y = ys[i], z = zs[i];
                        finite &= Float.isFinite(x) & Float.isFinite(y) & Float.isFinite(z);
                        kept[k] = i;
                        route[k] = only;
                        k += (x >= x0) & (y >= y0) & (z >= z0) & (x < x1) & (y < y1) & (z < z1) ? 1 : 0;
                    }
                } else if (m > 1) {
                    for (int i = from; i < to; i++) {
                        float x = xs[i], y = ys[i], z = zs[i];
                        finite &= Float.isFinite(x) & Float.isFinite(y) & Float.isFinite(z);
                        int r = -1;
                        for (int j = m - 1; j >= 0; j--) {
                            int g = met[j];
                            boolean in = (x >= b[g]) & (y >= b[g + 1]) & (z >= b[g + 2]) & (x < b[g + 3]) & (y < b[g + 4]) & (z < b[g + 5]);
                            r = in ? g / 6 : r;
                        }
                        kept[k] = i;
                        route[k] = r;
                        k += r >= 0 ? 1 : 0;
                    }
                }
            }
            for (int j = 0; j < k && regionOf != null; j++) {
                route[j] = regionOf[route[j]];
            }
            return finite ? k : -1;
        }
    }

    /** Drops the first {@code k} routed rows whose region has no sink here; returns how many are left. */
    private static int keepOwn(SynapseSink[] sinks, int[] kept, int[] route, int k) {
        int m = 0;
        for (int j = 0; j < k; j++) {
            if (sinks[route[j]] != null) {
                kept[m] = kept[j];
                route[m] = route[j];
                m++;
            }
        }
        return m;
    }

    /** Returns {@code rows} when every centre is finite, else -1. */
    private static int requireFinite(float[] xs, float[] ys, float[] zs, int rows) {
        boolean finite = true;
        for (int i = 0; i < rows; i++) {
            finite &= Float.isFinite(xs[i]) & Float.isFinite(ys[i]) & Float.isFinite(zs[i]);
        }
        return finite ? rows : -1;
    }

    /** The error for the first row of a slice known to hold a non-finite centre. */
    private MemmapException firstNonFinite(float[] xs, float[] ys, float[] zs, int rows, long start) {
        int i = 0;
        while (i < rows - 1 && Float.isFinite(xs[i]) && Float.isFinite(ys[i]) && Float.isFinite(zs[i])) {
            i++;
        }
        return nonFinite(start + i);
    }

    /** The error for a row whose centre is not finite as a float, with the values as stored. */
    private MemmapException nonFinite(long row) {
        double[] v = new double[3];
        double[] one = new double[1];
        for (int a = 0; a < 3; a++) {
            centre[a].readDoubles(row, 1, one);
            v[a] = one[0];
        }
        return new MemmapException(ErrorKind.INVALID_INPUT, file + ":/edges/" + name + " edge row " + row
                + " has a non-finite afferent_center (" + v[0] + ", " + v[1] + ", " + v[2] + ")");
    }
}
