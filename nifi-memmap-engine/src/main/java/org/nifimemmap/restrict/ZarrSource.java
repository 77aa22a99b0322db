package org.nifimemmap.restrict;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nifimemmap.intervals.SampleRange;
import org.nifimemmap.eeg.ChannelTable;
import org.nifimemmap.eeg.SpikeInterfaceArrays;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.zarr.ZarrArray;
import org.nifimemmap.zarr.ZarrArrayMetadata;
import org.nifimemmap.zarr.ZarrDtype;
import org.nifimemmap.zarr.ZarrFormat;
import org.nifimemmap.zarr.ZarrGroup;
import org.nifimemmap.zarr.ZarrTreeCopy;

/**
 * A Zarr v2 or v3 recording in SpikeInterface's layout (group with {@code traces_seg{i}}, {@code t_starts},
 * {@code sampling_frequency}), or a single 2-D Zarr array (samples, channels). Only the chunk rows that
 * hold kept samples are read; a chunk row is decoded into a full-width row-major block. In a sharded v3 array that
 * means a shard's index, then only the byte ranges of the chunks needed.
 */
final class ZarrSource implements RecordingSource {
    private static final Pattern SEGMENT_ARRAY = Pattern.compile("(traces|times)_seg\\d+");

    private final Path input;
    private final ZarrGroup group;
    private final List<ZarrArray> segments;
    private final double[] starts;
    private final double samplingFrequency;
    private final ZarrArrayMetadata first;
    private final int channels;
    private final int chunkRows;
    private final int chunkCols;
    private final List<String> notes = new ArrayList<>();
    private final List<ConcurrentLinkedQueue<Reader>> readers = new ArrayList<>();

    /** A chunk reader and the scratch space to regroup column chunks; one per worker at a time. */
    private record Reader(ZarrArray.ChunkReader reader, byte[] chunk) {
    }

    private ZarrSource(Path input, ZarrGroup group, List<ZarrArray> segments, double[] starts, double samplingFrequency) {
        this.input = input;
        this.group = group;
        this.segments = segments;
        this.starts = starts;
        this.samplingFrequency = samplingFrequency;
        this.first = segments.get(0).metadata();
        if (first.rank() != 2) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, segments.get(0).path() + " has shape "
                    + Arrays.toString(first.shape()) + "; a recording array is 2-D (samples, channels)");
        }
        this.channels = Math.toIntExact(first.shape()[1]);
        this.chunkRows = first.chunks()[0];
        this.chunkCols = first.chunks()[1];
        for (ZarrArray a : segments) {
            ZarrArrayMetadata m = a.metadata();
            if (m.rank() != 2 || m.shape()[1] != channels || !m.dtype().equals(first.dtype())
                    || !Arrays.equals(m.chunks(), first.chunks())) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, a.path() + " differs from " + segments.get(0).path()
                        + " in channels, dtype or chunks; all segments of a recording must agree");
            }
            readers.add(new ConcurrentLinkedQueue<>());
        }
    }

    /** Opens a SpikeInterface-layout recording group. */
    static ZarrSource openRecording(Path input, Double requestedRate) {
        ZarrGroup group = ZarrGroup.open(input);
        ObjectNode attrs = group.attributes();
        int count;
        if (attrs.has("num_segments")) {
            count = attrs.get("num_segments").asInt(-1);
        } else {
            count = 0;
            while (group.hasArray("traces_seg" + count)) {
                count++;
            }
        }
        if (count <= 0) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Zarr recording " + input + " has no traces_seg0 array"
                    + " (num_segments " + attrs.path("num_segments") + ")");
        }
        List<ZarrArray> arrays = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            arrays.add(group.array("traces_seg" + i));
        }
        double rate = rate(requestedRate, attrs, input);
        double[] starts = new double[count];
        if (group.hasArray("t_starts")) {
            readTStarts(group.array("t_starts"), starts);
        }
        ZarrSource source = new ZarrSource(input, group, arrays, starts, rate);
        try (Stream<Path> children = Files.list(input)) {
            if (children.anyMatch(p -> p.getFileName().toString().startsWith("times_seg"))) {
                source.notes.add("time vectors (times_seg*) of the source were not carried over; segments use t_starts and the sampling rate");
            }
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot list Zarr recording " + input + ": " + e, e);
        }
        return source;
    }

    /** Opens one 2-D array as a single-segment recording; t0 from its attribute {@code t_start}, else 0. */
    static ZarrSource openArray(Path input, Double requestedRate) {
        ZarrArray array = ZarrArray.open(input);
        ObjectNode attrs = array.attributes();
        double rate = rate(requestedRate, attrs, input);
        double t0 = attrs.path("t_start").isNumber() ? attrs.get("t_start").asDouble() : 0.0;
        return new ZarrSource(input, null, List.of(array), new double[] {t0}, rate);
    }

    private static double rate(Double requested, ObjectNode attrs, Path input) {
        if (requested != null) {
            return requested;
        }
        JsonNode fs = attrs.get("sampling_frequency");
        if (fs == null || !fs.isNumber()) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, input + " has no numeric 'sampling_frequency' attribute;"
                    + " give the sampling rate");
        }
        return fs.asDouble();
    }

    /** SpikeInterface writes NaN for a segment without a start time, which it reads as 0. */
    private static void readTStarts(ZarrArray tStarts, double[] out) {
        ZarrArrayMetadata m = tStarts.metadata();
        if (m.rank() != 1 || m.dtype().kind() != 'f' || m.dtype().size() != 8 || m.shape()[0] < out.length) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, tStarts.path() + ": t_starts must be float64 with one value per segment,"
                    + " found " + m.dtype().descriptor() + " " + Arrays.toString(m.shape()));
        }
        int chunk = m.chunks()[0];
        byte[] buf = new byte[m.chunkBytes()];
        ByteBuffer view = ByteBuffer.wrap(buf).order(m.dtype().order());
        try (ZarrArray.ChunkReader reader = tStarts.chunkReader()) {
            for (int i = 0; i < out.length; i++) {
                if (i % chunk == 0) {
                    reader.read(new long[] {i / chunk}, buf);
                }
                double v = view.getDouble((i % chunk) * 8);
                if (Double.isInfinite(v)) {
                    throw new MemmapException(ErrorKind.INVALID_INPUT, tStarts.path() + ": t_starts[" + i + "] is " + v);
                }
                out[i] = Double.isNaN(v) ? 0.0 : v;
            }
        }
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public ZarrDtype dtype() {
        return first.dtype();
    }

    @Override
    public double samplingFrequency() {
        return samplingFrequency;
    }

    @Override
    public int segmentCount() {
        return segments.size();
    }

    @Override
    public long segmentSamples(int segment) {
        return segments.get(segment).metadata().shape()[0];
    }

    @Override
    public double segmentStart(int segment) {
        return starts[segment];
    }

    @Override
    public List<ReadUnit> units(int segment, List<SampleRange> ranges) {
        List<ReadUnit> units = new ArrayList<>();
        long n = segmentSamples(segment);
        long last = -1;
        for (SampleRange r : ranges) {
            for (long k = Math.max(last + 1, r.first() / chunkRows); k <= (r.endExclusive() - 1) / chunkRows; k++) {
                long firstRow = k * chunkRows;
                units.add(new ReadUnit(segment, firstRow, (int) Math.min(chunkRows, n - firstRow)));
                last = k;
            }
        }
        return units;
    }

    @Override
    public int maxUnitRows() {
        return chunkRows;
    }

    @Override
    public long read(ReadUnit unit, byte[] dst) {
        ZarrArray array = segments.get(unit.segment());
        ConcurrentLinkedQueue<Reader> pool = readers.get(unit.segment());
        Reader r = pool.poll();
        if (r == null) {
            r = new Reader(array.chunkReader(), chunkCols == channels ? null : new byte[first.chunkBytes()]);
        }
        try {
            long k = unit.firstRow() / chunkRows;
            long bytes = 0;
            int item = first.dtype().size();
            int colChunks = (channels + chunkCols - 1) / chunkCols;
            for (int j = 0; j < colChunks; j++) {
                long[] index = {k, j};
                if (r.chunk == null) {
                    r.reader.read(index, dst);
                    bytes += r.reader.storedBytes();
                    continue;
                }
                r.reader.read(index, r.chunk);
                bytes += r.reader.storedBytes();
                int col0 = j * chunkCols;
                int width = Math.min(chunkCols, channels - col0) * item;
                for (int row = 0; row < unit.rows(); row++) {
                    System.arraycopy(r.chunk, row * chunkCols * item, dst, (row * channels + col0) * item, width);
                }
            }
            return bytes;
        } finally {
            pool.offer(r);
        }
    }

    @Override
    public int defaultChunkRows() {
        return chunkRows;
    }

    @Override
    public int defaultChunkCols() {
        return chunkCols;
    }

    @Override
    public JsonNode compressor() {
        return first.compressor();
    }

    @Override
    public List<JsonNode> filters() {
        return first.filters();
    }

    @Override
    public JsonNode fillValue() {
        return first.fillValue();
    }

    @Override
    public String dimensionSeparator() {
        return first.dimensionSeparator();
    }

    @Override
    public ZarrFormat format() {
        return first.format();
    }

    @Override
    public ObjectNode groupAttributes() {
        if (group != null) {
            return group.attributes();
        }
        ObjectNode attrs = segments.get(0).attributes();
        attrs.remove(List.of("_ARRAY_DIMENSIONS", "t_start"));
        return attrs;
    }

    @Override
    public long writeExtras(Path outputGroup, ZarrFormat format, List<String> notes) throws IOException {
        if (group == null) {
            return SpikeInterfaceArrays.writeChannels(outputGroup, format, channels, ChannelTable.NONE);
        }
        long bytes = 0;
        try (Stream<Path> children = Files.list(input)) {
            for (Path child : children.sorted().toList()) {
                String name = child.getFileName().toString();
                if (name.startsWith(".") || !Files.isDirectory(child) || name.equals("t_starts") || SEGMENT_ARRAY.matcher(name).matches()) {
                    continue;
                }
                bytes += ZarrTreeCopy.copy(child, group.format(), outputGroup.resolve(name), format, notes);
            }
        }
        if (!group.hasArray("channel_ids")) {
            bytes += SpikeInterfaceArrays.writeChannels(outputGroup, format, channels, ChannelTable.NONE);
        }
        return bytes;
    }

    @Override
    public List<String> notes() {
        return notes;
    }

    @Override
    public void close() {
        // Chunk readers open and close each chunk file themselves; what they hold is native codec state.
        for (ConcurrentLinkedQueue<Reader> pool : readers) {
            for (Reader r; (r = pool.poll()) != null; ) {
                r.reader.close();
            }
        }
    }
}
