package org.nifimemmap.stateless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * templates/circuit-index.json, end to end in NiFi's stateless engine with the built NAR; then the same build followed
 * by QuerySpatialIndex in one flow (a test flow definition), checked against upstream's syn-2k counts per post_gid.
 */
class CircuitIndexFlowDefinitionTest {
    private static final Path SONATA = Path.of(System.getProperty("memmap.fixtures"), "sonata").toAbsolutePath().normalize();
    private static final String POPULATION = "neocortex_neurons__chemical_synapse";

    @TempDir
    Path dir;

    private static Map<String, String> file(Path path) {
        return Map.of("absolute.path", path.getParent().toString(), "filename", path.getFileName().toString());
    }

    @Test
    void indexesEdgesFilesAndRoutesBadOnesToTheFailedPort() throws Exception {
        Path out = Files.createDirectory(dir.resolve("indexes"));
        Path notHdf5 = Files.writeString(dir.resolve("edges.h5"), "not hdf5".repeat(100));
        FlowDefinitionFile definition = FlowDefinitionFile.read(Path.of(System.getProperty("memmap.templates"), "circuit-index.json"));
        Map<String, String> parameters = Map.of("output.directory", out.toString(), "memory.map.size", "16 MB");
        try (StatelessFlow flow = StatelessFlow.start(definition, parameters, Path.of(System.getProperty("memmap.nars")), dir.resolve("work"))) {
            Map<String, List<Map<String, String>>> results = flow.run("edges", List.of(
                    file(SONATA.resolve("syn-2k/edges.h5")), file(notHdf5)), 2, TimeUnit.MINUTES);

            List<Map<String, String>> indexed = results.get("indexed");
            assertEquals(1, indexed.size(), results.toString());
            Map<String, String> ok = indexed.getFirst();
            Path indexFile = out.resolve(POPULATION).resolve("index.nmsidx");
            assertEquals(indexFile.toString(), ok.get("index.path"));
            assertEquals("1931", ok.get("index.elements"));
            assertEquals(POPULATION, ok.get("index.population"));
            JsonNode manifest = new ObjectMapper().readTree(out.resolve(POPULATION).resolve("manifest.json").toFile());
            assertEquals(1931, manifest.get("elements").asLong());
            assertEquals(Files.size(indexFile), manifest.get("file_bytes").asLong());
            String[] min = ok.get("index.bounds.min").split(",");
            for (int a = 0; a < 3; a++) {
                assertEquals(manifest.get("bounds").get("min").get(a).asDouble(), Double.parseDouble(min[a]));
            }

            List<Map<String, String>> failed = results.get("failed");
            assertEquals(1, failed.size(), results.toString());
            assertEquals("invalid-input", failed.getFirst().get("memmap.error.type"));
            assertTrue(failed.getFirst().get("memmap.error.message").contains(notHdf5.toString()));
        }
    }

    @Test
    void circuitConfigsAreIndexedPopulationByPopulation() throws Exception {
        Path out = Files.createDirectory(dir.resolve("indexes"));
        FlowDefinitionFile definition = FlowDefinitionFile.read(Path.of(System.getProperty("memmap.templates"), "circuit-index.json"));
        Map<String, String> parameters = Map.of("output.directory", out.toString(), "source.kind", "circuit-config",
                "synapse.extra_attributes", "afferent_section_id");
        try (StatelessFlow flow = StatelessFlow.start(definition, parameters, Path.of(System.getProperty("memmap.nars")), dir.resolve("work"))) {
            Map<String, List<Map<String, String>>> results = flow.run("edges", List.of(file(SONATA.resolve("snap/circuit_config.json"))),
                    2, TimeUnit.MINUTES);
            List<Map<String, String>> indexed = results.get("indexed");
            assertEquals(List.of("default", "default2"), indexed.stream().map(a -> a.get("index.population")).sorted().toList(), results.toString());
            for (Map<String, String> a : indexed) {
                assertEquals("2", a.get("fragment.count"));
                assertEquals("4", a.get("index.elements"));
                JsonNode manifest = new ObjectMapper().readTree(Path.of(a.get("index.manifest")).toFile());
                assertTrue(manifest.get("columns").findValuesAsText("name").contains("afferent_section_id"), manifest.toString());
            }
        }
    }

    @Test
    void indexThenCountByPostGidInOneFlow() throws Exception {
        Path out = Files.createDirectory(dir.resolve("indexes"));
        Path results = Files.createDirectory(dir.resolve("results"));
        FlowDefinitionFile definition = FlowDefinitionFile.read(Path.of(getClass().getResource("/circuit-index-and-count-flow.json").toURI()));
        Map<String, String> parameters = Map.of("output.directory", out.toString(), "results.directory", results.toString());
        try (StatelessFlow flow = StatelessFlow.start(definition, parameters, Path.of(System.getProperty("memmap.nars")), dir.resolve("work"))) {
            Map<String, List<Map<String, String>>> ports = flow.run("edges", List.of(file(SONATA.resolve("syn-2k/edges.h5"))), 2, TimeUnit.MINUTES);
            List<Map<String, String>> counted = ports.get("counted");
            assertEquals(1, counted.size(), ports.toString());
            Map<String, String> a = counted.getFirst();
            assertEquals("1931", a.get("query.count"));
            assertEquals("47", a.get("query.groups"));
            Path csv = results.resolve(POPULATION + "-by-post-gid.csv");
            assertEquals(csv.toString(), a.get("query.result.path"));
            Map<String, String> byPost = new HashMap<>();
            List<String> lines = Files.readAllLines(csv);
            assertEquals("post_gid,count", lines.getFirst());
            lines.stream().skip(1).forEach(l -> byPost.put(l.split(",")[0], l.split(",")[1]));
            assertEquals(47, byPost.size());
            assertEquals("30", byPost.get("4"));
            assertEquals("14", byPost.get("8"));
            assertEquals("21", byPost.get("10"));
        }
    }

    @Test
    void circuitConfigsGetSegmentIndexesThroughTheCircuitsPort() throws Exception {
        Path out = Files.createDirectory(dir.resolve("indexes"));
        Path usecase1 = SONATA.resolve("usecases/usecase1/circuit_sonata.json");
        FlowDefinitionFile definition = FlowDefinitionFile.read(Path.of(System.getProperty("memmap.templates"), "circuit-index.json"));
        Map<String, String> parameters = Map.of("output.directory", out.toString(), "segment.memory.map.size", "64 MB");
        try (StatelessFlow flow = StatelessFlow.start(definition, parameters, Path.of(System.getProperty("memmap.nars")), dir.resolve("work"))) {
            Map<String, List<Map<String, String>>> results = flow.run("circuits", List.of(file(usecase1),
                    file(SONATA.resolve("snap/circuit_config.json"))), 2, TimeUnit.MINUTES);

            List<Map<String, String>> indexed = results.get("indexed");
            assertEquals(1, indexed.size(), results.toString());
            assertEquals("13632", indexed.getFirst().get("index.elements")); // usecase1's two cells, as SpatialIndex counts them
            assertEquals("2", indexed.getFirst().get("index.nodes"));
            assertTrue(Files.isRegularFile(Path.of(indexed.getFirst().get("index.path"))));

            // snap's two populations: 'default' names a 0-byte morphology, 'default2' a missing one. Each fails alone,
            // with an error naming node and file.
            Map<String, Map<String, String>> failed = new java.util.HashMap<>();
            results.get("failed").forEach(f -> failed.put(f.get("index.population"), f));
            assertEquals(java.util.Set.of("default", "default2"), failed.keySet(), results.toString());
            assertEquals("invalid-input", failed.get("default").get("memmap.error.type"));
            assertTrue(failed.get("default").get("memmap.error.message").contains("node 2, morphology 'morph-C'")
                    && failed.get("default").get("memmap.error.message").contains("morph-C.asc"), failed.toString());
            assertEquals("input-not-found", failed.get("default2").get("memmap.error.type"));
            assertTrue(failed.get("default2").get("memmap.error.message").contains("morph-D"), failed.toString());
        }
    }
}
