package org.nifimemmap.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Raw int16 recordings written by the tests, and zarr-python's verdict on a converted store. */
final class Recordings {
    private Recordings() {
    }

    static Path write(Path file, int channels, int samples, int seed) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(channels * samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < channels * samples; i++) {
            data.putShort((short) (random.nextGaussian() * 800));
        }
        Files.createDirectories(file.getParent());
        // Written beside and renamed, as acquisition software that finishes a file does: ListFile never sees half of it.
        Path partial = file.resolveSibling("." + file.getFileName() + ".partial");
        Files.write(partial, data.array());
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    static void neuroscopeXml(Path file, int channels, double rate) throws IOException {
        Files.writeString(file, "<?xml version='1.0'?>\n<parameters version=\"1.0\" creator=\"neuroscope-2.0.0\">"
                + "<acquisitionSystem><nBits>16</nBits><nChannels>" + channels + "</nChannels><samplingRate>" + rate
                + "</samplingRate></acquisitionSystem></parameters>\n");
    }

    /** zarr-python opens the store and reads every sample back equal to the raw file, with the expected rate. */
    static void assertZarrEqualsRaw(Path store, Path raw, int channels, double rate) throws Exception {
        String script = String.join("\n",
                "import sys, numpy as np, zarr",
                "store, raw, channels, rate = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])",
                "g = zarr.open(store, mode='r')",
                "assert g.attrs['sampling_frequency'] == rate, g.attrs['sampling_frequency']",
                "x = g['traces_seg0'][:]",
                "expected = np.fromfile(raw, dtype='<i2').reshape(-1, channels)",
                "assert x.dtype == np.int16 and x.shape == expected.shape, (x.dtype, x.shape, expected.shape)",
                "assert np.array_equal(x, expected)",
                "print('zarr-python read', x.shape, 'equal to the raw file')");
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", script, store.toString(), raw.toString(),
                Integer.toString(channels), Double.toString(rate)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "zarr-python check of " + store + " failed:\n" + out);
    }
}
