package org.nifimemmap.eeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.zarr.Compression;

/** Fills a 1 MiB tmpfs mid-conversion; needs root (mount), as the build containers here have. */
class EegConverterNoSpaceTest {
    @TempDir
    Path dir;

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Test
    void fullDiskLeavesNoPartialOutput() throws Exception {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 400_000, 4);
        Path small = Files.createDirectory(dir.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString()) == 0,
                "mounting a small tmpfs needs root; skipped");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Path out = small.resolve("rec.zarr");
            MemmapException e = assertThrows(MemmapException.class, () -> new EegConverter(pool, 2).convert(
                    Recordings.request(raw, out, 4, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 10_000, Compression.NONE)));
            assertEquals(ErrorKind.OUTPUT_UNWRITABLE, e.kind());
            assertTrue(e.getMessage().contains("no space left") && e.getMessage().contains(out.toString()), e.getMessage());
            try (Stream<Path> left = Files.list(small)) {
                assertEquals(0, left.count(), "neither output nor temporary left behind");
            }
        } finally {
            pool.shutdownNow();
            run("umount", small.toString());
        }
    }
}
