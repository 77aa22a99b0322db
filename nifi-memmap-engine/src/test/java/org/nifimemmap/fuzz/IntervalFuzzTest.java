package org.nifimemmap.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nifimemmap.intervals.IntervalFormat;
import org.nifimemmap.intervals.IntervalParser;

/**
 * Fuzz tests of the interval readers: the text formats as a property value (what a processor gets from its
 * configuration), pynapple's {@code .npz} as a file.
 */
class IntervalFuzzTest {
    static Stream<Arguments> textSeeds() {
        return FuzzSeeds.bundled("intervalText");
    }

    static Stream<Arguments> csvSeeds() {
        return FuzzSeeds.bundled("intervalCsv");
    }

    static Stream<Arguments> tsvSeeds() {
        return FuzzSeeds.bundled("intervalTsv");
    }

    static Stream<Arguments> jsonSeeds() {
        return FuzzSeeds.bundled("intervalJson");
    }

    static Stream<Arguments> evtSeeds() {
        return FuzzSeeds.bundled("intervalEvt");
    }

    static Stream<Arguments> npzSeeds() {
        return FuzzSeeds.bundled("intervalNpz");
    }

    @MethodSource("textSeeds")
    @ParserFuzzTest
    void text(byte[] data) {
        parseText(data, IntervalFormat.TEXT);
    }

    @MethodSource("csvSeeds")
    @ParserFuzzTest
    void csv(byte[] data) {
        parseText(data, IntervalFormat.CSV);
    }

    @MethodSource("tsvSeeds")
    @ParserFuzzTest
    void tsv(byte[] data) {
        parseText(data, IntervalFormat.TSV);
    }

    @DictionaryEntries({"{", "}", "[", "]", "\"start\"", "\"end\"", ":", ",", "1e308", "-0.0", "NaN", "null", "true"})
    @MethodSource("jsonSeeds")
    @ParserFuzzTest
    void json(byte[] data) {
        parseText(data, IntervalFormat.JSON);
    }

    @MethodSource("evtSeeds")
    @ParserFuzzTest
    void evt(byte[] data) {
        parseText(data, IntervalFormat.NEUROSCOPE_EVT);
    }

    // Zip and .npy structure, so that mutations reach the array headers behind the zip directory.
    @DictionaryEntries({"PK\u0003\u0004", "PK\u0001\u0002", "PK\u0005\u0006", "\u0093NUMPY", "start.npy", "end.npy",
        "'descr': '<f8'", "'fortran_order': False", "'shape': (3,)", "'shape': ()", "<U11", "|O"})
    @MethodSource("npzSeeds")
    @ParserFuzzTest
    void npz(byte[] data) {
        ParserContract.readsOrRefuses(data, "fuzz.npz", file -> IntervalParser.parseFile(file, IntervalFormat.NPZ));
    }

    private static void parseText(byte[] data, IntervalFormat format) {
        // Property values are Java strings; bytes that are not UTF-8 become U+FFFD, as NiFi's decoding does.
        String text = new String(data, StandardCharsets.UTF_8);
        String source = "Intervals (" + format.name().toLowerCase(Locale.ROOT) + ")";
        ParserContract.readsOrRefuses(source, () -> IntervalParser.parse(text, format));
    }
}
