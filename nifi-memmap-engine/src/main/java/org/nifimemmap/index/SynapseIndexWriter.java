package org.nifimemmap.index;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Builds a synapse index: points with edge id, pre_gid, post_gid and optional extra columns.
 * <pre>
 * try (SynapseIndexWriter w = SynapseIndexWriter.create(scratchDir, mapSize, List.of(), expected)) {
 *     w.add(x, y, z, edgeId, pre, post);
 *     IndexSummary s = w.writeTo(file);
 * }
 * </pre>
 */
public final class SynapseIndexWriter implements SynapseSink, AutoCloseable {
    private static final double[] NONE = new double[0];
    private final PackedIndexWriter core;
    private final List<ExtraColumn> extras;

    private SynapseIndexWriter(PackedIndexWriter core, List<ExtraColumn> extras) {
        this.core = core;
        this.extras = extras;
    }

    /**
     * @param scratchDir where scratch files go (same file system as the output, node-local)
     * @param memoryMapSizeBytes cap on mapped scratch bytes; too small fails with the size needed
     * @param expectedCount number of synapses if known (checks the cap before any input is read), else 0
     */
    public static SynapseIndexWriter create(Path scratchDir, long memoryMapSizeBytes, List<ExtraColumn> extras, long expectedCount) {
        return create(scratchDir, memoryMapSizeBytes, extras, expectedCount, DistributionSort.DEFAULT_BUCKET_BYTES);
    }

    static SynapseIndexWriter create(Path scratchDir, long memoryMapSizeBytes, List<ExtraColumn> extras, long expectedCount,
                                     long bucketBytes) {
        List<PackedIndexWriter.Column> columns = new ArrayList<>();
        for (String id : RecordLayout.idNames(ElementType.SYNAPSE)) {
            columns.add(new PackedIndexWriter.Column(id, FieldType.U64, RecordLayout.allowedIdTypes(id)));
        }
        for (ExtraColumn e : extras) {
            if (RecordLayout.geometryNames(ElementType.SYNAPSE).contains(e.name())
                    || RecordLayout.idNames(ElementType.SYNAPSE).contains(e.name())) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "Extra column " + e.name() + " clashes with a built-in column");
            }
            columns.add(new PackedIndexWriter.Column(e.name(), e.type(), List.of(e.type())));
        }
        return new SynapseIndexWriter(new PackedIndexWriter(ElementType.SYNAPSE, columns, scratchDir,
                memoryMapSizeBytes, expectedCount, bucketBytes), List.copyOf(extras));
    }

    @Override
    public void add(float x, float y, float z, long edgeId, long preGid, long postGid) {
        add(x, y, z, edgeId, preGid, postGid, NONE);
    }

    @Override
    public void add(float x, float y, float z, long edgeId, long preGid, long postGid, double[] values) {
        if (!(Float.isFinite(x) && Float.isFinite(y) && Float.isFinite(z))) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Synapse of edge " + edgeId + " has a non-finite position ("
                    + x + ", " + y + ", " + z + ")");
        }
        if (edgeId < 0 || preGid < 0 || postGid < 0) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Synapse of edge " + edgeId + " has a negative id (pre_gid "
                    + preGid + ", post_gid " + postGid + ")");
        }
        if (values.length != extras.size()) {
            throw new IllegalArgumentException("Expected " + extras.size() + " extra values, got " + values.length);
        }
        ByteBuffer w = core.begin();
        w.putFloat(x).putFloat(y).putFloat(z).putLong(edgeId).putLong(preGid).putLong(postGid);
        for (int i = 0; i < values.length; i++) {
            FieldType t = extras.get(i).type();
            double v = values[i];
            if (!t.floating() && (v != Math.rint(v) || Math.abs(v) > 0x1p53 || !t.holds((long) v))) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, "Edge " + edgeId + ": value " + v + " of "
                        + extras.get(i).name() + " does not fit its column type " + t.numpy());
            }
            int p = w.position();
            t.putDouble(w, p, v);
            w.position(p + t.size());
        }
        core.end();
    }

    public long count() {
        return core.count();
    }

    /** No more synapses will be added; see {@code PackedIndexWriter.endInput}. {@link #writeTo} ends the input itself. */
    public void endInput() {
        core.endInput();
    }

    /** Sorts and writes the index to {@code file}, which must not exist yet. */
    public IndexSummary writeTo(Path file) {
        return core.writeTo(file);
    }

    @Override
    public void close() {
        core.close();
    }
}
