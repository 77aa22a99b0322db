package org.nifimemmap.eeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.zarr.Compression;
import org.nifimemmap.zarr.ZarrArray;
import org.nifimemmap.zarr.ZarrGroup;

class EegConverterTest {
    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final EegConverter converter = new EegConverter(pool, 3);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /** Reads traces_seg0 back with our reader, dropping the padding of the last chunk. */
    static byte[] traces(Path store) {
        ZarrArray a = ZarrGroup.open(store).array("traces_seg0");
        long samples = a.metadata().shape()[0];
        int rowBytes = (int) a.metadata().shape()[1] * a.metadata().dtype().size();
        int rows = a.metadata().chunks()[0];
        byte[] out = new byte[(int) (samples * rowBytes)];
        byte[] chunk = new byte[a.metadata().chunkBytes()];
        try (ZarrArray.ChunkReader reader = a.chunkReader()) {
            for (long i = 0; i < a.metadata().chunkGrid()[0]; i++) {
                assertTrue(reader.read(new long[] {i, 0}, chunk), "chunk " + i + " written");
                int valid = (int) Math.min(rows, samples - i * rows);
                System.arraycopy(chunk, 0, out, (int) (i * rows * rowBytes), valid * rowBytes);
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyCompressionRoundTripsTheSamples(Compression compression) throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 10_007, 5);
        Path out = dir.resolve("rec.zarr");
        EegConversionResult r = converter.convert(Recordings.request(raw, out, 5, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 1000, compression));
        assertEquals(10_007, r.samples());
        assertEquals(5, r.channels());
        assertEquals(10_007 / 20000.0, r.durationSeconds(), 1e-12);
        assertFalse(r.skipped());
        assertArrayEquals(Files.readAllBytes(raw), traces(out));
        ZarrArray traces = ZarrGroup.open(out).array("traces_seg0");
        assertEquals(compression == Compression.NONE, traces.metadata().compressor() == null);
        assertEquals(11, Files.list(out.resolve("traces_seg0")).filter(p -> !p.getFileName().toString().startsWith(".")).count());
        long onDisk;
        try (Stream<Path> files = Files.walk(out)) {
            onDisk = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertEquals(onDisk, r.outputBytes());
        // lz4 finds few matches in these fast, noisy test sines; the entropy coders must still gain.
        if (compression == Compression.ZSTD || compression == Compression.GZIP) {
            assertTrue(r.outputBytes() < r.inputBytes(), compression + " wrote " + r.outputBytes());
        }
    }

    @ParameterizedTest
    @EnumSource(SampleType.class)
    void bigEndianInputWithHeaderBecomesLittleEndianSamples(SampleType type) throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.bin"), type, ByteOrder.BIG_ENDIAN, 100, 777, 3);
        Path out = dir.resolve("rec.zarr");
        converter.convert(Recordings.request(raw, out, 3, type, ByteOrder.BIG_ENDIAN, 100, 128, Compression.ZSTD));
        assertArrayEquals(Recordings.littleEndianPayload(raw, type, ByteOrder.BIG_ENDIAN, 100), traces(out));
        ZarrArray traces = ZarrGroup.open(out).array("traces_seg0");
        assertEquals(type.zarrDtype().descriptor(), traces.metadata().dtype().descriptor());
        assertTrue(traces.metadata().dtype().descriptor().startsWith("<"));
        assertEquals(type.bytes(), traces.metadata().filters().get(0).get("elementsize").asInt());
    }

    @Test
    void storeFollowsSpikeInterfaceLayoutAndRecordsProvenance() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 16, 3000, 4);
        Path out = dir.resolve("rec.zarr");
        EegConversionResult r = converter.convert(Recordings.request(raw, out, 4, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 16, 0, Compression.ZSTD));
        ZarrGroup g = ZarrGroup.open(out);
        assertEquals(20000.0, g.attributes().get("sampling_frequency").asDouble());
        assertEquals(1, g.attributes().get("num_segments").asInt());
        assertEquals(java.util.List.of("channel_ids", "t_starts", "traces_seg0"), g.arrayNames());
        assertEquals("[\"time_seg0\",\"channel\"]", g.array("traces_seg0").attributes().get("_ARRAY_DIMENSIONS").toString());
        assertEquals("[\"channel\"]", g.array("channel_ids").attributes().get("_ARRAY_DIMENSIONS").toString());
        assertEquals("<i8", g.array("channel_ids").metadata().dtype().descriptor());
        JsonNode ours = g.attributes().get("nifi_memmap");
        CRC32C crc = new CRC32C();
        crc.update(Files.readAllBytes(raw));
        assertEquals(String.format("crc32c:%08x", crc.getValue()), r.fingerprint());
        assertEquals(r.fingerprint(), ours.get("source").get("fingerprint").asText());
        assertEquals(raw.toAbsolutePath().toString(), ours.get("source").get("path").asText());
        assertEquals(16, ours.get("source").get("header_bytes").asInt());
        assertEquals("int16", ours.get("source").get("sample_type").asText());
        assertEquals("zstd", ours.get("compression").asText());
        assertEquals(3, ours.get("compression_level").asInt());
        // Default chunks: about 4 MiB, never longer than the recording.
        assertEquals(3000, g.array("traces_seg0").metadata().chunks()[0]);
    }

    @Test
    void channelsAndRateComeFromTheNeuroscopeXml() throws IOException {
        Files.writeString(dir.resolve("session.xml"), NeuroscopeParametersTest.XML);
        Path dat = Recordings.write(dir.resolve("session.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 500, 4);
        Path lfp = Recordings.write(dir.resolve("session.lfp"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 250, 4);
        EegConversionResult d = converter.convert(new EegConversionRequest(dat, dir.resolve("dat.zarr"), null, null, SampleType.INT16,
                ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD, -1, ConflictStrategy.FAIL));
        assertEquals(4, d.channels());
        assertEquals(20000.0, d.samplingRate());
        EegConversionResult l = converter.convert(new EegConversionRequest(lfp, dir.resolve("lfp.zarr"), null, null, SampleType.INT16,
                ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD, -1, ConflictStrategy.FAIL));
        assertEquals(1250.0, l.samplingRate());
        assertEquals(1250.0, ZarrGroup.open(dir.resolve("lfp.zarr")).attributes().get("sampling_frequency").asDouble());
        assertEquals(250 / 1250.0, l.durationSeconds(), 1e-12);
    }

    @Test
    void parallelConversionEqualsSingleBufferConversion() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 50_000, 8);
        EegConversionResult many = converter.convert(Recordings.request(raw, dir.resolve("a.zarr"), 8, SampleType.INT16,
                ByteOrder.LITTLE_ENDIAN, 0, 333, Compression.BLOSC_LZ4));
        EegConversionResult one = new EegConverter(pool, 1).convert(Recordings.request(raw, dir.resolve("b.zarr"), 8, SampleType.INT16,
                ByteOrder.LITTLE_ENDIAN, 0, 333, Compression.BLOSC_LZ4));
        assertEquals(one.fingerprint(), many.fingerprint());
        assertEquals(one.outputBytes(), many.outputBytes());
        assertArrayEquals(traces(dir.resolve("b.zarr")), traces(dir.resolve("a.zarr")));
    }

    @Test
    void mappingWindowsHoldWholeChunksAcrossBoundaries() throws IOException {
        // 10,000 frames of 6 channels x 4 bytes with a 24-byte header; chunks of 700 frames (16,800 bytes);
        // windows of at most 40,000 bytes hold two chunks, so the file spans eight windows.
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.FLOAT32, ByteOrder.BIG_ENDIAN, 24, 10_000, 6);
        Path out = dir.resolve("rec.zarr");
        new EegConverter(pool, 2, 40_000).convert(Recordings.request(raw, out, 6, SampleType.FLOAT32, ByteOrder.BIG_ENDIAN, 24, 700, Compression.ZSTD));
        assertArrayEquals(Recordings.littleEndianPayload(raw, SampleType.FLOAT32, ByteOrder.BIG_ENDIAN, 24), traces(out));
    }

    @Test
    void inputIsNeverModified() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.BIG_ENDIAN, 0, 2000, 2);
        byte[] before = Files.readAllBytes(raw);
        var modified = Files.getLastModifiedTime(raw);
        converter.convert(Recordings.request(raw, dir.resolve("rec.zarr"), 2, SampleType.INT16, ByteOrder.BIG_ENDIAN, 0, 100, Compression.ZSTD));
        assertArrayEquals(before, Files.readAllBytes(raw));
        assertEquals(modified, Files.getLastModifiedTime(raw));
    }

    // ---- conflicts

    @Test
    void existingOutputFailsReplacesOrIsIgnored() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 100, 2);
        Path out = dir.resolve("rec.zarr");
        Files.createDirectory(out);
        Files.writeString(out.resolve("old"), "old");
        MemmapException e = assertThrows(MemmapException.class,
                () -> converter.convert(Recordings.request(raw, out, 2, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD)));
        assertEquals(ErrorKind.OUTPUT_EXISTS, e.kind());
        assertTrue(e.getMessage().contains(out.toString()));
        assertTrue(Files.exists(out.resolve("old")));

        EegConversionResult ignored = converter.convert(withConflict(raw, out, ConflictStrategy.IGNORE));
        assertTrue(ignored.skipped());
        assertNull(ignored.fingerprint());
        assertEquals(0, ignored.outputBytes());
        assertTrue(Files.exists(out.resolve("old")));

        EegConversionResult replaced = converter.convert(withConflict(raw, out, ConflictStrategy.REPLACE));
        assertTrue(replaced.replacedExisting());
        assertFalse(Files.exists(out.resolve("old")));
        assertTrue(Files.exists(out.resolve(".zgroup")));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith(".")).count(), "no temporaries left");
        }
    }

    private static EegConversionRequest withConflict(Path raw, Path out, ConflictStrategy c) {
        return new EegConversionRequest(raw, out, 2, 20000.0, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD, -1, c);
    }

    // ---- errors

    private MemmapException failure(EegConversionRequest request) {
        MemmapException e = assertThrows(MemmapException.class, () -> converter.convert(request));
        assertFalse(Files.exists(request.output()), "no output after a failure");
        return e;
    }

    @Test
    void missingInput() {
        Path raw = dir.resolve("nope.dat");
        MemmapException e = failure(Recordings.request(raw, dir.resolve("o.zarr"), 2, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD));
        assertEquals(ErrorKind.INPUT_NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains(raw.toString()));
    }

    @Test
    void directoryAsInput() {
        MemmapException e = failure(Recordings.request(dir, dir.resolve("o.zarr"), 2, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD));
        assertEquals(ErrorKind.INPUT_UNREADABLE, e.kind());
    }

    @Test
    void emptyInput() throws IOException {
        Path raw = Files.createFile(dir.resolve("empty.dat"));
        MemmapException e = failure(Recordings.request(raw, dir.resolve("o.zarr"), 2, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains(raw.toString()), e.getMessage());
    }

    @Test
    void partialFrameSaysHowManyBytesAreLeftOver() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 1000, 3);
        // 6000 bytes read as frames of 7 channels x 2 bytes leave 6000 % 14 = 8 bytes.
        MemmapException e = failure(Recordings.request(raw, dir.resolve("o.zarr"), 7, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("8 bytes left over") && e.getMessage().contains(raw.toString()), e.getMessage());
    }

    @Test
    void absurdChannelCounts() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 100, 2);
        for (int channels : new int[] {0, -3, 65537}) {
            MemmapException e = failure(Recordings.request(raw, dir.resolve("o.zarr"), channels, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD));
            assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
            assertTrue(e.getMessage().contains(String.valueOf(channels)), e.getMessage());
        }
    }

    @Test
    void badSamplingRates() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 100, 2);
        for (double rate : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            MemmapException e = failure(new EegConversionRequest(raw, dir.resolve("o.zarr"), 2, rate, SampleType.INT16,
                    ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD, -1, ConflictStrategy.FAIL));
            assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
            assertTrue(e.getMessage().contains("Sampling rate " + rate), e.getMessage());
        }
    }

    @Test
    void headerLargerThanFileOrLeavingNoSamples() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 100, 2);
        MemmapException larger = failure(Recordings.request(raw, dir.resolve("o.zarr"), 2, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 401, 0, Compression.ZSTD));
        assertEquals(ErrorKind.INVALID_CONFIG, larger.kind());
        assertTrue(larger.getMessage().contains("401") && larger.getMessage().contains("400 bytes"), larger.getMessage());
        MemmapException equal = failure(Recordings.request(raw, dir.resolve("o.zarr"), 2, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 400, 0, Compression.ZSTD));
        assertEquals(ErrorKind.INVALID_INPUT, equal.kind());
    }

    @Test
    void missingChannelCountWithoutXml() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 100, 2);
        MemmapException e = failure(new EegConversionRequest(raw, dir.resolve("o.zarr"), null, 20000.0, SampleType.INT16,
                ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD, -1, ConflictStrategy.FAIL));
        assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
        assertTrue(e.getMessage().contains("rec.xml"), e.getMessage());
    }

    @Test
    void badCompressionLevelAndChunkSize() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 100, 2);
        MemmapException level = failure(new EegConversionRequest(raw, dir.resolve("o.zarr"), 2, 1.0, SampleType.INT16,
                ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.BLOSC_LZ4, 12, ConflictStrategy.FAIL));
        assertEquals(ErrorKind.INVALID_CONFIG, level.kind());
        MemmapException chunk = failure(Recordings.request(raw, dir.resolve("o.zarr"), 2, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, -5, Compression.ZSTD));
        assertEquals(ErrorKind.INVALID_CONFIG, chunk.kind());
    }

    @Test
    void outputOverTheInputIsRefusedEvenWithReplace() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 100, 2);
        byte[] before = Files.readAllBytes(raw);
        MemmapException e = assertThrows(MemmapException.class, () -> converter.convert(withConflict(raw, raw, ConflictStrategy.REPLACE)));
        assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
        assertArrayEquals(before, Files.readAllBytes(raw));
    }

    @Test
    void outputDirectoryMissing() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 100, 2);
        MemmapException e = failure(Recordings.request(raw, dir.resolve("no/such/dir/o.zarr"), 2, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD));
        assertEquals(ErrorKind.OUTPUT_UNWRITABLE, e.kind());
    }

    @Test
    void outputOnAReadOnlyFileSystem() throws IOException {
        // /proc refuses new directories even for root, where permission bits would not.
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 100, 2);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        MemmapException e = assertThrows(MemmapException.class, () -> converter.convert(Recordings.request(raw, Path.of("/proc/o.zarr"), 2,
                SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD)));
        assertEquals(ErrorKind.OUTPUT_UNWRITABLE, e.kind());
        assertTrue(e.getMessage().contains("/proc/o.zarr"), e.getMessage());
    }
}
