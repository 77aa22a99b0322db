package org.nifimemmap.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** Arrays written by zarr-python 2.13 + numcodecs, read back chunk by chunk with {@link ZarrArray}. */
class ZarrReaderInteropTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryChunkZarrPythonWrote() throws IOException {
        PythonZarr.assumeAvailable();
        PythonZarr.Outcome out = PythonZarr.runScript(dir, "write_reference_stores.py", dir.toString());
        assertEquals(0, out.exitCode(), out.output());
        List<String> names = out.output().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(20, names.size(), out.output());
        for (String name : names) {
            ZarrArray array = ZarrArray.open(dir.resolve(name + ".zarr"));
            byte[] expected = Files.readAllBytes(dir.resolve(name + ".bin"));
            assertArrayEquals(expected, readWhole(array), name);
        }
        ZarrArray sparse = ZarrArray.open(dir.resolve("missing_chunk_i2.zarr"));
        try (ZarrArray.ChunkReader reader = sparse.chunkReader()) {
            byte[] chunk = new byte[sparse.metadata().chunkBytes()];
            assertFalse(reader.read(new long[] {1, 0}, chunk));
            assertEquals(-7, (short) ((chunk[0] & 0xff) | chunk[1] << 8), "fill value");
        }
    }

    @Test
    void corruptChunkNamesTheChunkFile() throws IOException {
        PythonZarr.assumeAvailable();
        assertEquals(0, PythonZarr.runScript(dir, "write_reference_stores.py", dir.toString()).exitCode());
        ZarrArray array = ZarrArray.open(dir.resolve("zstd_i2.zarr"));
        Path chunk = array.chunkPath(1, 0);
        byte[] bytes = Files.readAllBytes(chunk);
        Files.write(chunk, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        MemmapException e;
        try (ZarrArray.ChunkReader reader = array.chunkReader()) {
            e = assertThrows(MemmapException.class, () -> reader.read(new long[] {1, 0}, new byte[array.metadata().chunkBytes()]));
        }
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(chunk.toString()), e.getMessage());
    }

    /** Assembles a 2-D array from its chunks, dropping the padding of edge chunks. */
    static byte[] readWhole(ZarrArray array) {
        ZarrArrayMetadata md = array.metadata();
        long[] shape = md.shape();
        int[] chunks = md.chunks();
        int item = md.dtype().size();
        long[] grid = md.chunkGrid();
        byte[] whole = new byte[(int) (shape[0] * shape[1] * item)];
        byte[] chunk = new byte[md.chunkBytes()];
        try (ZarrArray.ChunkReader reader = array.chunkReader()) {
            for (long i = 0; i < grid[0]; i++) {
                for (long j = 0; j < grid[1]; j++) {
                    reader.read(new long[] {i, j}, chunk);
                    int rows = (int) Math.min(chunks[0], shape[0] - i * chunks[0]);
                    int cols = (int) Math.min(chunks[1], shape[1] - j * chunks[1]);
                    for (int k = 0; k < rows; k++) {
                        System.arraycopy(chunk, k * chunks[1] * item, whole,
                                (int) (((i * chunks[0] + k) * shape[1] + j * chunks[1]) * item), cols * item);
                    }
                }
            }
        }
        return whole;
    }
}
