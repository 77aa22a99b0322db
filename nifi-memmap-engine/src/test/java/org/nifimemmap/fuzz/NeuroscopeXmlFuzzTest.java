package org.nifimemmap.fuzz;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nifimemmap.eeg.NeuroscopeParameters;
import org.nifimemmap.eeg.RecordingFormat;
import org.nifimemmap.eeg.RecordingMetadata;
import org.nifimemmap.io.MemmapException;

/** Fuzz test of the Neuroscope parameter file reader (XML, through the JDK's parser). */
class NeuroscopeXmlFuzzTest {
    static Stream<Arguments> xmlSeeds() {
        return FuzzSeeds.bundled("neuroscopeXml");
    }

    @MethodSource("xmlSeeds")
    @ParserFuzzTest
    void xml(byte[] data) {
        ParserContract.readsOrRefuses(data, "fuzz.xml", file -> {
            // Through RecordingMetadata: channel groups, skip flags and the gain are read too.
            return RecordingMetadata.of(file.resolveSibling("fuzz.lfp"), RecordingFormat.NEUROSCOPE, null);
        });
    }

    /**
     * The contract accepts a parse, so it cannot tell an expanded entity from a refused one: the seeds with
     * an external entity and with nested entities (billion laughs) must be refused outright.
     */
    @Test
    void entitySeedsAreRefused(@TempDir Path dir) throws IOException {
        for (String seed : new String[] {"xxe.xml", "billion-laughs.xml"}) {
            Path file = dir.resolve(seed);
            try (var in = NeuroscopeXmlFuzzTest.class.getResourceAsStream("seeds/neuroscopeXml/" + seed)) {
                Files.write(file, in.readAllBytes());
            }
            MemmapException e = assertThrows(MemmapException.class, () -> NeuroscopeParameters.parse(file));
            assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
        }
    }
}
