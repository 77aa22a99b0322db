package org.nifimemmap.restrict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nifimemmap.intervals.SampleRange;
import org.nifimemmap.zarr.ZarrDtype;
import org.nifimemmap.zarr.ZarrFormat;

/**
 * The sample rows of a recording, read in units: whole chunk rows for Zarr (the smallest thing that can
 * be decoded), bounded blocks for a raw file. Reads are thread-safe.
 */
interface RecordingSource extends AutoCloseable {
    int channels();

    ZarrDtype dtype();

    double samplingFrequency();

    int segmentCount();

    long segmentSamples(int segment);

    /** Time of the segment's first sample (t0), seconds. */
    double segmentStart(int segment);

    /** The units that hold the given kept rows of a segment, in row order, each unit once. */
    List<ReadUnit> units(int segment, List<SampleRange> ranges);

    /** Largest {@link ReadUnit#rows()} this source produces. */
    int maxUnitRows();

    /**
     * Reads a unit's rows, full width in C order ({@code rows x channels} elements in the dtype's byte
     * order), into {@code dst}. Returns the bytes read from storage.
     */
    long read(ReadUnit unit, byte[] dst);

    /** Output chunking and codecs to use when the request keeps the source's. */
    int defaultChunkRows();

    int defaultChunkCols();

    JsonNode compressor();

    List<JsonNode> filters();

    JsonNode fillValue();

    String dimensionSeparator();

    /** The Zarr format of a Zarr source; null for a raw recording. */
    ZarrFormat format();

    /** Group attributes to carry over to a Zarr output (the engine overwrites the recording keys). */
    ObjectNode groupAttributes();

    /**
     * Copies the source's other arrays (channel ids, properties) into a Zarr output of the given format, or writes
     * channel ids; what cannot be carried over is said in {@code notes}.
     */
    long writeExtras(Path outputGroup, ZarrFormat format, List<String> notes) throws IOException;

    /** Things the user should know about how the source was read. */
    List<String> notes();

    @Override
    void close();
}
