package org.nifimemmap.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nifimemmap.morphology.AscReader;
import org.nifimemmap.morphology.H5MorphologyReader;
import org.nifimemmap.morphology.SwcReader;

/** Fuzz tests of the morphology readers (SWC, Neurolucida ASC, HDF5 v1). */
class MorphologyFuzzTest {
    static Stream<Arguments> swcSeeds() {
        return FuzzSeeds.matching("**.swc");
    }

    static Stream<Arguments> ascSeeds() {
        return FuzzSeeds.matching("**.asc");
    }

    static Stream<Arguments> h5Seeds() {
        return FuzzSeeds.matching("morphologies/**.h5", "sonata/*/morphologies/*.h5");
    }

    @MethodSource("swcSeeds")
    @ParserFuzzTest
    void swc(byte[] data) {
        // Same decoding as SwcReader.read(Path), without a file per input.
        String text = new String(data, StandardCharsets.ISO_8859_1);
        ParserContract.readsOrRefuses("fuzz.swc", () -> new SwcReader().parse("fuzz.swc", text));
    }

    // Neurolucida's structural tokens, so that mutations build nesting, spines and markers quickly.
    @DictionaryEntries({"(", ")", "|", "<(", ")>", "(CellBody)", "\"CellBody\"", "(Axon)", "(Dendrite)",
        "(Apical)", "(Color Red)", "(Font Helvetica 1)", "(Dot", "(Marker", "Normal", "Incomplete", "High", "Low",
        "Generated", "Midpoint", "Origin", "(1 2 3 4)", "; comment"})
    @MethodSource("ascSeeds")
    @ParserFuzzTest
    void asc(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        ParserContract.readsOrRefuses("fuzz.asc", () -> new AscReader().parse("fuzz.asc", text));
    }

    @MethodSource("h5Seeds")
    @ParserFuzzTest
    void h5(byte[] data) {
        ParserContract.readsOrRefuses(data, "fuzz.h5", file -> new H5MorphologyReader().read(file));
    }
}
