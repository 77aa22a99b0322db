package org.nifimemmap.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.eeg.EegConversionRequest;
import org.nifimemmap.eeg.EegConverter;
import org.nifimemmap.eeg.SampleType;
import org.nifimemmap.index.Accuracy;
import org.nifimemmap.index.Query;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.index.SynapseIndexWriter;
import org.nifimemmap.intervals.IntervalFormat;
import org.nifimemmap.intervals.IntervalParser;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.morphology.H5py;
import org.nifimemmap.restrict.RestrictEngine;
import org.nifimemmap.restrict.RestrictRequest;
import org.nifimemmap.sonata.circuit.SegmentIndexBuilder;
import org.nifimemmap.sonata.circuit.SegmentIndexRequest;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;
import org.nifimemmap.zarr.Compression;

/**
 * Another process shortens a file we have mapped. Touching a mapped page past the new end raises SIGBUS; the
 * JVM must survive it and the user must get a clear error naming the file, never a crash.
 */
class TruncatedWhileReadTest {
    @TempDir
    Path dir;

    private static void truncateByAnotherProcess(Path file, long size) throws Exception {
        Process p = new ProcessBuilder("truncate", "-s", Long.toString(size), file.toString()).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }

    private Path noise(String name, long bytes) throws IOException {
        Path file = dir.resolve(name);
        SplittableRandom random = new SplittableRandom(5);
        ByteBuffer block = ByteBuffer.allocate(1 << 20);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0; done < bytes; done += block.capacity()) {
                for (int i = 0; i < block.capacity(); i += 8) {
                    block.putLong(i, random.nextLong() & 0x0F0F0F0F0F0F0F0FL);
                }
                block.clear();
                out.write(block);
            }
        }
        return file;
    }

    private static boolean anyChunkWritten(Path parent) throws IOException {
        try (Stream<Path> s = Files.walk(parent)) {
            return s.anyMatch(p -> p.toString().contains(".tmp-") && p.getFileName().toString().matches("\\d+\\.0"));
        }
    }

    /** An index builder has created its temporary output directory and started reading its input. */
    private static boolean anyTemporary(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.anyMatch(p -> p.getFileName().toString().contains(".tmp-"));
        }
    }

    /** Starts {@code work}, truncates {@code input} once the first output chunk exists, returns the work's failure. */
    private MemmapException failureAfterTruncation(Path input, Path outputParent, java.util.concurrent.Callable<?> work) throws Exception {
        return failureAfterTruncation(input, outputParent, () -> anyChunkWritten(outputParent), work);
    }

    private interface Condition {
        boolean holds() throws IOException;
    }

    /** Starts {@code work}, truncates {@code input} once {@code started} holds, returns the work's failure. */
    private MemmapException failureAfterTruncation(Path input, Path outputParent, Condition started,
                                                   java.util.concurrent.Callable<?> work) throws Exception {
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<?> running = runner.submit(work);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!started.holds() && !running.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertFalse(running.isDone(), "the work finished before the file could be truncated: make the input larger");
            truncateByAnotherProcess(input, 4096);
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> running.get(2, TimeUnit.MINUTES));
            assertTrue(e.getCause() instanceof MemmapException, "a clear error, not " + e.getCause());
            return (MemmapException) e.getCause();
        } finally {
            runner.shutdownNow();
        }
    }

    private static long outputs(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.count();
        }
    }

    @Test
    void rawRecordingTruncatedDuringConversion() throws Exception {
        Path input = noise("rec.dat", 384L << 20);
        Path out = Files.createDirectory(dir.resolve("out"));
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            MemmapException e = failureAfterTruncation(input, out, () -> new EegConverter(pool, 2).convert(new EegConversionRequest(
                    input, out.resolve("rec.zarr"), 32, 20_000.0, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 8192,
                    Compression.GZIP, 9, ConflictStrategy.FAIL)));
            assertEquals(ErrorKind.INPUT_UNREADABLE, e.kind());
            assertTrue(e.getMessage().contains(input.toString()), e.getMessage());
            assertEquals(0, outputs(out), "no partial output, no temporary");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rawRecordingTruncatedDuringRestriction() throws Exception {
        Path input = noise("rec.dat", 384L << 20);
        Path out = Files.createDirectory(dir.resolve("out"));
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            MemmapException e = failureAfterTruncation(input, out, () -> RestrictEngine.restrict(new RestrictRequest(input,
                    RestrictRequest.InputKind.RAW, new RestrictRequest.RawInput(32, 20_000.0, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 0),
                    null, IntervalParser.parse("0-1000", IntervalFormat.TEXT), out.resolve("cut.zarr"), RestrictRequest.OutputFormat.ZARR,
                    Compression.GZIP, 9, 8192, ConflictStrategy.FAIL), pool));
            assertEquals(ErrorKind.INPUT_UNREADABLE, e.kind());
            assertTrue(e.getMessage().contains(input.toString()), e.getMessage());
            assertEquals(0, outputs(out), "no partial output, no temporary");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void edgesFileTruncatedDuringSynapseIndexBuild() throws Exception {
        // Contiguous datasets, read with positional reads where they lie (StoredExtents): the read past the new end
        // is told apart from a corrupt chunk table by the file's length at open.
        Path edges = dir.resolve("edges.h5");
        H5py.run("n = 6_000_000\n"
                + "with h5py.File('" + edges + "', 'w') as f:\n"
                + "    g = f.create_group('edges/big')\n"
                + "    g['source_node_id'] = np.arange(n, dtype='i8')\n"
                + "    g['target_node_id'] = np.arange(n, dtype='i8')\n"
                + "    for c in 'xyz':\n"
                + "        g['0/afferent_center_' + c] = np.linspace(0, 1000, n, dtype='f4')\n");
        Path out = Files.createDirectory(dir.resolve("out"));
        MemmapException e = failureAfterTruncation(edges, out, () -> anyTemporary(out),
                () -> SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(edges, out, 1L << 30)));
        assertEquals(ErrorKind.INPUT_UNREADABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(edges.toString()), e.getMessage());
        assertEquals(0, outputs(out), "no partial output, no temporary");
    }

    @Test
    void nodesFileTruncatedDuringSegmentIndexBuild() throws Exception {
        // Many nodes of a one-point-soma morphology: the nodes file is read batch by batch while the index grows.
        Path morphologies = Files.createDirectory(dir.resolve("morphologies"));
        Files.writeString(morphologies.resolve("dot.swc"), "1 1 0 0 0 5 -1\n");
        Path nodes = dir.resolve("nodes.h5");
        H5py.run("n = 2_000_000\n"
                + "with h5py.File('" + nodes + "', 'w') as f:\n"
                + "    g = f.create_group('nodes/cells/0')\n"
                + "    for c in 'xyz':\n"
                + "        g[c] = np.linspace(0, 1000, n)\n"
                + "    g['morphology'] = np.zeros(n, 'i4')\n"
                + "    g['@library/morphology'] = np.array(['dot'], dtype=h5py.string_dtype())\n");
        Path out = Files.createDirectory(dir.resolve("out"));
        MemmapException e = failureAfterTruncation(nodes, out, () -> anyTemporary(out), () -> SegmentIndexBuilder.build(
                SegmentIndexRequest.ofNodesFile(nodes, morphologies, out, 1L << 30)));
        assertTrue(e.getMessage().startsWith(nodes.toString()), e.getMessage());
        assertEquals(0, outputs(out), "no partial output, no temporary");
    }

    @Test
    void indexTruncatedAfterItWasOpened() throws Exception {
        Path file = dir.resolve("syn.nmsidx");
        SplittableRandom random = new SplittableRandom(9);
        try (SynapseIndexWriter w = SynapseIndexWriter.create(dir, 64 << 20, List.of(), 200_000)) {
            for (int i = 0; i < 200_000; i++) {
                w.add((float) random.nextDouble(1000), (float) random.nextDouble(1000), (float) random.nextDouble(1000), i, i % 97, i % 89);
            }
            w.writeTo(file);
        }
        try (SpatialIndex index = SpatialIndex.open(file, true)) {
            Query everything = Query.box(-1, -1, -1, 1001, 1001, 1001, Accuracy.BEST_EFFORT);
            assertEquals(200_000, index.count(everything));
            truncateByAnotherProcess(file, 4096);
            MemmapException e = assertThrows(MemmapException.class, () -> index.count(everything));
            assertEquals(ErrorKind.INPUT_UNREADABLE, e.kind());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
        MemmapException reopened = assertThrows(MemmapException.class, () -> SpatialIndex.open(file, false));
        assertTrue(reopened.getMessage().contains("bytes"), reopened.getMessage());
    }
}
