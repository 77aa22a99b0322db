package org.nifimemmap.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.zarr.ZarrArray;
import org.nifimemmap.zarr.ZarrGroup;

/**
 * A writer killed with SIGKILL at points spread over its run leaves the output either absent or complete and
 * valid, never half of one; the next run removes the dead writer's temporaries and succeeds.
 */
class CrashConsistencyTest {
    static final int CHANNELS = 16;
    static final int CHUNK = 16_384;
    private static final int SAMPLES = 1_500_000; // 48 MB of int16
    @TempDir
    static Path dir;
    static Path raw;

    @BeforeAll
    static void recording() throws IOException {
        raw = dir.resolve("rec.dat");
        SplittableRandom random = new SplittableRandom(3);
        ByteBuffer block = ByteBuffer.allocate(CHANNELS * 2 * 10_000).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel out = FileChannel.open(raw, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < SAMPLES; i++) {
                for (int c = 0; c < CHANNELS; c++) {
                    block.putShort((short) (Math.sin(i / 40.0 + c) * 800 + random.nextInt(60)));
                }
                if (!block.hasRemaining()) {
                    block.flip();
                    out.write(block);
                    block.clear();
                }
            }
        }
    }

    /** Morphology directory of the segment writer (its fifth argument). */
    private static final Path MORPHOLOGIES = Path.of(System.getProperty("memmap.fixtures"), "sonata", "circuit-10", "morphologies", "ascii")
            .toAbsolutePath();

    private static Process start(String mode, Path input, Path output, String conflict) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                WriterProcess.class.getName(), mode, input.toString(), output.toString(), conflict, MORPHOLOGIES.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(mode + ".log").toFile()).start();
    }

    private static long runToEnd(String mode, Path input, Path output, String conflict) throws Exception {
        long t0 = System.nanoTime();
        Process p = start(mode, input, output, conflict);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), () -> mode + " failed: " + read(dir.resolve(mode + ".log")));
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static List<Path> temporaries(Path output) throws IOException {
        try (Stream<Path> s = Files.list(output.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith("." + output.getFileName() + ".tmp-")).toList();
        }
    }

    /** Every chunk of traces_seg0 decodes and equals the same chunk of the reference store. */
    private static void assertSameTraces(Path expected, Path actual) {
        ZarrArray e = ZarrGroup.open(expected).array("traces_seg0");
        ZarrArray a = ZarrGroup.open(actual).array("traces_seg0");
        assertArrayEquals(e.metadata().shape(), a.metadata().shape());
        byte[] eb = new byte[e.metadata().chunkBytes()];
        byte[] ab = new byte[a.metadata().chunkBytes()];
        ZarrArray.ChunkReader er = e.chunkReader();
        ZarrArray.ChunkReader ar = a.chunkReader();
        for (long c = 0; c < e.metadata().chunkGrid()[0]; c++) {
            assertTrue(er.read(new long[]{c, 0}, eb));
            assertTrue(ar.read(new long[]{c, 0}, ab), "chunk " + c + " of " + actual + " is missing");
            assertArrayEquals(eb, ab, "chunk " + c);
        }
    }

    private void killRepeatedly(String mode, Path input, Path reference, Path output) throws Exception {
        killRepeatedly(mode, input, output, output, written -> assertSameTraces(reference, written));
    }

    /**
     * Runs the writer once to time it, then kills it at six points spread over that time. {@code target} is what
     * the writer puts in place (inside {@code output} for the index builder); after each kill it must be absent or
     * pass {@code assertValid}.
     */
    private void killRepeatedly(String mode, Path input, Path output, Path target, java.util.function.Consumer<Path> assertValid)
            throws Exception {
        Path timing = Files.createDirectories(dir.resolve("timing-" + mode)).resolve(output.getFileName());
        if (Files.isDirectory(output)) {
            Files.createDirectory(timing); // the index builder writes into an existing directory
        }
        long full = runToEnd(mode, input, timing, "fail");
        int killedMidWrite = 0;
        List<String> outcomes = new ArrayList<>();
        for (int k = 1; k <= 6; k++) {
            long delay = full * k / 7;
            Process p = start(mode, input, output, "replace");
            if (p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                outcomes.add("finished before " + delay + " ms");
            } else {
                p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block runs
                assertTrue(p.waitFor(1, TimeUnit.MINUTES));
                boolean tempLeft = Files.exists(target.getParent()) && !temporaries(target).isEmpty();
                killedMidWrite += tempLeft ? 1 : 0;
                outcomes.add("killed at " + delay + " ms" + (tempLeft ? " mid-write" : ""));
            }
            if (Files.exists(target)) {
                assertValid.accept(target); // complete and valid, never half
            }
        }
        assertTrue(killedMidWrite > 0, "no kill landed while the output was being written: " + outcomes);
        runToEnd(mode, input, output, "replace");
        assertValid.accept(target);
        assertEquals(List.of(), temporaries(target), "the rerun removed the killed writers' temporaries");
    }

    @Test
    void convertKilledWithSigkill() throws Exception {
        Path reference = dir.resolve("reference.zarr");
        if (!Files.exists(reference)) {
            runToEnd("convert", raw, reference, "fail");
        }
        killRepeatedly("convert", raw, reference, dir.resolve("converted.zarr"));
    }

    @Test
    void restrictKilledWithSigkill() throws Exception {
        Path reference = dir.resolve("reference.zarr");
        if (!Files.exists(reference)) {
            runToEnd("convert", raw, reference, "fail");
        }
        Path restrictedReference = dir.resolve("restricted-reference.zarr");
        runToEnd("restrict", reference, restrictedReference, "fail");
        assertSameTraces(reference, restrictedReference);
        killRepeatedly("restrict", reference, restrictedReference, dir.resolve("restricted.zarr"));
    }

    @Test
    void synapseIndexBuildKilledWithSigkill() throws Exception {
        int synapses = 3_000_000;
        Path edges = dir.resolve("edges.h5");
        Process generator = new ProcessBuilder("/usr/bin/python3", Path.of("..", "bench", "make_synapse_edges.py").toString(),
                edges.toString(), Integer.toString(synapses)).redirectErrorStream(true).start();
        String log = new String(generator.getInputStream().readAllBytes());
        org.junit.jupiter.api.Assumptions.assumeTrue(generator.waitFor() == 0 || !log.contains("No module named"),
                "needs /usr/bin/python3 with h5py and numpy: " + log);
        assertEquals(0, generator.exitValue(), log);
        Path output = Files.createDirectory(dir.resolve("indexes"));
        killRepeatedly("index", edges, output, output.resolve("bench"), written -> {
            try (org.nifimemmap.index.SpatialIndex index = org.nifimemmap.index.SpatialIndex.open(written.resolve("index.nmsidx"), true)) {
                assertEquals(synapses, index.count());
            }
        });
    }

    @Test
    void queryResultsFileKilledWithSigkill() throws Exception {
        int synapses = 1_500_000;
        Path index = dir.resolve("query.nmsidx");
        SplittableRandom random = new SplittableRandom(11);
        try (org.nifimemmap.index.SynapseIndexWriter w = org.nifimemmap.index.SynapseIndexWriter.create(dir, 1L << 30, List.of(), synapses)) {
            for (int i = 0; i < synapses; i++) {
                w.add((float) random.nextDouble(1000), (float) random.nextDouble(1000), (float) random.nextDouble(1000), i, i % 997, i % 89);
            }
            w.writeTo(index);
        }
        killRepeatedly("query", index, dir.resolve("results.csv"), dir.resolve("results.csv"), written -> {
            try (Stream<String> lines = Files.lines(written)) {
                List<String> all = lines.toList();
                assertEquals(synapses + 1, all.size(), "header and one line per synapse");
                assertEquals(all.getFirst().split(",").length, all.getLast().split(",").length, "the last line is whole");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void segmentIndexBuildKilledWithSigkill() throws Exception {
        int cells = 600;
        Path nodes = dir.resolve("nodes.h5");
        Process generator = new ProcessBuilder("/usr/bin/python3", Path.of("..", "bench", "make_segment_nodes.py").toString(),
                nodes.toString(), Integer.toString(cells), "sm090227a1-2_idC").redirectErrorStream(true).start();
        String log = new String(generator.getInputStream().readAllBytes());
        assertEquals(0, generator.waitFor(), log);
        Path output = Files.createDirectory(dir.resolve("segments"));
        killRepeatedly("segment", nodes, output, output.resolve("bench"), written -> {
            try (org.nifimemmap.index.SpatialIndex index = org.nifimemmap.index.SpatialIndex.open(written.resolve("index.nmsidx"), true)) {
                assertEquals(cells * 2199L, index.count()); // circuit-10's morphology: 1 soma + 2,198 segments per cell
            }
        });
    }
}
