package org.nifimemmap.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.index.Accuracy;
import org.nifimemmap.index.Bounds;
import org.nifimemmap.index.Field;
import org.nifimemmap.index.Query;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.index.partition.MultiIndex;
import org.nifimemmap.index.partition.MultiIndexManifest;
import org.nifimemmap.index.partition.Partition;
import org.nifimemmap.index.partition.Region;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.sonata.PartitionPlans;
import org.nifimemmap.sonata.circuit.SegmentIndexBuilder;
import org.nifimemmap.sonata.circuit.SegmentIndexRequest;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;

/**
 * python/nifi_memmap_index (numpy only) against the Java engine: the same elements for hundreds of random boxes and
 * spheres at both accuracies, the same counts and counts per post_gid, on the fixture indexes, a generated synapse
 * index and a partitioned multi-index.
 */
class PythonReaderTest {
    private static final Path FIXTURES = Path.of(System.getProperty("memmap.fixtures", "../fixtures"));
    private static final Path PYTHON = Path.of(System.getProperty("memmap.templates", "../templates")).toAbsolutePath().getParent()
            .resolve("python");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAP = 256L << 20;

    @TempDir
    Path dir;

    @Test
    void syn2kAndItsPartitionsAnswerAsInJava() throws Exception {
        Path edges = FIXTURES.resolve("sonata/syn-2k/edges.h5");
        Path single = SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(edges, Files.createDirectories(dir.resolve("s")), MAP))
                .getFirst().indexFile();
        compare(single, List.of("edge_id", "pre_gid", "post_gid"), 300, true);
        String population = "neocortex_neurons__chemical_synapse";
        List<Region> regions = PartitionPlans.synapses(edges, population, 3);
        Path parts = Files.createDirectories(dir.resolve("p"));
        for (int i = 0; i < 3; i++) {
            SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null, List.of(), List.of(), parts, MAP, ConflictStrategy.FAIL,
                    new Partition(i, 3, regions.get(i))));
        }
        compare(MultiIndexManifest.write(parts.resolve(population), population, 3), List.of("edge_id", "pre_gid", "post_gid"), 200, true);
    }

    @Test
    void segmentIndexesOfCircuit10AndUsecase1AnswerAsInJava() throws Exception {
        Path out = Files.createDirectories(dir.resolve("c"));
        Path circuit10 = SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(FIXTURES.resolve("sonata/circuit-10/nodes.h5"),
                FIXTURES.resolve("sonata/circuit-10/morphologies/ascii"), out, MAP)).getFirst().indexFile();
        compare(circuit10, List.of("gid", "section_id", "segment_id"), 300, false);
        Path usecase = SegmentIndexBuilder.build(SegmentIndexRequest.ofCircuitConfig(
                FIXTURES.resolve("sonata/usecases/usecase1/circuit_sonata.json"), Files.createDirectories(dir.resolve("u")), MAP))
                .getFirst().indexFile();
        compare(usecase, List.of("gid", "section_id", "segment_id"), 200, false);
    }

    /** Runs the Python reader on {@code index} (a file or a multi-index manifest) and compares every answer with Java's. */
    private void compare(Path index, List<String> key, int queries, boolean synapses) throws Exception {
        boolean multi = MultiIndex.isMulti(index);
        try (MultiIndex java = multi ? MultiIndex.open(index, true) : MultiIndex.of(SpatialIndex.open(index, true), null)) {
            Bounds b = bounds(java);
            Random random = new Random(23);
            ArrayNode specs = JSON.createArrayNode();
            List<Query> list = new ArrayList<>();
            for (int q = 0; q < queries; q++) {
                String accuracy = q % 2 == 0 ? "bounding_box" : "best_effort";
                double x = b.minX() + random.nextDouble() * (b.maxX() - b.minX());
                double y = b.minY() + random.nextDouble() * (b.maxY() - b.minY());
                double z = b.minZ() + random.nextDouble() * (b.maxZ() - b.minZ());
                double size = (1 + random.nextDouble() * 30) * Math.max(1, b.maxX() - b.minX()) / 100;
                ObjectNode spec = specs.addObject().put("accuracy", accuracy);
                if (q % 4 < 2) {
                    double[] c = {x, y, z};
                    double[] o = {x + size * random.nextDouble(), y - size * random.nextDouble(), z + size};
                    spec.put("shape", "box").putPOJO("corner", c).putPOJO("opposite", o);
                    list.add(Query.box(c[0], c[1], c[2], o[0], o[1], o[2], Accuracy.parse(accuracy)));
                } else {
                    spec.put("shape", "sphere").putPOJO("center", new double[] {x, y, z}).put("radius", size);
                    list.add(Query.sphere(x, y, z, size, Accuracy.parse(accuracy)));
                }
            }
            Path input = dir.resolve("queries.json");
            JSON.writeValue(input.toFile(), JSON.createObjectNode().put("index", index.toString()).put("synapses", synapses)
                    .<ObjectNode>set("key", JSON.valueToTree(key)).set("queries", specs));
            JsonNode python = run(input);
            long total = 0;
            for (int q = 0; q < list.size(); q++) {
                List<List<Long>> expected = new ArrayList<>();
                java.query(list.get(q), (part, r) -> expected.add(key.stream().map(k -> part.index().getLong(r, part.index().field(k))).toList()));
                expected.sort(PythonReaderTest::compareLists);
                List<List<Long>> actual = new ArrayList<>();
                python.path("results").path(q).path("elements").forEach(row -> {
                    List<Long> values = new ArrayList<>();
                    row.forEach(v -> values.add(v.asLong()));
                    actual.add(values);
                });
                assertEquals(expected, actual, index + " query " + q + ": " + list.get(q));
                assertEquals(expected.size(), python.path("results").path(q).path("count").asLong(), "count of query " + q);
                if (synapses) {
                    TreeMap<String, Long> groups = new TreeMap<>();
                    java.countByPostGid(list.get(q)).forEach((gid, n) -> groups.put(Long.toString(gid), n));
                    TreeMap<String, Long> pyGroups = new TreeMap<>();
                    python.path("results").path(q).path("by_post_gid").fields().forEachRemaining(e -> pyGroups.put(e.getKey(), e.getValue().asLong()));
                    assertEquals(groups, pyGroups, "count_by_post_gid of query " + q);
                }
                total += expected.size();
            }
            assertTrue(total > queries, index + ": the queries matched too little to compare (" + total + ")");
        }
    }

    private static Bounds bounds(MultiIndex index) {
        double[] b = index.parts().getFirst().bounds().toArray();
        for (MultiIndex.Part p : index.parts()) {
            double[] o = p.bounds().toArray();
            for (int a = 0; a < 3; a++) {
                b[a] = Math.min(b[a], o[a]);
                b[a + 3] = Math.max(b[a + 3], o[a + 3]);
            }
        }
        return new Bounds(b[0], b[1], b[2], b[3], b[4], b[5]);
    }

    private JsonNode run(Path input) throws Exception {
        String script = String.join("\n",
                "import json, sys",
                "sys.path.insert(0, sys.argv[1])",
                "import numpy as np, nifi_memmap_index as nmi",
                "spec = json.load(open(sys.argv[2]))",
                "index = nmi.open_index(spec['index'], verify_data=True)",
                "multi = isinstance(index, nmi.MultiIndex)",
                "key = spec['key']",
                "out = []",
                "for q in spec['queries']:",
                "    if q['shape'] == 'box':",
                "        found = index.box_query(q['corner'], q['opposite'], accuracy=q['accuracy'], fields=key)",
                "        count = index.box_counts(q['corner'], q['opposite'], accuracy=q['accuracy'])",
                "        groups = index.count_by_post_gid(q['corner'], q['opposite'], accuracy=q['accuracy']) if spec['synapses'] else {}",
                "    else:",
                "        found = index.sphere_query(q['center'], q['radius'], accuracy=q['accuracy'], fields=key)",
                "        count = index.sphere_counts(q['center'], q['radius'], accuracy=q['accuracy'])",
                "        groups = index.count_by_post_gid(center=q['center'], radius=q['radius'], accuracy=q['accuracy']) if spec['synapses'] else {}",
                "    if multi:",
                "        found = np.concatenate(list(found.values()))",
                "        groups = {g: n for per in groups.values() for g, n in per.items()}",
                "    rows = sorted(tuple(int(r[k]) for k in key) for r in found)",
                "    out.append({'elements': rows, 'count': int(count), 'by_post_gid': {str(g): n for g, n in groups.items()}})",
                "first = index.parts[0][1] if multi else index",
                "alias = first.box_query(first.bounds[:3], first.bounds[3:], fields=['id', 'centroid'] if spec['synapses'] else ['is_soma', 'centroid', 'endpoints'])",
                "assert alias.shape[0] == first.count, (alias.shape, first.count)",
                "print(json.dumps({'results': out}))");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, PYTHON.toString(), input.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "python reader did not finish");
        assertEquals(0, p.exitValue(), "python reader failed: " + new String(stdout));
        return JSON.readTree(stdout);
    }

    private static int compareLists(List<Long> a, List<Long> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = Long.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
