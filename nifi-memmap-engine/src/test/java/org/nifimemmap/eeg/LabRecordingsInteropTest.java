package org.nifimemmap.eeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.zarr.PythonZarr;

/** zarr-python 2.13 reads the stores of SpikeGLX, Open Ephys and Neuroscope recordings: names, gains, start, scaled traces. */
class LabRecordingsInteropTest {
    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void spikeGlx() throws IOException {
        Path bin = LabRecordings.spikeGlxImec(dir);
        double g = LabRecordings.NP1_AP500_UV;
        check(bin, 5, "{\"channel_ids\": [\"AP0\", \"AP1\", \"AP2\", \"AP3\", \"SY0\"], \"gain_to_uV\": [" + g + ", " + g + ", " + g / 2
                + ", " + g + ", 1.0], \"t_start\": 0.01}", null);
    }

    @Test
    void spikeGlxNidq() throws IOException {
        Path bin = LabRecordings.spikeGlxNidq(dir);
        double step = 5.0 / 32768 * 1e6;
        check(bin, 4, "{\"channel_ids\": [\"MA0\", \"MA1\", \"XA0\", \"XD0\"], \"gain_to_uV\": [" + step / 2 + ", " + step / 2 + ", "
                + step + ", 1.0], \"t_start\": 0.0}", null);
    }

    @Test
    void openEphys() throws IOException {
        Path oebin = LabRecordings.openEphys(dir);
        check(oebin.resolveSibling("continuous/Rhythm-100.A/continuous.dat"), 3,
                "{\"channel_ids\": [\"CH1\", \"CH2\", \"ADC1\"], \"gain_to_uV\": [0.195, 0.195, 150.0], \"t_start\": 0.2}", null);
        check(oebin, 2, "{\"channel_ids\": [\"LFP1\", \"LFP2\"], \"gain_to_uV\": [50.0, 50.0], \"t_start\": 0.0}", "Rhythm-100.B");
    }

    @Test
    void neuroscope() throws IOException {
        Path dat = LabRecordings.neuroscope(dir);
        double g = 20.0 / 65536 / 1000 * 1e6;
        check(dat, 4, "{\"channel_ids\": [0, 1, 2, 3], \"gain_to_uV\": [" + g + ", " + g + ", " + g + ", " + g
                + "], \"group\": [0, 0, -1, 1], \"t_start\": 0.0}", null);
    }

    private void check(Path input, int channels, String expected, String stream) throws IOException {
        PythonZarr.assumeAvailable();
        Path store = dir.resolve(input.getFileName() + (stream == null ? "" : "-" + stream) + ".zarr");
        new EegConverter(pool, 3).convert(RecordingFormatsTest.request(input, store, RecordingFormat.AUTO, stream));
        Path data = RecordingMetadata.of(input, RecordingFormat.AUTO, stream).data();
        PythonZarr.Outcome out = PythonZarr.runScript(dir, "check_lab_store.py", store.toString(), data.toString(),
                Integer.toString(channels), expected);
        assertEquals(0, out.exitCode(), out.output());
        assertTrue(out.output().contains("OK " + LabRecordings.SAMPLES / (stream == null ? 1 : 10) + " " + channels), out.output());
    }
}
