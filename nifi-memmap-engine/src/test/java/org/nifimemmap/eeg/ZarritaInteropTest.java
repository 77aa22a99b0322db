package org.nifimemmap.eeg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nifimemmap.zarr.Compression;
import org.nifimemmap.zarr.Zarrita;

/** Zarr v3 stores of ConvertEegToZarr read by zarrita (zarrita.js under Node), compared value by value. */
class ZarritaInteropTest {
    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @ParameterizedTest(name = "{0}, shards of {2} samples")
    @CsvSource({"ZSTD, 1000, 4000", "BLOSC_LZ4, 1000, 4000", "GZIP, 1000, 3000", "NONE, 1000, 4000", "ZSTD, 1000, 0", "BLOSC_LZ4, 700, 0"})
    void zarritaReadsEverySample(Compression compression, int chunk, int shard) throws IOException {
        Zarrita.assumeAvailable();
        // 10,007 samples: the last chunk is partial and, sharded, the last shard lacks chunks past the end.
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 10_007, 5);
        Path store = dir.resolve("rec.zarr");
        new EegConverter(pool, 3).convert(Recordings.request(raw, store, 5, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, chunk,
                compression).asV3(shard));
        Map<String, Object> read = Zarrita.read(store, "traces_seg0", "channel_ids", "t_starts");
        Zarrita.Read traces = (Zarrita.Read) read.get("traces_seg0");
        assertEquals("int16", traces.dtype());
        assertEquals(List.of(10_007L, 5L), traces.shape());
        ByteBuffer samples = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        JsonNode values = traces.values();
        assertEquals(10_007 * 5, values.size());
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).asInt() != samples.getShort(2 * i)) {
                throw new AssertionError("value " + i + " (sample " + i / 5 + ", channel " + i % 5 + "): zarrita read "
                        + values.get(i) + ", the recording holds " + samples.getShort(2 * i));
            }
        }
        assertEquals("[\"0\",\"1\",\"2\",\"3\",\"4\"]", ((Zarrita.Read) read.get("channel_ids")).values().toString());
        assertEquals(0.0, ((Zarrita.Read) read.get("t_starts")).values().get(0).asDouble());
        assertEquals(20000.0, ((JsonNode) read.get("/")).get("sampling_frequency").asDouble());
    }

    @Test
    void zarritaReadsChannelNamesAndGainsOfALabRecording() throws IOException {
        Zarrita.assumeAvailable();
        Path bin = LabRecordings.spikeGlxImec(dir);
        Path store = dir.resolve("imec.zarr");
        new EegConverter(pool, 3).convert(RecordingFormatsTest.request(bin, store, RecordingFormat.AUTO, null).asV3(500));
        Map<String, Object> read = Zarrita.read(store, "channel_ids", "properties/channel_name", "properties/gain_to_uV", "t_starts");
        assertEquals("[\"AP0\",\"AP1\",\"AP2\",\"AP3\",\"SY0\"]", ((Zarrita.Read) read.get("channel_ids")).values().toString());
        assertEquals("[\"AP0\",\"AP1\",\"AP2\",\"AP3\",\"SY0\"]", ((Zarrita.Read) read.get("properties/channel_name")).values().toString());
        JsonNode gains = ((Zarrita.Read) read.get("properties/gain_to_uV")).values();
        assertEquals(LabRecordings.NP1_AP500_UV, gains.get(0).asDouble(), 1e-12);
        assertEquals(LabRecordings.NP1_AP500_UV / 2, gains.get(2).asDouble(), 1e-12);
        assertEquals(300 / 30000.0, ((Zarrita.Read) read.get("t_starts")).values().get(0).asDouble(), 1e-12);
    }
}
