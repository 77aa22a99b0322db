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
    void convertsRestrictsAndRoutesBadRecordingsToTheFailedPort() throws Exception {
        Path raw = Files.createDirectory(dir.resolve("raw"));
        Path out = Files.createDirectory(dir.resolve("zarr"));
        Path good = raw.resolve("mouse1.dat");
        SyntheticRecording.write(good, 8, 1000, 12_345, 7);
        Files.write(raw.resolve("mouse2.dat"), new byte[8 * 2 * 100 + 5]);
        SyntheticRecording.write(raw.resolve("mouse3.dat"), 8, 1000, 8_000, 8);

        FlowDefinitionFile definition = FlowDefinitionFile.read(Path.of(System.getProperty("memmap.templates"), "eeg-to-zarr.json"));
        Map<String, String> parameters = Map.of("output.directory", out.toString(), "eeg.channels", "8", "eeg.sampling_rate", "1000",
                "restrict.intervals", "1-2, 5-6");
        try (StatelessFlow flow = StatelessFlow.start(definition, parameters, Path.of(System.getProperty("memmap.nars")), dir.resolve("work"))) {
            Map<String, List<Map<String, String>>> results = flow.run("recordings", List.of(
                    Map.of("absolute.path", raw.toString(), "filename", "mouse1.dat"),
                    Map.of("absolute.path", raw.toString(), "filename", "mouse2.dat"),
                    Map.of("absolute.path", raw.toString(), "filename", "mouse3.dat")), 2, TimeUnit.MINUTES);

            List<Map<String, String>> converted = results.get("converted");
            assertEquals(2, converted.size(), results.toString());
            Map<String, String> ok = converted.stream().filter(a -> a.get("filename").equals("mouse1.dat")).findFirst().orElseThrow();
            Path zarr = out.resolve("mouse1.zarr");
            assertEquals(zarr.toString(), ok.get("zarr.path"));
            assertEquals("12345", ok.get("eeg.samples"));
            assertEquals("8", ok.get("eeg.channels"));
            JsonNode array = new ObjectMapper().readTree(zarr.resolve("traces_seg0/.zarray").toFile());
            assertEquals(12_345, array.get("shape").get(0).asInt());
            assertEquals(8, array.get("shape").get(1).asInt());

            // The restrict stage keeps t = 1..2 s and 5..6 s (the parameter) of both good recordings.
            List<Map<String, String>> restricted = results.get("restricted");
            assertEquals(2, restricted.size(), results.toString());
            for (Map<String, String> r : restricted) {
                boolean first = r.get("filename").equals("mouse1.dat");
                assertEquals("2002", r.get("restrict.samples"));
                assertEquals("2", r.get("restrict.segments"));
                assertEquals(out.resolve(first ? "mouse1-restricted.zarr" : "mouse3-restricted.zarr").toString(), r.get("zarr.path"));
                assertTrue(Files.isRegularFile(Path.of(r.get("zarr.path"), "traces_seg0", ".zarray")));
            }

            List<Map<String, String>> failed = results.get("failed");
            assertEquals(1, failed.size(), results.toString());
            assertEquals("invalid-input", failed.getFirst().get("memmap.error.type"));
            assertTrue(failed.getFirst().get("memmap.error.message").contains("mouse2.dat"));
            assertTrue(Files.notExists(out.resolve("mouse2.zarr")));
        }
    }
}
