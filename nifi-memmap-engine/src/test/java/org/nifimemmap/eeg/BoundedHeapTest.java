package org.nifimemmap.eeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.zarr.Compression;

/** Converts a 256 MB recording in a JVM whose whole heap is 40 MB: the engine must stream it. */
class BoundedHeapTest {
    private static final long BYTES = 256L << 20;

    @TempDir
    Path dir;

    @Test
    void recordingMuchLargerThanTheHeapConverts() throws Exception {
        Path raw = dir.resolve("big.dat");
        try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (long written = 0; written < BYTES; written += block.capacity()) {
                block.clear();
                for (int i = 0; block.hasRemaining(); i++) {
                    block.putShort((short) (2000 * Math.sin((written / 2 + i) / 31.0) + (i * 7919 % 61)));
                }
                block.flip();
                while (block.hasRemaining()) {
                    ch.write(block);
                }
            }
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx40m", "-cp", classpath, Main.class.getName(),
                raw.toString(), dir.resolve("big.zarr").toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(300, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "conversion did not finish in 300 s: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("samples=" + BYTES / 64), out);
    }

    /** The child JVM: converts with 2 threads and 4 buffers of 1 MiB chunks, prints the sample count. */
    public static final class Main {
        public static void main(String[] args) throws IOException {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                EegConversionResult r = new EegConverter(pool, 4).convert(new EegConversionRequest(Path.of(args[0]), Path.of(args[1]),
                        32, 30000.0, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 16384, Compression.ZSTD, -1, ConflictStrategy.FAIL));
                System.out.println("samples=" + r.samples() + " max_heap_mb=" + (Runtime.getRuntime().maxMemory() >> 20));
            } finally {
                pool.shutdown();
            }
        }
    }
}
