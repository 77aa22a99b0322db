package org.nifimemmap.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nifimemmap.sonata.config.CircuitConfig;

/** Fuzz test of the SONATA circuit config reader (JSON, manifest variables, relative paths). */
class SonataConfigFuzzTest {
    static Stream<Arguments> configSeeds() {
        return FuzzSeeds.matching("sonata/**/circuit*.json");
    }

    // The config's structural keys and manifest syntax, so that mutations reach substitution and resolution.
    @DictionaryEntries({"\"manifest\"", "\"$BASE_DIR\"", "$BASE_DIR", "\"networks\"", "\"nodes\"", "\"edges\"",
        "\"nodes_file\"", "\"edges_file\"", "\"populations\"", "\"components\"", "\"morphologies_dir\"",
        "\"alternate_morphologies\"", "\"neurolucida-asc\"", "\"type\"", "\"chemical\"", "../", "\\u0000"})
    @MethodSource("configSeeds")
    @ParserFuzzTest
    void circuitConfig(byte[] data) {
        ParserContract.readsOrRefuses(data, "circuit_config.json", CircuitConfig::load);
    }
}
