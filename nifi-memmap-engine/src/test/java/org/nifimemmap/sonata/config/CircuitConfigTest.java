package org.nifimemmap.sonata.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.io.SparseFiles;

class CircuitConfigTest {
    static final Path FIXTURES = Path.of(System.getProperty("memmap.fixtures", "../fixtures")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void hostileConfigsAreRefusedBeforeTheyCostAnything() throws Exception {
        // Manifest variables that each expand to 100 copies of the next: 100^10 characters after ten rounds.
        StringBuilder bomb = new StringBuilder("{\"manifest\": {");
        for (int v = 0; v < 10; v++) {
            bomb.append(v == 0 ? "" : ", ").append("\"$V").append(v).append("\": \"").append(("$V" + (v + 1)).repeat(100)).append('"');
        }
        bomb.append(", \"$V10\": \"x\"}, \"networks\": {\"nodes\": [{\"nodes_file\": \"$V0\", \"populations\": {\"a\": {}}}]}}");
        Path laughs = Files.writeString(dir.resolve("laughs.json"), bomb);
        MemmapException e = assertThrows(MemmapException.class, () -> CircuitConfig.load(laughs));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(laughs.toString()) && e.getMessage().contains("longer than"), e.getMessage());

        // A NUL in a path: Path.of threw InvalidPathException past the config's own errors.
        Path nul = Files.writeString(dir.resolve("nul.json"),
                "{\"networks\": {\"nodes\": [{\"nodes_file\": \"a\\u0000b.h5\", \"populations\": {\"a\": {}}}]}}");
        e = assertThrows(MemmapException.class, () -> CircuitConfig.load(nul));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(nul.toString()) && e.getMessage().contains("not a valid path"), e.getMessage());

        // A file far larger than any circuit config is refused from its size, not read into the heap.
        Path huge = SparseFiles.longerThan(dir.resolve("huge.json"), CircuitConfig.MAX_BYTES, '{');
        e = assertThrows(MemmapException.class, () -> CircuitConfig.load(huge));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(huge.toString()) && e.getMessage().contains("bytes"), e.getMessage());
    }

    @Test
    void usecase1PopulationOverridesAndRelativePaths() {
        Path base = FIXTURES.resolve("sonata/usecases");
        CircuitConfig c = CircuitConfig.load(base.resolve("usecase1/circuit_sonata.json"));
        PopulationConfig nodes = c.nodePopulation("nodeA").orElseThrow();
        assertEquals(base.resolve("usecase1/nodes.h5"), nodes.file());
        assertEquals("biophysical", nodes.type());
        assertEquals(base.resolve("components/CircuitA/morphologies/swc"), nodes.morphologiesDir());
        assertEquals(Map.of("neurolucida-asc", base.resolve("components/CircuitA/morphologies/asc")), nodes.alternateMorphologies());
        PopulationConfig edges = c.edgePopulation("nodeA__nodeA__chemical").orElseThrow();
        assertEquals("chemical", edges.type());
        assertEquals(base.resolve("usecase1/edges.h5"), edges.file());
    }

    @Test
    void snapManifestVariablesAreExpandedRecursively() {
        Path base = FIXTURES.resolve("sonata/snap");
        CircuitConfig c = CircuitConfig.load(base.resolve("circuit_config.json"));
        assertEquals(List.of("default", "default2"), c.nodePopulations().stream().map(PopulationConfig::name).toList());
        PopulationConfig d2 = c.nodePopulation("default2").orElseThrow();
        assertEquals(base.resolve("nodes.h5"), d2.file());
        assertEquals(base.resolve("morphologies"), d2.morphologiesDir(), "$COMPONENT_DIR -> $BASE_DIR -> .");
        assertEquals(base.resolve("path/to/node/dir").toString(), d2.properties().get("spatial_segment_index_dir"));
        assertEquals(base.resolve("path/to/edge/dir").toString(),
                c.edgePopulation("default2").orElseThrow().properties().get("spatial_synapse_index_dir"));
        assertEquals(base.resolve("edges.h5"), c.edgePopulation("default").orElseThrow().file());
    }

    @Test
    void libsonataConfigWithParentDirectoryAndDefaultType() {
        Path base = FIXTURES.resolve("sonata/libsonata");
        CircuitConfig c = CircuitConfig.load(base.resolve("config/circuit_config.json"));
        PopulationConfig a = c.nodePopulation("nodes-A").orElseThrow();
        assertEquals(base.resolve("nodes1.h5"), a.file(), "$NETWORK_DIR is ../ relative to the config");
        assertEquals("biophysical", a.type(), "no type given: biophysical");
        assertEquals(base.resolve("config/morphologies"), a.morphologiesDir());
        assertEquals(base.resolve("config/spine_morphologies_dir_edges-AC").toString(),
                c.edgePopulation("edges-AC").orElseThrow().properties().get("spine_morphologies_dir"), "population entry overrides the component");
        assertEquals(base.resolve("config/spine_morphologies_dir_component").toString(),
                c.edgePopulation("edges-AB").orElseThrow().properties().get("spine_morphologies_dir"));
    }

    @Test
    void populationAlternateMorphologiesReplaceTheComponentSet() throws Exception {
        Path cfg = Files.writeString(dir.resolve("c.json"), """
                {"components": {"morphologies_dir": "m", "alternate_morphologies": {"h5v1": "h5", "neurolucida-asc": "asc"}},
                 "networks": {"nodes": [{"nodes_file": "n.h5", "populations": {
                    "p": {"alternate_morphologies": {"h5v1": "/abs/h5"}, "morphologies_dir": ""},
                    "q": {}}}]}}
                """);
        CircuitConfig c = CircuitConfig.load(cfg);
        PopulationConfig p = c.nodePopulation("p").orElseThrow();
        assertEquals(Map.of("h5v1", Path.of("/abs/h5")), p.alternateMorphologies());
        assertNull(p.morphologiesDir(), "an empty morphologies_dir means none");
        assertEquals(Map.of("h5v1", dir.resolve("h5"), "neurolucida-asc", dir.resolve("asc")),
                c.nodePopulation("q").orElseThrow().alternateMorphologies());
        assertTrue(c.edgePopulations().isEmpty());
    }

    @Test
    void invalidConfigsNameTheProblem() throws Exception {
        assertError("{\"manifest\": {\"$A\": \"$B/x\", \"$B\": \"$A/y\"}, \"networks\": {}}", "cycle");
        assertError("{\"manifest\": {\"A\": \"x\"}, \"networks\": {}}", "must start with '$'");
        assertError("{\"components\": {}}", "no 'networks'");
        assertError("{\"networks\": {\"nodes\": [{\"populations\": {\"a\": {}}}]}}", "no 'nodes_file'");
        assertError("{\"networks\": {\"edges\": [{\"edges_file\": \"e.h5\", \"populations\": {\"a\": {}}},"
                + " {\"edges_file\": \"f.h5\", \"populations\": {\"a\": {}}}]}}", "appears twice");
        assertError("{\n\"networks\": {,}}", "line 2");
        MemmapException missing = assertThrows(MemmapException.class, () -> CircuitConfig.load(dir.resolve("none.json")));
        assertEquals(ErrorKind.INPUT_NOT_FOUND, missing.kind());
    }

    private void assertError(String json, String expected) throws Exception {
        Path cfg = Files.writeString(dir.resolve("bad.json"), json);
        MemmapException e = assertThrows(MemmapException.class, () -> CircuitConfig.load(cfg));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(cfg.toString()), e.getMessage());
    }
}
