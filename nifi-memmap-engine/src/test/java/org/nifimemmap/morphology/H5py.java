package org.nifimemmap.morphology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

/** Writes HDF5 test files with h5py ({@code /usr/bin/python3}), a writer none of our code shares. */
public final class H5py {
    private H5py() {
    }

    /** Runs {@code script}, which sees {@code h5py} and {@code numpy as np} imported. */
    public static void run(String script) throws IOException {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import h5py\nimport numpy as np\n" + script)
                .inheritIO().start();
        try {
            assertEquals(0, p.waitFor(), "python3 h5py script failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
