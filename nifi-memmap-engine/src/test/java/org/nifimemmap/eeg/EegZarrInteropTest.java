package org.nifimemmap.eeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nifimemmap.zarr.Compression;
import org.nifimemmap.zarr.PythonZarr;

/** Stores written by {@link EegConverter}, opened by zarr-python 2.13 and compared sample by sample with the raw input. */
class EegZarrInteropTest {
    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @ParameterizedTest(name = "{0} {1} {2} header={3}")
    @CsvSource({
            "ZSTD, INT16, LITTLE_ENDIAN, 0",
            "BLOSC_LZ4, INT16, LITTLE_ENDIAN, 0",
            "GZIP, INT16, LITTLE_ENDIAN, 0",
            "NONE, INT16, LITTLE_ENDIAN, 0",
            "ZSTD, UINT16, BIG_ENDIAN, 64",
            "BLOSC_LZ4, INT32, BIG_ENDIAN, 10",
            "ZSTD, FLOAT32, LITTLE_ENDIAN, 0",
            "BLOSC_LZ4, FLOAT64, LITTLE_ENDIAN, 3",
            "GZIP, FLOAT64, BIG_ENDIAN, 0"})
    void zarrPythonReadsEverySample(Compression compression, SampleType type, String order, int header) throws IOException {
        PythonZarr.assumeAvailable();
        ByteOrder byteOrder = order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        // 5 channels, 40,003 samples in chunks of 4,096: ten chunks, the last one padded.
        Path raw = Recordings.write(dir.resolve("rec.dat"), type, byteOrder, header, 40_003, 5);
        Path store = dir.resolve("rec.zarr");
        new EegConverter(pool, 3).convert(Recordings.request(raw, store, 5, type, byteOrder, header, 4096, compression));
        String dtype = type.zarrDtype().descriptor().substring(1);
        PythonZarr.Outcome out = PythonZarr.runScript(dir, "check_eeg_store.py", store.toString(), raw.toString(), dtype,
                byteOrder == ByteOrder.BIG_ENDIAN ? "big" : "little", String.valueOf(header), "5", "20000.0");
        assertEquals(0, out.exitCode(), out.output());
        assertTrue(out.output().contains("OK 40003 5 10"), out.output());
    }
}
