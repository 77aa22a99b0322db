package org.nifimemmap.eeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.zarr.Compression;
import org.nifimemmap.zarr.ZarrArray;
import org.nifimemmap.zarr.ZarrGroup;

/** SpikeGLX, Open Ephys and Neuroscope recordings converted with their metadata: every stored value checked. */
class RecordingFormatsTest {
    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final EegConverter converter = new EegConverter(pool, 4);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void spikeGlxImecNamesGainsAndStart() throws IOException {
        Path bin = LabRecordings.spikeGlxImec(dir);
        Path store = dir.resolve("ap.zarr");
        EegConversionResult r = converter.convert(request(bin, store, RecordingFormat.AUTO, null));
        assertEquals(RecordingFormat.SPIKEGLX, r.format());
        assertEquals(5, r.channels());
        assertEquals(30000.0, r.samplingRate());
        assertEquals(LabRecordings.SAMPLES, r.samples());
        assertEquals(null, r.gainToUv());
        ZarrGroup g = ZarrGroup.open(store);
        assertEquals(List.of("AP0", "AP1", "AP2", "AP3", "SY0"), strings(g.array("channel_ids")));
        assertEquals(List.of("AP0", "AP1", "AP2", "AP3", "SY0"), strings(g.array("properties/channel_name")));
        double ap500 = LabRecordings.NP1_AP500_UV;
        assertArrayEquals(new double[] {ap500, ap500, ap500 / 2, ap500, 1.0}, doubles(g.array("properties/gain_to_uV")), 1e-12);
        assertArrayEquals(new double[5], doubles(g.array("properties/offset_to_uV")));
        assertArrayEquals(new double[] {300 / 30000.0}, doubles(g.array("t_starts")));
        assertFalse(g.hasArray("properties/group"));
        JsonNode source = g.attributes().path("nifi_memmap").path("source");
        assertEquals("spikeglx", source.path("format").asText());
        assertEquals(dir.resolve("run_g0_t0.imec0.ap.meta").toString(), source.path("metadata_file").asText());
        assertArrayEquals(Files.readAllBytes(bin), EegConverterTest.traces(store));
    }

    @Test
    void spikeGlxSavedSubsetMapsToAcquiredChannels() throws IOException {
        Path bin = Recordings.write(dir.resolve("sub.imec0.ap.bin"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 10, 3);
        Files.writeString(dir.resolve("sub.imec0.ap.meta"), "imSampRate=30000\nnSavedChans=3\nsnsApLfSy=4,0,1\nimAiRangeMax=0.6\n"
                + "fileSizeBytes=60\nsnsSaveChanSubset=2:3,4\n~imroTbl=(0,4)(0 0 0 500 250 1)(1 0 0 500 250 1)(2 0 0 1000 250 1)(3 0 0 50 250 1)\n"
                + "~snsChanMap=(4,0,1)(AP2;2:0)(AP3;3:1)(SY0;4:2)\n");
        Path store = dir.resolve("sub.zarr");
        converter.convert(request(bin, store, RecordingFormat.SPIKEGLX, null));
        ZarrGroup g = ZarrGroup.open(store);
        double perStep = 0.6 / 512 * 1e6;
        assertArrayEquals(new double[] {perStep / 1000, perStep / 50, 1.0}, doubles(g.array("properties/gain_to_uV")), 1e-12);
        assertEquals(List.of("AP2", "AP3", "SY0"), strings(g.array("channel_ids")));
    }

    @Test
    void spikeGlxNidqGains() throws IOException {
        Path bin = LabRecordings.spikeGlxNidq(dir);
        Path store = dir.resolve("ni.zarr");
        EegConversionResult r = converter.convert(request(bin, store, RecordingFormat.AUTO, null));
        assertEquals(25000.0, r.samplingRate());
        ZarrGroup g = ZarrGroup.open(store);
        double step = 5.0 / 32768 * 1e6;
        assertArrayEquals(new double[] {step / 2, step / 2, step, 1.0}, doubles(g.array("properties/gain_to_uV")), 1e-9);
        assertEquals(List.of("MA0", "MA1", "XA0", "XD0"), strings(g.array("channel_ids")));
        assertArrayEquals(new double[] {0.0}, doubles(g.array("t_starts")));
    }

    @Test
    void spikeGlxErrorsNameTheFileAndKey() throws IOException {
        Path bin = LabRecordings.spikeGlxImec(dir);
        Path meta = dir.resolve("run_g0_t0.imec0.ap.meta");
        String good = Files.readString(meta);
        Files.writeString(meta, good.replace("imSampRate=30000", "imSampRate=fast"));
        MemmapException e = assertThrows(MemmapException.class, () -> converter.convert(request(bin, dir.resolve("a.zarr"), RecordingFormat.AUTO, null)));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(meta.toString()) && e.getMessage().contains("imSampRate"), e.getMessage());
        Files.writeString(meta, good.replace("fileSizeBytes=", "fileSizeBytes=1"));
        e = assertThrows(MemmapException.class, () -> converter.convert(request(bin, dir.resolve("b.zarr"), RecordingFormat.AUTO, null)));
        assertTrue(e.getMessage().contains("fileSizeBytes"), e.getMessage());
        Files.writeString(meta, good.replace("nSavedChans=5\n", ""));
        e = assertThrows(MemmapException.class, () -> converter.convert(request(bin, dir.resolve("c.zarr"), RecordingFormat.AUTO, null)));
        assertTrue(e.getMessage().contains("nSavedChans is missing"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("a.zarr")) || Files.exists(dir.resolve("b.zarr")) || Files.exists(dir.resolve("c.zarr")));
    }

    @Test
    void openEphysStreamFromItsDataFile() throws IOException {
        Path oebin = LabRecordings.openEphys(dir);
        Path dat = oebin.resolveSibling("continuous/Rhythm-100.A/continuous.dat");
        Path store = dir.resolve("a.zarr");
        EegConversionResult r = converter.convert(request(dat, store, RecordingFormat.AUTO, null));
        assertEquals(RecordingFormat.OPENEPHYS, r.format());
        assertEquals(3, r.channels());
        assertEquals(30000.0, r.samplingRate());
        ZarrGroup g = ZarrGroup.open(store);
        assertEquals(List.of("CH1", "CH2", "ADC1"), strings(g.array("channel_ids")));
        assertArrayEquals(new double[] {0.195, 0.195, 150.0}, doubles(g.array("properties/gain_to_uV")), 1e-12);
        assertArrayEquals(new double[3], doubles(g.array("properties/offset_to_uV")));
        assertArrayEquals(new double[] {6000 / 30000.0}, doubles(g.array("t_starts")));
        assertArrayEquals(Files.readAllBytes(dat), EegConverterTest.traces(store));
    }

    @Test
    void openEphysStreamNamedInTheStructureFile() throws IOException {
        Path oebin = LabRecordings.openEphys(dir);
        Path store = dir.resolve("b.zarr");
        EegConversionResult r = converter.convert(request(oebin, store, RecordingFormat.AUTO, "Rhythm-100.B/"));
        assertEquals(1000.0, r.samplingRate());
        assertEquals(50.0, r.gainToUv(), 1e-12);
        ZarrGroup g = ZarrGroup.open(store);
        assertEquals(List.of("LFP1", "LFP2"), strings(g.array("channel_ids")));
        assertArrayEquals(new double[] {0.0}, doubles(g.array("t_starts")));
        MemmapException e = assertThrows(MemmapException.class, () -> converter.convert(request(oebin, dir.resolve("x.zarr"), RecordingFormat.AUTO, null)));
        assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
        assertTrue(e.getMessage().contains("Rhythm-100.A") && e.getMessage().contains("Rhythm-100.B"), e.getMessage());
        e = assertThrows(MemmapException.class, () -> converter.convert(request(oebin, dir.resolve("x.zarr"), RecordingFormat.OPENEPHYS, "C")));
        assertTrue(e.getMessage().contains("no continuous stream 'C'"), e.getMessage());
    }

    @Test
    void openEphysErrorsNameTheKey() throws IOException {
        Path oebin = LabRecordings.openEphys(dir);
        Files.writeString(oebin, Files.readString(oebin).replace("\"units\": \"mV\"", "\"units\": \"furlongs\""));
        MemmapException e = assertThrows(MemmapException.class, () -> converter.convert(request(oebin, dir.resolve("x.zarr"), RecordingFormat.AUTO, "Rhythm-100.A")));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(oebin.toString()) && e.getMessage().contains("continuous[1].channels[0].units"), e.getMessage());
    }

    @Test
    void neuroscopeGroupsSkipsAndGain() throws IOException {
        Path dat = LabRecordings.neuroscope(dir);
        Path store = dir.resolve("s.zarr");
        EegConversionResult r = converter.convert(request(dat, store, RecordingFormat.AUTO, null));
        assertEquals(RecordingFormat.NEUROSCOPE, r.format());
        double gain = 20.0 / 65536 / 1000 * 1e6;
        assertEquals(gain, r.gainToUv(), 1e-15);
        ZarrGroup g = ZarrGroup.open(store);
        assertArrayEquals(new double[] {gain, gain, gain, gain}, doubles(g.array("properties/gain_to_uV")));
        assertArrayEquals(new double[4], doubles(g.array("properties/offset_to_uV")));
        assertArrayEquals(new long[] {0, 0, -1, 1}, longs(g.array("properties/group")));
        assertArrayEquals(new byte[] {1, 0, 0, 0}, bytes(g.array("properties/skipped")));
        assertArrayEquals(new long[] {0, 1, 2, 3}, longs(g.array("channel_ids")));
        assertFalse(g.hasArray("properties/channel_name"));
    }

    @Test
    void rawIgnoresMetadataBesideIt() throws IOException {
        Path dat = LabRecordings.neuroscope(dir);
        Path store = dir.resolve("raw.zarr");
        EegConversionResult r = converter.convert(new EegConversionRequest(dat, store, 4, 1000.0, SampleType.INT16, ByteOrder.LITTLE_ENDIAN,
                0, 0, Compression.ZSTD, -1, ConflictStrategy.FAIL, RecordingFormat.RAW, null));
        assertEquals(RecordingFormat.RAW, r.format());
        assertFalse(Files.exists(store.resolve("properties")));
    }

    @Test
    void channelCountContradictingTheMetadataIsAConfigError() throws IOException {
        Path bin = LabRecordings.spikeGlxNidq(dir);
        MemmapException e = assertThrows(MemmapException.class, () -> converter.convert(new EegConversionRequest(bin, dir.resolve("x.zarr"),
                2, null, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD, -1, ConflictStrategy.FAIL,
                RecordingFormat.AUTO, null)));
        assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
        assertTrue(e.getMessage().contains("4 channels"), e.getMessage());
    }

    static EegConversionRequest request(Path input, Path store, RecordingFormat format, String stream) {
        return new EegConversionRequest(input, store, null, null, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0, Compression.ZSTD, -1,
                ConflictStrategy.FAIL, format, stream);
    }

    private static byte[] bytes(ZarrArray a) {
        byte[] dst = new byte[a.metadata().chunkBytes()];
        try (ZarrArray.ChunkReader reader = a.chunkReader()) {
            assertTrue(reader.read(new long[] {0}, dst));
        }
        return dst;
    }

    private static double[] doubles(ZarrArray a) {
        ByteBuffer b = ByteBuffer.wrap(bytes(a)).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[(int) a.metadata().shape()[0]];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getDouble(i * 8);
        }
        return v;
    }

    private static long[] longs(ZarrArray a) {
        ByteBuffer b = ByteBuffer.wrap(bytes(a)).order(ByteOrder.LITTLE_ENDIAN);
        long[] v = new long[(int) a.metadata().shape()[0]];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getLong(i * 8);
        }
        return v;
    }

    private static List<String> strings(ZarrArray a) {
        int size = a.metadata().dtype().size();
        byte[] all = bytes(a);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.metadata().shape()[0]; i++) {
            out.add(new String(all, i * size, size, Charset.forName("UTF-32LE")).replace("\0", ""));
        }
        return out;
    }
}
