package org.nifimemmap.sonata.edges;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.morphology.H5py;

/**
 * The same edges written with every storage layout h5py offers (contiguous, chunked with chunks smaller than,
 * larger than and not dividing a read slice, a partly written chunked column, compressed, big-endian, a user
 * block) give byte-identical indexes, whether the columns are read with positional reads or decoded by jhdf.
 */
class EdgeStorageLayoutsTest {
    private static final int ROWS = 150_001;

    @TempDir
    Path dir;

    @Test
    void everyLayoutGivesTheSameIndex() throws Exception {
        Map<String, String> layouts = Map.of(
                "contiguous", "",
                "chunk-1000", "chunks=(1000,)",
                "chunk-70001", "chunks=(70001,)",
                "chunk-200000", "chunks=(200000,), maxshape=(None,)",
                "gzip", "chunks=(4096,), compression='gzip'",
                "shuffle", "chunks=(65536,), shuffle=True");
        StringBuilder script = new StringBuilder("""
                import h5py, numpy as np
                rng = np.random.default_rng(3)
                n = %d
                pos = rng.uniform(0, 500, (n, 3))
                src = rng.integers(0, 10**6, n)
                tgt = np.sort(rng.integers(0, 3000, n))
                sec = rng.integers(0, 400, n).astype('u4')
                def write(path, kw, endian='<', userblock=0, partial=False):
                    with h5py.File(path, 'w', userblock_size=userblock) as f:
                        g = f.create_group('edges/p')
                        for name, data, t in [('source_node_id', src, 'i8'), ('target_node_id', tgt, 'i8'),
                                              ('0/afferent_center_x', pos[:, 0], 'f4'), ('0/afferent_center_y', pos[:, 1], 'f4'),
                                              ('0/afferent_center_z', pos[:, 2], 'f8'), ('0/afferent_section_id', sec, 'u4')]:
                            d = g.create_dataset(name, (n,), endian + t, **kw)
                            if partial and name == 'source_node_id':
                                d[:70000] = data[:70000]  # later chunks never written: the fill value, 0
                            else:
                                d[:] = data
                """.formatted(ROWS));
        for (Map.Entry<String, String> l : layouts.entrySet()) {
            script.append("write('").append(dir.resolve(l.getKey() + ".h5")).append("', dict(").append(l.getValue()).append("))\n");
        }
        script.append("write('").append(dir.resolve("big-endian.h5")).append("', dict(chunks=(65536,)), endian='>')\n");
        script.append("write('").append(dir.resolve("userblock.h5")).append("', dict(chunks=(30000,)), userblock=512)\n");
        script.append("write('").append(dir.resolve("partial.h5")).append("', dict(chunks=(10000,)), partial=True)\n");
        script.append("src[70000:] = 0\n");
        script.append("write('").append(dir.resolve("partial-reference.h5")).append("', dict())\n");
        H5py.run(script.toString());

        byte[] reference = build("gzip");
        for (String layout : List.of("contiguous", "chunk-1000", "chunk-70001", "chunk-200000", "shuffle", "big-endian", "userblock")) {
            assertArrayEquals(reference, build(layout), layout);
        }
        assertArrayEquals(build("partial-reference"), build("partial"), "unwritten chunks read as the fill value");

        try (HdfFile h = new HdfFile(dir.resolve("chunk-1000.h5")); HdfFile gz = new HdfFile(dir.resolve("gzip.h5"));
             HdfFile c = new HdfFile(dir.resolve("contiguous.h5"))) {
            assertNotNull(StoredExtents.of((Dataset) h.getByPath("/edges/p/source_node_id"), null, 1L << 40, "x"), "unfiltered chunks are read in place");
            assertNotNull(StoredExtents.of((Dataset) c.getByPath("/edges/p/source_node_id"), null, 1L << 40, "x"), "contiguous data is read in place");
            assertNull(StoredExtents.of((Dataset) gz.getByPath("/edges/p/source_node_id"), null, 1L << 40, "x"), "compressed chunks go through jhdf");
        }
    }

    private byte[] build(String layout) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out-" + layout));
        SynapseIndexResult r = SynapseIndexBuilder.build(new SynapseIndexRequest(dir.resolve(layout + ".h5"), null, List.of(),
                List.of("afferent_section_id"), out, 64L << 20, ConflictStrategy.FAIL)).get(0);
        assertEquals(ROWS, r.elements());
        return Files.readAllBytes(r.indexFile());
    }
}
