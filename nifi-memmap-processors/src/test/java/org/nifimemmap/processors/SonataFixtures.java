package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shared SONATA fixtures, and synthetic edges files written by the engine tests' h5py generator. */
final class SonataFixtures {
    static final Path ROOT = Path.of(System.getProperty("memmap.fixtures"), "sonata").toAbsolutePath().normalize();
    static final Path SYN_2K = ROOT.resolve("syn-2k/edges.h5");
    static final String SYN_2K_POPULATION = "neocortex_neurons__chemical_synapse";
    static final Path USECASE1_CONFIG = ROOT.resolve("usecases/usecase1/circuit_sonata.json");
    /** Two populations, default and default2, uint64 ids; its circuit config uses $BASE_DIR-style manifest variables. */
    static final Path SNAP_EDGES = ROOT.resolve("snap/edges.h5");
    static final Path SNAP_CONFIG = ROOT.resolve("snap/circuit_config.json");
    /** Edges without afferent_center_* positions. */
    static final Path LIBSONATA_EDGES = ROOT.resolve("libsonata/edges1.h5");
    private static final Path GENERATOR = Path.of(System.getProperty("memmap.templates")).getParent()
            .resolve("nifi-memmap-engine/src/test/resources/sonata/make_edges.py");

    private SonataFixtures() {
    }

    /**
     * Writes {@code n} synapses of population {@code generated} with the given id dtype and returns numpy's answer
     * for the box [100,300]^3: {@code rows} (edge ids), {@code by_post} (count per target id), {@code sections}, {@code pre}.
     */
    static JsonNode generateEdges(Path file, int n, String idType, String posType, String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", GENERATOR.toString(), file.toString(),
                Integer.toString(n), idType, posType, "7"));
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).start();
        String stdout = new String(p.getInputStream().readAllBytes());
        String stderr = new String(p.getErrorStream().readAllBytes());
        assertEquals(0, p.waitFor(), stderr);
        return new ObjectMapper().readTree(stdout);
    }
}
