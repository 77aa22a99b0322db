package org.nifimemmap.restrict;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nifimemmap.eeg.SpikeInterfaceArrays;
import org.nifimemmap.intervals.SampleRange;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.zarr.Compression;
import org.nifimemmap.zarr.Json;
import org.nifimemmap.zarr.ZarrDtype;
import org.nifimemmap.zarr.ZarrFormat;

/**
 * A raw interleaved recording, mapped read-only: frames of {@code channels} samples after an optional
 * header. Only the kept frames are touched. Samples keep their byte order; a big-endian input gives a
 * big-endian ({@code >i2}) output dtype rather than a silent swap.
 */
final class RawSource implements RecordingSource {
    /** About 4 MiB per read unit, the same size the EEG converter uses for chunks. */
    private static final int UNIT_BYTES = 4 << 20;
    private static final int MAX_CHANNELS = 65536;

    private final Path input;
    private final RestrictRequest.RawInput layout;
    private final MappedFile file;
    private final int frameBytes;
    private final long frames;
    private final int unitRows;
    private final ZarrDtype dtype;

    RawSource(Path input, RestrictRequest.RawInput layout) {
        this.input = input;
        this.layout = layout;
        if (layout.channels() <= 0 || layout.channels() > MAX_CHANNELS) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Channel count " + layout.channels() + " for " + input
                    + " is outside 1.." + MAX_CHANNELS);
        }
        int described = layout.channelTable().channels();
        if (described >= 0 && described != layout.channels()) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Number of Channels " + layout.channels() + " for " + input
                    + " differs from the " + described + " channels its metadata describes");
        }
        if (layout.headerBytes() < 0) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Header bytes must not be negative: " + layout.headerBytes());
        }
        if (!Files.exists(input)) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "Recording does not exist: " + input);
        }
        if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Recording is not a readable regular file: " + input);
        }
        this.frameBytes = layout.channels() * layout.sampleType().bytes();
        this.file = new MappedFile(input);
        long payload = file.size() - layout.headerBytes();
        if (payload < 0 || payload % frameBytes != 0) {
            file.close();
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Recording " + input + " holds " + file.size() + " bytes: after its "
                    + layout.headerBytes() + "-byte header that is not a whole number of frames of " + layout.channels()
                    + " channels x " + layout.sampleType().bytes() + " bytes. Check the channel count, sample type and header size.");
        }
        this.frames = payload / frameBytes;
        this.unitRows = Math.max(1, UNIT_BYTES / frameBytes);
        String descriptor = layout.sampleType().zarrDtype().descriptor();
        this.dtype = layout.byteOrder() == ByteOrder.BIG_ENDIAN && layout.sampleType().bytes() > 1
                ? ZarrDtype.parse(">" + descriptor.substring(1)) : layout.sampleType().zarrDtype();
    }

    @Override
    public int channels() {
        return layout.channels();
    }

    @Override
    public ZarrDtype dtype() {
        return dtype;
    }

    @Override
    public double samplingFrequency() {
        return layout.samplingFrequency();
    }

    @Override
    public int segmentCount() {
        return 1;
    }

    @Override
    public long segmentSamples(int segment) {
        return frames;
    }

    @Override
    public double segmentStart(int segment) {
        return layout.startTime();
    }

    @Override
    public List<ReadUnit> units(int segment, List<SampleRange> ranges) {
        List<ReadUnit> units = new ArrayList<>();
        for (SampleRange r : ranges) {
            for (long row = r.first(); row < r.endExclusive(); row += unitRows) {
                units.add(new ReadUnit(segment, row, (int) Math.min(unitRows, r.endExclusive() - row)));
            }
        }
        return units;
    }

    @Override
    public int maxUnitRows() {
        return unitRows;
    }

    @Override
    public long read(ReadUnit unit, byte[] dst) {
        int bytes = unit.rows() * frameBytes;
        file.copy(layout.headerBytes() + unit.firstRow() * frameBytes, dst, 0, bytes);
        return bytes;
    }

    @Override
    public int defaultChunkRows() {
        return unitRows;
    }

    @Override
    public int defaultChunkCols() {
        return layout.channels();
    }

    @Override
    public JsonNode compressor() {
        return Compression.ZSTD.compressorConfig(Compression.ZSTD.defaultLevel(), dtype.size());
    }

    @Override
    public List<JsonNode> filters() {
        return Compression.ZSTD.filterConfigs(dtype.size());
    }

    @Override
    public JsonNode fillValue() {
        return Json.object().numberNode(0);
    }

    @Override
    public String dimensionSeparator() {
        return ".";
    }

    @Override
    public ZarrFormat format() {
        return null;
    }

    @Override
    public ObjectNode groupAttributes() {
        return Json.object();
    }

    @Override
    public long writeExtras(Path outputGroup, ZarrFormat format, List<String> notes) throws IOException {
        return SpikeInterfaceArrays.writeChannels(outputGroup, format, layout.channels(), layout.channelTable());
    }

    @Override
    public List<String> notes() {
        return List.of();
    }

    @Override
    public void close() {
        file.close();
    }
}
