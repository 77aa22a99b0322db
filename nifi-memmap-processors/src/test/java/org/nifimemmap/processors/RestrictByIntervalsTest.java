package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.eeg.EegConversionRequest;
import org.nifimemmap.eeg.EegConverter;
import org.nifimemmap.eeg.SampleType;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.zarr.Compression;
import org.nifimemmap.zarr.ZarrArray;
import org.nifimemmap.zarr.ZarrGroup;

class RestrictByIntervalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    Path out;
    Path rawFile;
    Path zarr;
    TestRunner runner;

    /** 3 channels at 1000 Hz for 10 s; sample (i, c) = i * 3 + c wrapped to int16. */
    @BeforeEach
    void setUp() throws IOException {
        out = Files.createDirectory(dir.resolve("out"));
        Path raw = Files.createDirectory(dir.resolve("raw"));
        ByteBuffer b = ByteBuffer.allocate(3 * 10_000 * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 10_000; i++) {
            for (int c = 0; c < 3; c++) {
                b.putShort((short) (i * 3 + c));
            }
        }
        rawFile = Files.write(raw.resolve("rec.dat"), b.array());
        zarr = raw.resolve("rec.zarr");
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            new EegConverter(pool, 2).convert(new EegConversionRequest(rawFile, zarr, 3, 1000.0, SampleType.INT16,
                    ByteOrder.LITTLE_ENDIAN, 0, 1024, Compression.ZSTD, -1, ConflictStrategy.FAIL));
        } finally {
            pool.shutdownNow();
        }
        runner = TestRunners.newTestRunner(RestrictByIntervals.class);
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, out.toString());
    }

    private MockFlowFile runOnZarr(String intervals) {
        runner.setProperty(RestrictByIntervals.INTERVALS, intervals);
        runner.enqueue("", Map.of("zarr.path", zarr.toString()));
        runner.run();
        runner.assertAllFlowFilesTransferred(RestrictByIntervals.REL_SUCCESS, 1);
        return runner.getFlowFilesForRelationship(RestrictByIntervals.REL_SUCCESS).getFirst();
    }

    private MockFlowFile onlyFailure(String type) {
        runner.assertAllFlowFilesTransferred(RestrictByIntervals.REL_FAILURE, 1);
        MockFlowFile f = runner.getFlowFilesForRelationship(RestrictByIntervals.REL_FAILURE).getFirst();
        f.assertAttributeEquals("memmap.error.type", type);
        return f;
    }

    private static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    @Test
    void keepsSamplesInsideEachIntervalInclusiveAtBothEnds() throws IOException {
        MockFlowFile f = runOnZarr("1-2, 5-5.5");
        Path result = out.resolve("rec-restricted.zarr");
        f.assertAttributeEquals("zarr.path", result.toString());
        f.assertAttributeEquals("restrict.intervals", "2");
        f.assertAttributeEquals("restrict.segments", "2");
        f.assertAttributeEquals("restrict.samples", Integer.toString(1001 + 501)); // t = 1.000..2.000 and 5.000..5.500
        f.assertAttributeEquals("restrict.empty", "false");
        f.assertAttributeEquals("restrict.normalisation", "none");
        f.assertAttributeEquals("restrict.outcome", "created");
        assertEquals(1001, json(result.resolve("traces_seg0/.zarray")).get("shape").get(0).asInt());
        assertEquals(501, json(result.resolve("traces_seg1/.zarray")).get("shape").get(0).asInt());
        assertEquals(2, json(result.resolve(".zattrs")).get("num_segments").asInt());
        assertEquals(1, runner.getProvenanceEvents().size());
        assertEquals(1502, runner.getCounterValue("Samples kept"));
    }

    @Test
    void readsOnlyChunksHoldingKeptSamples() throws IOException {
        MockFlowFile f = runOnZarr("2.1-2.2");
        long chunkBytes;
        try (Stream<Path> chunks = Files.list(zarr.resolve("traces_seg0"))) {
            // Samples 2100..2200 lie in chunk 2 (rows 2048..3071) alone.
            chunkBytes = Files.size(zarr.resolve("traces_seg0/2.0"));
            assertTrue(chunks.count() > 5);
        }
        assertEquals(chunkBytes, Long.parseLong(f.getAttribute("restrict.bytes_read")));
    }

    @Test
    void reportsPynappleNormalisation() {
        MockFlowFile f = runOnZarr("5-6, 1-2, 1.5-3, 4-4");
        f.assertAttributeEquals("restrict.intervals", "2");
        f.assertAttributeEquals("restrict.samples", Integer.toString(2001 + 1001)); // [1,3] and [5,6]
        String notes = f.getAttribute("restrict.normalisation");
        assertTrue(notes.contains("sort") && notes.contains("merg"), notes);
        assertTrue(runner.getLogger().getWarnMessages().stream().anyMatch(m -> m.getMsg().contains("normalised")));
    }

    @Test
    void intervalsEntirelyOutsideTheRecordingGiveAnEmptyResult() throws IOException {
        MockFlowFile f = runOnZarr("100-200");
        f.assertAttributeEquals("restrict.empty", "true");
        f.assertAttributeEquals("restrict.segments", "0");
        f.assertAttributeEquals("restrict.samples", "0");
        assertEquals(0, json(out.resolve("rec-restricted.zarr/.zattrs")).get("num_segments").asInt());
    }

    @Test
    void noIntervalLeftAfterNormalisationIsAnError() {
        runner.setProperty(RestrictByIntervals.INTERVALS, "3-3");
        runner.enqueue("", Map.of("zarr.path", zarr.toString()));
        runner.run();
        assertTrue(onlyFailure("invalid-config").getAttribute("memmap.error.message").contains("No interval is left"));
    }

    @Test
    void intervalsFromCsvFileWithHeader() throws IOException {
        Path csv = Files.writeString(dir.resolve("epochs.csv"), "start,end\n0,0.5\n9.5,20\n");
        runner.setProperty(RestrictByIntervals.INTERVAL_SOURCE, "file");
        runner.setProperty(RestrictByIntervals.INTERVALS_FILE, "${epochs}");
        runner.enqueue("", Map.of("zarr.path", zarr.toString(), "epochs", csv.toString()));
        runner.run();
        runner.assertAllFlowFilesTransferred(RestrictByIntervals.REL_SUCCESS, 1);
        // [0, 0.5] keeps 501 samples; [9.5, 20] keeps 9.500..9.999 = 500.
        runner.getFlowFilesForRelationship(RestrictByIntervals.REL_SUCCESS).getFirst().assertAttributeEquals("restrict.samples", "1001");
    }

    @Test
    void intervalsFromJsonContent() {
        runner.setProperty(RestrictByIntervals.INTERVAL_SOURCE, "content");
        runner.enqueue("[{\"start\": 1, \"end\": 1.009}]", Map.of("zarr.path", zarr.toString()));
        runner.run();
        runner.assertAllFlowFilesTransferred(RestrictByIntervals.REL_SUCCESS, 1);
        runner.getFlowFilesForRelationship(RestrictByIntervals.REL_SUCCESS).getFirst().assertAttributeEquals("restrict.samples", "10");
    }

    @Test
    void unparseableContentNamesLineAndColumn() {
        runner.setProperty(RestrictByIntervals.INTERVAL_SOURCE, "content");
        runner.setProperty(RestrictByIntervals.INTERVAL_FORMAT, "csv");
        runner.enqueue("0,1\n2,two\n", Map.of("zarr.path", zarr.toString()));
        runner.run();
        String message = onlyFailure("invalid-input").getAttribute("memmap.error.message");
        assertTrue(message.contains("FlowFile content") && message.contains("line 2"), message);
    }

    @Test
    void rawInputWithNeuroscopeXmlToRawOutputWithSidecar() throws IOException {
        Files.writeString(rawFile.resolveSibling("rec.xml"), "<parameters><acquisitionSystem><nChannels>3</nChannels>"
                + "<samplingRate>1000</samplingRate></acquisitionSystem></parameters>");
        runner.setProperty(RestrictByIntervals.INPUT_RECORDING, "${absolute.path}/${filename}");
        runner.setProperty(RestrictByIntervals.INTERVALS, "0.001-0.002");
        runner.setProperty(RestrictByIntervals.OUTPUT_FORMAT, "raw");
        runner.enqueue("", Map.of("absolute.path", rawFile.getParent().toString(), "filename", "rec.dat"));
        runner.run();
        runner.assertAllFlowFilesTransferred(RestrictByIntervals.REL_SUCCESS, 1);
        MockFlowFile f = runner.getFlowFilesForRelationship(RestrictByIntervals.REL_SUCCESS).getFirst();
        Path binary = out.resolve("rec-restricted.dat");
        f.assertAttributeEquals("restrict.path", binary.toString());
        f.assertAttributeEquals("restrict.sidecar", binary + ".json");
        ByteBuffer kept = ByteBuffer.wrap(Files.readAllBytes(binary)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2 * 3 * 2, kept.capacity());
        assertEquals(3, kept.getShort(0)); // sample 1, channel 0
        assertEquals(8, kept.getShort(10)); // sample 2, channel 2
        assertEquals(1000.0, json(Path.of(binary + ".json")).get("sampling_frequency").asDouble());
    }

    @Test
    void rawInputWithoutRateOrXmlIsAConfigurationError() {
        runner.setProperty(RestrictByIntervals.INPUT_RECORDING, rawFile.toString());
        runner.setProperty(RestrictByIntervals.INTERVALS, "0-1");
        runner.setProperty(RecordingProperties.CHANNELS, "3");
        runner.enqueue("");
        runner.run();
        assertTrue(onlyFailure("invalid-config").getAttribute("memmap.error.message").contains("rec.xml"));
    }

    @Test
    void missingRecordingAndUnknownLayoutAreClearErrors() throws IOException {
        runner.setProperty(RestrictByIntervals.INTERVALS, "0-1");
        runner.enqueue("", Map.of("zarr.path", dir.resolve("gone.zarr").toString()));
        runner.run();
        onlyFailure("input-not-found");

        runner.clearTransferState();
        Path notZarr = Files.createDirectory(dir.resolve("plain-dir"));
        runner.enqueue("", Map.of("zarr.path", notZarr.toString()));
        runner.run();
        assertTrue(onlyFailure("invalid-input").getAttribute("memmap.error.message").contains("not a Zarr recording"));
    }

    @Test
    void existingOutputFailsByDefault() {
        runOnZarr("0-1");
        runner.clearTransferState();
        runner.enqueue("", Map.of("zarr.path", zarr.toString()));
        runner.run();
        onlyFailure("output-exists");
    }

    @Test
    void validation() {
        runner.setProperty(RestrictByIntervals.INTERVALS, "0-1");
        runner.assertValid();
        runner.setProperty(RestrictByIntervals.INTERVALS, "1-x");
        runner.assertNotValid();
        runner.setProperty(RestrictByIntervals.INTERVALS, "${epochs}");
        runner.assertValid();
        runner.removeProperty(RestrictByIntervals.INTERVALS);
        runner.assertNotValid();
        runner.setProperty(RestrictByIntervals.INTERVAL_SOURCE, "file");
        runner.assertNotValid();
        runner.setProperty(RestrictByIntervals.INTERVALS_FILE, "/data/epochs.npz");
        runner.assertValid();
        runner.setProperty(RestrictByIntervals.INTERVAL_FORMAT, "xlsx");
        runner.assertNotValid();
    }

    @Test
    void spikeGlxRawInputKeepsNamesGainsAndItsClock() throws IOException {
        // The SpikeGLX file starts at stream sample 2000 (2 s at 1 kHz): intervals are on that clock.
        Path bin = Files.copy(rawFile, rawFile.resolveSibling("run.imec0.lf.bin"));
        Files.writeString(rawFile.resolveSibling("run.imec0.lf.meta"), "typeThis=imec\nimSampRate=1000\nnSavedChans=3\n"
                + "snsApLfSy=0,2,1\nimAiRangeMax=0.6\nimChan0apGain=500\nimChan0lfGain=250\nfirstSample=2000\n"
                + "fileSizeBytes=" + Files.size(bin) + "\n~snsChanMap=(0,2,1)(LF0;0:0)(LF1;1:1)(SY0;2:2)\n");
        runner.setProperty(RestrictByIntervals.INTERVALS, "3-3.009");
        runner.setProperty(RecordingProperties.STREAM_NAME, "");
        runner.setProperty(RestrictByIntervals.INPUT_RECORDING, "${absolute.path}/${filename}");
        runner.enqueue("", Map.of("absolute.path", bin.getParent().toString(), "filename", bin.getFileName().toString()));
        runner.run();
        runner.assertAllFlowFilesTransferred(RestrictByIntervals.REL_SUCCESS, 1);
        Path result = out.resolve("run.imec0.lf-restricted.zarr");
        assertEquals(10, json(result.resolve("traces_seg0/.zarray")).get("shape").get(0).asInt());
        ZarrGroup g = ZarrGroup.open(result);
        assertEquals("<U3", g.array("channel_ids").metadata().dtype().descriptor());
        ByteBuffer gains = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        try (ZarrArray.ChunkReader r = g.array("properties/gain_to_uV").chunkReader()) {
            assertTrue(r.read(new long[] {0}, gains.array()));
        }
        double lf = 0.6 / 512 / 250 * 1e6;
        assertEquals(lf, gains.getDouble(0), 1e-12);
        assertEquals(lf, gains.getDouble(8), 1e-12);
        assertEquals(1.0, gains.getDouble(16));
        ByteBuffer first = ByteBuffer.allocate(3 * 2 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        try (ZarrArray.ChunkReader r = g.array("traces_seg0").chunkReader()) {
            assertTrue(r.read(new long[] {0, 0}, first.array()));
        }
        assertEquals((short) (1000 * 3), first.getShort(0)); // sample 1000 of the file is at 2 + 1000 / 1000 = 3 s
    }

    /** The same recording as setUp's, as Zarr v3 in shards of 4 chunks of 1024 samples. */
    private Path v3Recording() {
        Path v3 = dir.resolve("raw/rec-v3.zarr");
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            new EegConverter(pool, 2).convert(new EegConversionRequest(rawFile, v3, 3, 1000.0, SampleType.INT16,
                    ByteOrder.LITTLE_ENDIAN, 0, 1024, Compression.ZSTD, -1, ConflictStrategy.FAIL).asV3(4096));
        } finally {
            pool.shutdownNow();
        }
        return v3;
    }

    @Test
    void restrictsAShardedV3RecordingReadingOnlyTheChunksNeeded() throws IOException {
        Path v3 = v3Recording();
        runner.setProperty(RestrictByIntervals.INTERVALS, "2.1-2.2");
        runner.enqueue("", Map.of("zarr.path", v3.toString()));
        runner.run();
        runner.assertAllFlowFilesTransferred(RestrictByIntervals.REL_SUCCESS, 1);
        MockFlowFile f = runner.getFlowFilesForRelationship(RestrictByIntervals.REL_SUCCESS).getFirst();
        f.assertAttributeEquals("zarr.format", "v3");
        Path result = out.resolve("rec-v3-restricted.zarr");
        assertEquals(101, json(result.resolve("traces_seg0/zarr.json")).get("shape").get(0).asInt());
        // Samples 2100..2200 lie in chunk 2 of shard 0: its bytes and the shard's index (4 entries + crc32c) are read.
        long shard = Files.size(v3.resolve("traces_seg0/c/0/0"));
        long read = Long.parseLong(f.getAttribute("restrict.bytes_read"));
        assertTrue(read > 4 * 16 + 4 && read < shard / 2, read + " of a shard of " + shard);
    }

    @Test
    void writesV3InShardsFromAV2Recording() throws IOException {
        runner.setProperty(RestrictByIntervals.ZARR_FORMAT, "v3");
        runner.setProperty(RestrictByIntervals.CHUNK_SIZE, "500");
        runner.setProperty(RestrictByIntervals.SHARD_SIZE, "2000");
        MockFlowFile f = runOnZarr("1-7");
        f.assertAttributeEquals("zarr.format", "v3");
        Path result = out.resolve("rec-restricted.zarr");
        JsonNode traces = json(result.resolve("traces_seg0/zarr.json"));
        assertEquals(6001, traces.get("shape").get(0).asInt());
        assertEquals("[2000,3]", traces.get("chunk_grid").get("configuration").get("chunk_shape").toString());
        assertEquals("sharding_indexed", traces.get("codecs").get(0).get("name").asText());
        try (Stream<Path> shards = Files.list(result.resolve("traces_seg0/c"))) {
            assertEquals(4, shards.count(), "6001 samples in shards of 2000");
        }
        assertEquals("v3", "v" + json(result.resolve("channel_ids/zarr.json")).get("zarr_format").asInt());
    }

    @Test
    void zarrFormatAndShardSizeValidation() {
        runner.setProperty(RestrictByIntervals.INTERVALS, "0-1");
        runner.setProperty(RestrictByIntervals.ZARR_FORMAT, "v3");
        runner.setProperty(RestrictByIntervals.CHUNK_SIZE, "1000");
        runner.setProperty(RestrictByIntervals.SHARD_SIZE, "1500");
        runner.assertNotValid();
        runner.setProperty(RestrictByIntervals.SHARD_SIZE, "4000");
        runner.assertValid();
        runner.setProperty(RestrictByIntervals.ZARR_FORMAT, "v3.1");
        runner.assertNotValid();
    }

    @Test
    void shardsOfAChunkingTheyDoNotTileFailTheFlowFile() {
        // Chunk Size empty: the source's chunks (1024 samples) are kept, which 1000 does not tile.
        runner.setProperty(RestrictByIntervals.ZARR_FORMAT, "v3");
        runner.setProperty(RestrictByIntervals.SHARD_SIZE, "1000");
        runner.setProperty(RestrictByIntervals.INTERVALS, "1-2");
        runner.enqueue("", Map.of("zarr.path", zarr.toString()));
        runner.run();
        MockFlowFile f = onlyFailure("invalid-config");
        assertTrue(f.getAttribute("memmap.error.message").contains("not a multiple of the chunk size 1024"), f.getAttribute("memmap.error.message"));
    }
}
