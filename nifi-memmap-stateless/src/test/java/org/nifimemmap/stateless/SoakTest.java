package org.nifimemmap.stateless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many FlowFiles through both embedded flow definitions, three dataflows running at once, round after round:
 * open file descriptors, memory mappings and heap after GC must not grow with the number of rounds. Asserts on
 * counts, not timings. A short run in CI; {@code -Dmemmap.long=true} runs for {@code memmap.soak.minutes} (10).
 */
class SoakTest {
    private static final boolean LONG = Boolean.getBoolean("memmap.long");
    @TempDir
    Path dir;

    private record Usage(long descriptors, long mappings, long heapBytes) {
        static Usage now() throws IOException, InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(50);
            }
            long fds;
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                fds = s.count();
            }
            long maps;
            try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
                maps = lines.count();
            }
            return new Usage(fds, maps, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
    }

    @Test
    void resourcesDoNotGrowWithTheNumberOfFlowFiles() throws Exception {
        Path raw = Files.createDirectory(dir.resolve("raw"));
        for (int i = 0; i < 4; i++) {
            SyntheticRecording.write(raw.resolve("rec" + i + ".dat"), 16, 1000, 20_000, i);
        }
        Path edges = Path.of(System.getProperty("memmap.fixtures"), "sonata", "syn-2k", "edges.h5");
        FlowDefinitionFile eeg = FlowDefinitionFile.read(Path.of(System.getProperty("memmap.templates"), "eeg-to-zarr.json"));
        FlowDefinitionFile circuit = FlowDefinitionFile.read(Path.of(System.getProperty("memmap.templates"), "circuit-index.json"));
        Path nars = Path.of(System.getProperty("memmap.nars"));

        List<StatelessFlow> flows = new ArrayList<>();
        List<Runnable> rounds = new ArrayList<>();
        try {
            for (int t = 0; t < 2; t++) {
                Path out = Files.createDirectory(dir.resolve("zarr" + t));
                StatelessFlow flow = StatelessFlow.start(eeg, Map.of("output.directory", out.toString(), "eeg.channels", "16",
                        "eeg.sampling_rate", "1000", "conflict.resolution", "replace", "restrict.intervals", "1-3, 7-9.5"), nars, dir.resolve("work-eeg" + t));
                flows.add(flow);
                List<Map<String, String>> batch = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    batch.add(Map.of("absolute.path", raw.toString(), "filename", "rec" + i + ".dat"));
                }
                rounds.add(() -> {
                    Map<String, List<Map<String, String>>> result = run(flow, "recordings", batch);
                    assertEquals(4, result.getOrDefault("restricted", List.of()).size(), result.toString());
                });
            }
            Path indexes = Files.createDirectory(dir.resolve("indexes"));
            StatelessFlow index = StatelessFlow.start(circuit, Map.of("output.directory", indexes.toString(),
                    "conflict.resolution", "replace"), nars, dir.resolve("work-circuit"));
            flows.add(index);
            rounds.add(() -> {
                Map<String, List<Map<String, String>>> result = run(index, "edges",
                        List.of(Map.of("absolute.path", edges.getParent().toString(), "filename", "edges.h5")));
                assertEquals(1, result.getOrDefault("indexed", List.of()).size(), result.toString());
            });

            ExecutorService tasks = Executors.newFixedThreadPool(rounds.size());
            try {
                runRound(tasks, rounds); // warm-up: classes loaded, pools started, caches filled
                runRound(tasks, rounds);
                Usage before = Usage.now();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(Long.getLong("memmap.soak.minutes", 10));
                int count = 0;
                do {
                    runRound(tasks, rounds);
                    count++;
                } while (LONG ? System.nanoTime() < deadline : count < 12);
                Usage after = Usage.now();
                String report = String.format("after %d rounds (%d FlowFiles): descriptors %d -> %d, mappings %d -> %d, heap %.1f -> %.1f MB",
                        count, count * 9, before.descriptors(), after.descriptors(), before.mappings(), after.mappings(),
                        before.heapBytes() / 1e6, after.heapBytes() / 1e6);
                System.out.println("soak: " + report);
                assertTrue(after.descriptors() <= before.descriptors() + 8, report);
                assertTrue(after.mappings() <= before.mappings() + 64, report);
                assertTrue(after.heapBytes() <= before.heapBytes() + (48L << 20), report);
            } finally {
                tasks.shutdownNow();
            }
        } finally {
            flows.forEach(StatelessFlow::close);
        }
    }

    private static Map<String, List<Map<String, String>>> run(StatelessFlow flow, String port, List<Map<String, String>> flowFiles) {
        try {
            return flow.run(port, flowFiles, 5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void runRound(ExecutorService tasks, List<Runnable> rounds) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (Runnable r : rounds) {
            running.add(tasks.submit(r));
        }
        for (Future<?> f : running) {
            f.get(10, TimeUnit.MINUTES);
        }
    }
}
