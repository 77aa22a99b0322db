package org.nifimemmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The numpy reader printed in docs/index-format.md reads files the Java writer wrote, with the same answers. */
class SpatialIndexNumpyTest {
    @TempDir
    Path dir;

    @Test
    void documentedNumpySnippetAgreesWithJavaQueries() throws Exception {
        Path doc = Path.of("..", "docs", "index-format.md");
        String text = Files.readString(doc);
        int start = text.indexOf("```python\n") + "```python\n".length();
        Path script = Files.writeString(dir.resolve("read_index.py"), text.substring(start, text.indexOf("```", start)));

        Path file = dir.resolve("s.nmsidx");
        Random rnd = new Random(5);
        try (SynapseIndexWriter w = SynapseIndexWriter.create(dir, 16 << 20,
                List.of(new ExtraColumn("afferent_section_id", FieldType.I16)), 0)) {
            for (int i = 0; i < 5000; i++) {
                // Edge ids above 2^32 make the writer choose <u8 columns.
                w.add(rnd.nextFloat() * 100, rnd.nextFloat() * 100, rnd.nextFloat() * 100, (1L << 33) + i, i, i % 50, new double[] {i % 100});
            }
            w.writeTo(file);
        }
        try (SpatialIndex index = SpatialIndex.open(file, true)) {
            Field edge = index.field("edge_id");
            for (double[] b : new double[][] {{10, 10, 10, 30, 40, 50}, {0, 0, 0, 100, 100, 100}, {50, 50, 50, 50.5, 50.5, 50.5}}) {
                TreeSet<String> java = new TreeSet<>();
                index.query(Query.box(b[0], b[1], b[2], b[3], b[4], b[5], Accuracy.BEST_EFFORT),
                        r -> java.add(Long.toUnsignedString(index.getLong(r, edge))));
                List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), file.toString()));
                for (double v : b) {
                    cmd.add(Double.toString(v));
                }
                Process p = new ProcessBuilder(cmd).start();
                String out = new String(p.getInputStream().readAllBytes()).trim();
                String err = new String(p.getErrorStream().readAllBytes());
                assertEquals(0, p.waitFor(), err);
                TreeSet<String> numpy = new TreeSet<>(out.isEmpty() ? List.of() : List.of(out.split(" ")));
                assertEquals(java, numpy);
                assertTrue(b[3] - b[0] < 1 || !java.isEmpty(), "box must hold synapses");
            }
        }
    }
}
