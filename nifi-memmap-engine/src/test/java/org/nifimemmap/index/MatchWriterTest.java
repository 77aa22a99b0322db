package org.nifimemmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.MemmapException;

class MatchWriterTest {
    @TempDir
    Path dir;

    @Test
    void csvAndJsonLinesWithSelectedColumns() throws Exception {
        Path file = dir.resolve("s.idx");
        try (SynapseIndexWriter w = SynapseIndexWriter.create(dir, 1 << 20, List.of(new ExtraColumn("delay", FieldType.F64)), 2)) {
            w.add(1.5f, 2f, 3f, 0, 7, 1L << 40, new double[] {0.125});
            w.add(100f, 2f, 3f, 1, 8, 9, new double[] {2});
            w.writeTo(file);
        }
        try (SpatialIndex index = SpatialIndex.open(file, false)) {
            Query q = Query.sphere(1, 2, 3, 1, Accuracy.BEST_EFFORT);
            StringWriter csv = new StringWriter();
            index.query(q, MatchWriter.create(index, csv, MatchWriter.Format.CSV, List.of("edge_id", "x", "post_gid", "delay")));
            assertEquals("edge_id,x,post_gid,delay\n0,1.5,1099511627776,0.125\n", csv.toString());

            StringWriter jsonl = new StringWriter();
            MatchWriter all = MatchWriter.create(index, jsonl, MatchWriter.Format.JSON_LINES, List.of());
            index.query(Query.box(0, 0, 0, 200, 5, 5, Accuracy.BOUNDING_BOX), all);
            assertEquals(2, all.written());
            String[] lines = jsonl.toString().split("\n");
            assertEquals(2, lines.length);
            for (String line : lines) {
                JsonNode n = new ObjectMapper().readTree(line);
                assertEquals(List.of("x", "y", "z", "edge_id", "pre_gid", "post_gid", "delay"), iterator(n));
            }
            assertThrows(MemmapException.class, () -> MatchWriter.create(index, new StringWriter(), MatchWriter.Format.CSV, List.of("gid")));
        }
    }

    @Test
    void nanAttributesStayValidJson() throws Exception {
        Path file = dir.resolve("nan.idx");
        try (SynapseIndexWriter w = SynapseIndexWriter.create(dir, 1 << 20, List.of(new ExtraColumn("u_syn", FieldType.F32)), 1)) {
            w.add(0, 0, 0, 0, 1, 2, new double[] {Double.NaN});
            w.writeTo(file);
        }
        try (SpatialIndex index = SpatialIndex.open(file, false)) {
            Query q = Query.sphere(0, 0, 0, 1, Accuracy.BEST_EFFORT);
            StringWriter jsonl = new StringWriter();
            index.query(q, MatchWriter.create(index, jsonl, MatchWriter.Format.JSON_LINES, List.of("edge_id", "u_syn")));
            assertTrue(new ObjectMapper().readTree(jsonl.toString()).get("u_syn").isNull());
            StringWriter csv = new StringWriter();
            index.query(q, MatchWriter.create(index, csv, MatchWriter.Format.CSV, List.of("u_syn")));
            assertEquals("u_syn\nNaN\n", csv.toString());
        }
    }

    private static List<String> iterator(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
