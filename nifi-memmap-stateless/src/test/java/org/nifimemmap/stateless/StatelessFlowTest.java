package org.nifimemmap.stateless;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatelessFlowTest {
    @TempDir
    Path work;

    @Test
    void engineRunsAFlowDefinitionWithOurNarsLoaded() throws Exception {
        FlowDefinitionFile definition = FlowDefinitionFile.read(Path.of(getClass().getResource("/passthrough-flow.json").toURI()));
        try (StatelessFlow flow = StatelessFlow.start(definition, Map.of(), Path.of(System.getProperty("memmap.nars")), work)) {
            Map<String, List<Map<String, String>>> out = flow.run("in",
                    List.of(Map.of("filename", "a.dat"), Map.of("filename", "b.dat")), 1, TimeUnit.MINUTES);
            assertEquals(List.of("a.dat", "b.dat"), out.get("out").stream().map(a -> a.get("filename")).sorted().toList());
        }
    }
}
