package org.nifimemmap.restrict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.eeg.SampleType;
import org.nifimemmap.intervals.IntervalFormat;
import org.nifimemmap.intervals.IntervalParser;
import org.nifimemmap.intervals.IntervalSet;
import org.nifimemmap.intervals.SystemPython;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.zarr.Compression;

class RestrictEngineTest {
    private static ExecutorService pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    /**
     * A SpikeInterface-layout recording written by zarr-python: 8 int16 channels at 1000.5 Hz, two segments
     * (t_starts 0.25 and NaN, i.e. 0), shuffle+zstd chunks of (chunkRows, chunkCols), channel ids and a property.
     */
    private Path zarrRecording(String name, int chunkRows, int chunkCols) throws Exception {
        Path store = dir.resolve(name);
        SystemPython.run("""
                import sys, numpy as np, zarr, numcodecs
                path, cr, cc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
                g = zarr.open_group(path, mode='w')
                g.attrs['sampling_frequency'] = 1000.5
                g.attrs['num_segments'] = 2
                g.attrs['annotations'] = {'probe': 'A'}
                rng = np.random.default_rng(3)
                for i, n in enumerate([10000, 3007]):
                    a = g.create_dataset('traces_seg%d' % i, shape=(n, 8), chunks=(cr, cc), dtype='<i2',
                                         compressor=numcodecs.Zstd(level=3), filters=[numcodecs.Shuffle(elementsize=2)])
                    a[:] = rng.integers(-3000, 3000, size=(n, 8), dtype=np.int16)
                    a.attrs['_ARRAY_DIMENSIONS'] = ['time_seg%d' % i, 'channel']
                t = g.create_dataset('t_starts', data=np.array([0.25, np.nan]), dtype='<f8')
                g.create_dataset('channel_ids', data=np.array(['ch%d' % c for c in range(8)]))
                g.create_dataset('properties/gain', data=np.full(8, 0.195))
                """, "", store.toString(), Integer.toString(chunkRows), Integer.toString(chunkCols));
        return store;
    }

    private static final String CHECK_ZARR_OUTPUT = """
            import sys, numpy as np, zarr
            src, out = sys.argv[1], sys.argv[2]
            g = zarr.open_group(out, mode='r')
            o = zarr.open(src, mode='r')
            if isinstance(o, zarr.hierarchy.Group):
                segs = [o['traces_seg%d' % i] for i in range(o.attrs['num_segments'])]
                fs = o.attrs['sampling_frequency']
                t0s = np.nan_to_num(o['t_starts'][:], nan=0.0) if 't_starts' in o else np.zeros(len(segs))
            else:
                segs, fs, t0s = [o], float(sys.argv[3]), [float(sys.argv[4])]
            sup = g.attrs['time_support']
            s, e = np.array(sup['start']), np.array(sup['end'])
            k = total = 0
            for si, a in enumerate(segs):
                t = np.round(np.arange(a.shape[0]) / fs + t0s[si], 9)   # pynapple's Tsd timestamps
                lo, hi = np.searchsorted(t, s, 'left'), np.searchsorted(t, e, 'right')
                data = a[:]
                for x, y in zip(lo, hi):
                    if y > x:
                        got = g['traces_seg%d' % k][:]
                        assert got.dtype == data.dtype, (got.dtype, data.dtype)
                        assert np.array_equal(got, data[x:y]), 'segment %d differs' % k
                        assert g['t_starts'][k] == t[x], (g['t_starts'][k], t[x])
                        k += 1; total += y - x
            assert k == g.attrs['num_segments'], (k, g.attrs['num_segments'])
            assert g.attrs['sampling_frequency'] == fs
            print(k, total)
            """;

    private RestrictRequest zarrRequest(Path input, String intervals, Path output) {
        return new RestrictRequest(input, RestrictRequest.InputKind.detect(input), null, null,
                IntervalParser.parse(intervals, IntervalFormat.TEXT), output, RestrictRequest.OutputFormat.ZARR,
                null, -1, 0, ConflictStrategy.FAIL);
    }

    @Test
    void zarrPythonReadsEveryKeptSampleEqualToTheSource() throws Exception {
        Path src = zarrRecording("rec.zarr", 700, 8);
        // unsorted, overlapping, touching, zero-length, negative and beyond-the-end intervals together
        String intervals = "2.0-2.5, 0.1-0.3, 0.2-0.6, 0.6-0.9, 1.5-1.5, -1-0.26, 9.99-20, 3.0 3.0004";
        Path out = dir.resolve("out.zarr");
        RestrictResult r = RestrictEngine.restrict(zarrRequest(src, intervals, out), pool);
        String[] check = SystemPython.run(CHECK_ZARR_OUTPUT, "", src.toString(), out.toString()).strip().split(" ");
        assertEquals(Integer.parseInt(check[0]), r.intervalsKept());
        assertEquals(Long.parseLong(check[1]), r.samplesKept());
        assertFalse(r.empty());
        assertTrue(r.notes().contains("merged 2 overlapping"), r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("separated")), r.notes().toString());
        SystemPython.run("""
                import sys, zarr, numpy as np
                g = zarr.open_group(sys.argv[1], mode='r')
                assert list(g['channel_ids'][:]) == ['ch%d' % c for c in range(8)]
                assert np.allclose(g['properties/gain'][:], 0.195)
                assert g.attrs['annotations'] == {'probe': 'A'}
                a = g['traces_seg0']
                assert a.chunks[0] <= 700 and a.compressor.codec_id == 'zstd' and a.filters[0].codec_id == 'shuffle', (a.chunks, a.compressor, a.filters)
                assert a.attrs['_ARRAY_DIMENSIONS'] == ['time_seg0', 'channel']
                """, "", out.toString());
    }

    @Test
    void columnChunkedSourceAndCompressionOverride() throws Exception {
        Path src = zarrRecording("cols.zarr", 512, 3);
        Path out = dir.resolve("cols-out.zarr");
        RestrictRequest req = new RestrictRequest(src, RestrictRequest.InputKind.ZARR_RECORDING, null, null,
                IntervalParser.parse("0.3-1.7; 4 6; 8.5 9.2", IntervalFormat.TEXT), out, RestrictRequest.OutputFormat.ZARR,
                Compression.GZIP, 5, 300, ConflictStrategy.FAIL);
        RestrictResult r = RestrictEngine.restrict(req, pool);
        SystemPython.run(CHECK_ZARR_OUTPUT, "", src.toString(), out.toString());
        SystemPython.run("""
                import sys, zarr
                a = zarr.open_group(sys.argv[1], mode='r')['traces_seg0']
                assert a.chunks == (300, 3) and a.compressor.codec_id == 'gzip', (a.chunks, a.compressor)
                """, "", out.toString());
        // segment 0 (0.25 s to 10.24 s) keeps all three intervals, segment 1 (0 to 3.004 s) only the first
        assertEquals(4, r.intervalsKept());
    }

    @Test
    void aSmallWindowReadsOnlyTheChunksHoldingIt() throws Exception {
        Path src = zarrRecording("window.zarr", 500, 8);
        Path out = dir.resolve("window-out.zarr");
        // segment 0 starts at 0.25 s: 4.0-4.2 s are samples 3752..3952, chunk rows 7 (3500-3999) only;
        // segment 1 (t0 0, 3007 samples) keeps samples 4002.. none: 4 s lies past its end (3.005 s)
        RestrictResult r = RestrictEngine.restrict(zarrRequest(src, "4.0-4.2", out), pool);
        long expected = Files.size(src.resolve("traces_seg0").resolve("7.0"));
        assertEquals(expected, r.bytesRead());
        assertEquals(1, r.intervalsKept());
        // widening across a chunk border reads exactly the two chunks
        Path out2 = dir.resolve("window-out2.zarr");
        RestrictResult r2 = RestrictEngine.restrict(zarrRequest(src, "4.0-4.5", out2), pool);
        assertEquals(expected + Files.size(src.resolve("traces_seg0").resolve("8.0")), r2.bytesRead());
        SystemPython.run(CHECK_ZARR_OUTPUT, "", src.toString(), out2.toString());
    }

    @Test
    void intervalsOutsideTheRecordingGiveAValidEmptyResult() throws Exception {
        Path src = zarrRecording("empty.zarr", 1000, 8);
        Path out = dir.resolve("empty-out.zarr");
        RestrictResult r = RestrictEngine.restrict(zarrRequest(src, "100-200, -5--1", out), pool);
        assertTrue(r.empty());
        assertEquals(0, r.samplesKept());
        assertEquals(0, r.bytesRead());
        SystemPython.run("""
                import sys, zarr
                g = zarr.open_group(sys.argv[1], mode='r')
                assert g.attrs['num_segments'] == 0 and g['t_starts'].shape == (0,)
                assert g.attrs['time_support'] == {'start': [-5.0, 100.0], 'end': [-1.0, 200.0]}, g.attrs['time_support']
                """, "", out.toString());
    }

    @Test
    void parallelAndInlineRunsWriteIdenticalChunks() throws Exception {
        Path src = zarrRecording("par.zarr", 333, 8);
        Path a = dir.resolve("a.zarr");
        Path b = dir.resolve("b.zarr");
        RestrictEngine.restrict(zarrRequest(src, "0.3-5.1, 6-9", a), pool);
        RestrictEngine.restrict(zarrRequest(src, "0.3-5.1, 6-9", b), null);
        try (Stream<Path> files = Files.walk(a)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(a.relativize(f).toString())), f.toString());
            }
        }
    }

    @Test
    void rawRecordingToZarrAndToRaw() throws Exception {
        int channels = 5;
        int frames = 40_000;
        Path raw = dir.resolve("session.dat");
        ByteBuffer buf = ByteBuffer.allocate(16 + frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[16]);
        for (int i = 0; i < frames * channels; i++) {
            buf.putShort((short) (i * 7919));
        }
        Files.write(raw, buf.array());
        RestrictRequest.RawInput layout = new RestrictRequest.RawInput(channels, 20000, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 16, 1.5);
        IntervalSet intervals = IntervalParser.parse("1.5-1.6, 2.0 2.0001, 2.5-9", IntervalFormat.TEXT);

        Path zarrOut = dir.resolve("session.zarr");
        RestrictResult z = RestrictEngine.restrict(new RestrictRequest(raw, RestrictRequest.InputKind.RAW, layout, null, intervals,
                zarrOut, RestrictRequest.OutputFormat.ZARR, null, -1, 0, ConflictStrategy.FAIL), pool);
        Path rawOut = dir.resolve("kept.dat");
        RestrictResult r = RestrictEngine.restrict(new RestrictRequest(raw, RestrictRequest.InputKind.RAW, layout, null, intervals,
                rawOut, RestrictRequest.OutputFormat.RAW, null, -1, 0, ConflictStrategy.FAIL), pool);
        assertEquals(z.samplesKept(), r.samplesKept());
        assertEquals(r.samplesKept() * channels * 2, r.bytesRead());
        String out = SystemPython.run("""
                import sys, json, numpy as np, zarr
                raw, zout, rout = sys.argv[1:4]
                src = np.memmap(raw, dtype='<i2', mode='r', offset=16).reshape(-1, 5)
                t = np.round(np.arange(src.shape[0]) / 20000.0 + 1.5, 9)
                side = json.load(open(rout + '.json'))
                kept = np.fromfile(rout, dtype=side['dtype']).reshape(-1, side['num_channels'])
                g = zarr.open_group(zout, mode='r')
                s, e = np.array(side['time_support']['start']), np.array(side['time_support']['end'])
                lo, hi = np.searchsorted(t, s, 'left'), np.searchsorted(t, e, 'right')
                k = 0
                for x, y in zip(lo, hi):
                    if y > x:
                        seg = side['segments'][k]
                        assert seg['source_first_sample'] == x and seg['num_samples'] == y - x, (seg, x, y)
                        f = seg['first_sample']
                        assert np.array_equal(kept[f:f + y - x], src[x:y])
                        assert np.array_equal(g['traces_seg%d' % k][:], src[x:y])
                        k += 1
                assert k == side['num_segments'] == g.attrs['num_segments']
                assert kept.shape[0] == side['num_samples']
                print(k)
                """, "", raw.toString(), zarrOut.toString(), rawOut.toString());
        assertEquals(3, Integer.parseInt(out.strip()));
    }

    @Test
    void zarrArrayInputTakesTheRateFromAttributesOrTheRequest() throws Exception {
        Path arr = dir.resolve("lfp.zarr");
        SystemPython.run("""
                import sys, numpy as np, zarr
                a = zarr.open_array(sys.argv[1], mode='w', shape=(5000, 4), chunks=(640, 4), dtype='<f4')
                a[:] = np.arange(20000, dtype='<f4').reshape(5000, 4)
                a.attrs['sampling_frequency'] = 1250.0
                """, "", arr.toString());
        Path out = dir.resolve("lfp-out.zarr");
        RestrictRequest req = zarrRequest(arr, "1-2", out);
        assertEquals(RestrictRequest.InputKind.ZARR_ARRAY, req.inputKind());
        RestrictResult r = RestrictEngine.restrict(req, pool);
        assertEquals(1251, r.samplesKept());
        SystemPython.run(CHECK_ZARR_OUTPUT, "", arr.toString(), out.toString(), "1250.0", "0.0");
        SystemPython.run("""
                import sys, zarr
                g = zarr.open_group(sys.argv[1], mode='r')
                assert list(g['channel_ids'][:]) == [0, 1, 2, 3]
                """, "", out.toString());

        Path noRate = dir.resolve("norate.zarr");
        SystemPython.run("import sys, zarr; zarr.open_array(sys.argv[1], mode='w', shape=(10, 2), chunks=(5, 2), dtype='<i2')",
                "", noRate.toString());
        MemmapException e = assertThrows(MemmapException.class,
                () -> RestrictEngine.restrict(zarrRequest(noRate, "0-1", dir.resolve("x.zarr")), pool));
        assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
        RestrictResult given = RestrictEngine.restrict(new RestrictRequest(noRate, RestrictRequest.InputKind.ZARR_ARRAY, null, 10.0,
                IntervalParser.parse("0.2-0.5", IntervalFormat.TEXT), dir.resolve("y.zarr"), RestrictRequest.OutputFormat.ZARR,
                null, -1, 0, ConflictStrategy.FAIL), pool);
        assertEquals(4, given.samplesKept());
    }

    @Test
    void conflictStrategiesAndInputProtection() throws Exception {
        Path src = zarrRecording("conflict.zarr", 1000, 8);
        Path out = dir.resolve("c-out.zarr");
        RestrictEngine.restrict(zarrRequest(src, "1-2", out), pool);
        MemmapException exists = assertThrows(MemmapException.class, () -> RestrictEngine.restrict(zarrRequest(src, "1-2", out), pool));
        assertEquals(ErrorKind.OUTPUT_EXISTS, exists.kind());
        RestrictRequest ignore = new RestrictRequest(src, RestrictRequest.InputKind.ZARR_RECORDING, null, null,
                IntervalParser.parse("3-4", IntervalFormat.TEXT), out, RestrictRequest.OutputFormat.ZARR, null, -1, 0, ConflictStrategy.IGNORE);
        assertTrue(RestrictEngine.restrict(ignore, pool).skipped());
        RestrictRequest replace = new RestrictRequest(src, RestrictRequest.InputKind.ZARR_RECORDING, null, null,
                IntervalParser.parse("3-4", IntervalFormat.TEXT), out, RestrictRequest.OutputFormat.ZARR, null, -1, 0, ConflictStrategy.REPLACE);
        RestrictEngine.restrict(replace, pool);
        SystemPython.run(CHECK_ZARR_OUTPUT, "", src.toString(), out.toString());
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(List.of(), siblings.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temporaries left");
        }
        MemmapException inside = assertThrows(MemmapException.class,
                () -> RestrictEngine.restrict(zarrRequest(src, "1-2", src.resolve("sub.zarr")), pool));
        assertEquals(ErrorKind.INVALID_CONFIG, inside.kind());
    }

    @Test
    void corruptChunkFailsNamingTheFileAndLeavesNoOutput() throws Exception {
        Path src = zarrRecording("corrupt.zarr", 1000, 8);
        Files.write(src.resolve("traces_seg0").resolve("2.0"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Path out = dir.resolve("corrupt-out.zarr");
        MemmapException e = assertThrows(MemmapException.class, () -> RestrictEngine.restrict(zarrRequest(src, "1-3", out), pool));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("traces_seg0/2.0"), e.getMessage());
        assertFalse(Files.exists(out));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(List.of(), siblings.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temporaries left");
        }
    }

    @Test
    void aShutDownPoolFailsFastWithoutHangingOrLeavingTemporaries() throws Exception {
        Path src = zarrRecording("shut.zarr", 1000, 8);
        ExecutorService stopped = Executors.newFixedThreadPool(1);
        stopped.shutdown();
        assertThrows(java.util.concurrent.RejectedExecutionException.class,
                () -> RestrictEngine.restrict(zarrRequest(src, "1-3", dir.resolve("shut-out.zarr")), stopped));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(List.of(), siblings.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temporaries left");
        }
    }

    @Test
    void rawReadsAcrossTheOneGibibyteMappingWindowBorder() throws Exception {
        // A sparse 1 GiB + 4 KiB file of one int16 channel; frames 2^29 - 4 .. 2^29 + 3 straddle the window border.
        Path raw = dir.resolve("big.dat");
        long border = 1L << 30;
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(border + 4096);
            f.seek(border - 8);
            for (int i = 0; i < 16; i++) {
                f.write(i + 1);
            }
        }
        RestrictRequest.RawInput layout = new RestrictRequest.RawInput(1, 1000, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0);
        long first = (border >> 1) - 4;
        IntervalSet window = IntervalSet.of(new double[] {first / 1000.0}, new double[] {(first + 7) / 1000.0});
        Path out = dir.resolve("border.dat");
        RestrictResult r = RestrictEngine.restrict(new RestrictRequest(raw, RestrictRequest.InputKind.RAW, layout, null, window,
                out, RestrictRequest.OutputFormat.RAW, null, -1, 0, ConflictStrategy.FAIL), pool);
        assertEquals(8, r.samplesKept());
        byte[] expected = new byte[16];
        for (int i = 0; i < 16; i++) {
            expected[i] = (byte) (i + 1);
        }
        assertArrayEquals(expected, Files.readAllBytes(out));
    }

    @Test
    void segmentsThatDisagreeInChannelsOrDtypeAreRejectedNamingTheArray() throws Exception {
        Path store = dir.resolve("mixed.zarr");
        SystemPython.run("""
                import sys, numpy as np, zarr
                g = zarr.open_group(sys.argv[1], mode='w')
                g.attrs['sampling_frequency'] = 100.0
                g.attrs['num_segments'] = 2
                g.create_dataset('traces_seg0', data=np.zeros((50, 4), '<i2'), chunks=(10, 4))
                g.create_dataset('traces_seg1', data=np.zeros((50, 3), '<i2'), chunks=(10, 4))
                """, "", store.toString());
        MemmapException e = assertThrows(MemmapException.class,
                () -> RestrictEngine.restrict(zarrRequest(store, "0-0.2", dir.resolve("mixed-out.zarr")), pool));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("traces_seg1 differs from"), e.getMessage());
    }

    @Test
    void truncatedRawRecordingIsRejectedBeforeMapping() throws IOException {
        Path raw = dir.resolve("odd.dat");
        Files.write(raw, new byte[1001]);
        RestrictRequest.RawInput layout = new RestrictRequest.RawInput(4, 1000, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0);
        MemmapException e = assertThrows(MemmapException.class, () -> RestrictEngine.restrict(new RestrictRequest(raw,
                RestrictRequest.InputKind.RAW, layout, null, IntervalParser.parse("0-1", IntervalFormat.TEXT), dir.resolve("o.zarr"),
                RestrictRequest.OutputFormat.ZARR, null, -1, 0, ConflictStrategy.FAIL), pool));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("1001 bytes"), e.getMessage());
    }
}
