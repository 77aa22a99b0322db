package org.nifimemmap.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nifimemmap.eeg.RecordingFormat;
import org.nifimemmap.eeg.RecordingMetadata;

/** Fuzz tests of the acquisition metadata readers: SpikeGLX .meta, Open Ephys structure.oebin and its .npy sample numbers. */
class RecordingMetadataFuzzTest {
    /** A valid structure file naming one stream, so the .npy target reaches the .npy reader. */
    private static final String ONE_STREAM = "{\"continuous\": [{\"folder_name\": \"A/\", \"sample_rate\": 30000.0, \"num_channels\": 1,"
            + " \"channels\": [{\"channel_name\": \"CH1\", \"bit_volts\": 0.195, \"units\": \"uV\"}]}]}";

    static Stream<Arguments> metaSeeds() {
        return FuzzSeeds.bundled("spikeGlxMeta");
    }

    static Stream<Arguments> oebinSeeds() {
        return FuzzSeeds.bundled("openEphysOebin");
    }

    static Stream<Arguments> npySeeds() {
        return FuzzSeeds.bundled("npy");
    }

    @MethodSource("metaSeeds")
    @ParserFuzzTest
    void spikeGlxMeta(byte[] data) {
        // The .bin beside it is never opened by the metadata reader; only the .meta is parsed.
        ParserContract.readsOrRefuses(data, "fuzz.meta", file -> RecordingMetadata.of(file.resolveSibling("fuzz.bin"),
                RecordingFormat.SPIKEGLX, null));
    }

    @MethodSource("oebinSeeds")
    @ParserFuzzTest
    void openEphysStructure(byte[] data) {
        ParserContract.readsOrRefuses(data, "structure.oebin", file -> RecordingMetadata.of(file, RecordingFormat.OPENEPHYS, null));
    }

    @MethodSource("npySeeds")
    @ParserFuzzTest
    void sampleNumbersNpy(byte[] data) {
        try {
            Path dir = Files.createTempDirectory("npy");
            Path stream = Files.createDirectories(dir.resolve("continuous/A"));
            Path npy = Files.write(stream.resolve("sample_numbers.npy"), data);
            Path oebin = Files.writeString(dir.resolve("structure.oebin"), ONE_STREAM);
            try {
                ParserContract.readsOrRefuses(npy.toString(), () -> RecordingMetadata.of(oebin, RecordingFormat.OPENEPHYS, null));
            } finally {
                Files.delete(npy);
                Files.delete(oebin);
                Files.delete(stream);
                Files.delete(stream.getParent());
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
