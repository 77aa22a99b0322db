package org.nifimemmap.stateless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** templates/eeg-to-zarr.json, end to end in NiFi's stateless engine with the built NAR. */
class EegFlowDefinitionTest {
    @TempDir
    Path dir;

    @Test
    void convertsRecordingsAndRoutesBadOnesToTheFailedPort() throws Exception {
        Path raw = Files.createDirectory(dir.resolve("raw"));
        Path out = Files.createDirectory(dir.resolve("zarr"));
        Path good = raw.resolve("mouse1.dat");
        SyntheticRecording.write(good, 8, 1000, 12_345, 7);
        Path truncated = Files.write(raw.resolve("mouse2.dat"), new byte[8 * 2 * 100 + 5]);

        FlowDefinitionFile definition = FlowDefinitionFile.read(Path.of(System.getProperty("memmap.templates"), "eeg-to-zarr.json"));
        Map<String, String> parameters = Map.of("output.directory", out.toString(), "eeg.channels", "8", "eeg.sampling_rate", "1000");
        try (StatelessFlow flow = StatelessFlow.start(definition, parameters, Path.of(System.getProperty("memmap.nars")), dir.resolve("work"))) {
            Map<String, List<Map<String, String>>> results = flow.run("recordings", List.of(
                    Map.of("absolute.path", raw.toString(), "filename", "mouse1.dat"),
                    Map.of("absolute.path", raw.toString(), "filename", "mouse2.dat")), 2, TimeUnit.MINUTES);

            List<Map<String, String>> converted = results.get("converted");
            assertEquals(1, converted.size(), results.toString());
            Map<String, String> ok = converted.getFirst();
            Path zarr = out.resolve("mouse1.zarr");
            assertEquals(zarr.toString(), ok.get("zarr.path"));
            assertEquals("12345", ok.get("eeg.samples"));
            assertEquals("8", ok.get("eeg.channels"));
            JsonNode array = new ObjectMapper().readTree(zarr.resolve("traces_seg0/.zarray").toFile());
            assertEquals(12_345, array.get("shape").get(0).asInt());
            assertEquals(8, array.get("shape").get(1).asInt());

            List<Map<String, String>> failed = results.get("failed");
            assertEquals(1, failed.size(), results.toString());
            assertEquals("invalid-input", failed.getFirst().get("memmap.error.type"));
            assertTrue(failed.getFirst().get("memmap.error.message").contains("mouse2.dat"));
            assertTrue(Files.notExists(out.resolve("mouse2.zarr")));
        }
    }
}
