package org.nifimemmap.stateless;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Command line: runs a flow definition from templates/ in NiFi's stateless engine on files given by path.
 * <pre>
 * RunFlow --flow templates/eeg-to-zarr.json --nars DIR [--port recordings] [--param name=value]... FILE...
 * RunFlow --generate FILE --channels 64 --rate 1250 --seconds 600    (writes a synthetic recording first)
 * </pre>
 * Each FILE becomes one FlowFile with {@code absolute.path} and {@code filename}, as ListFile writes them.
 */
public final class RunFlow {
    private RunFlow() {
    }

    public static void main(String[] args) throws Exception {
        Path flow = null;
        Path nars = null;
        Path generate = null;
        String port = null;
        int channels = 64;
        double rate = 1250;
        double seconds = 600;
        Map<String, String> parameters = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--flow" -> flow = Path.of(args[++i]);
                case "--nars" -> nars = Path.of(args[++i]);
                case "--port" -> port = args[++i];
                case "--generate" -> generate = Path.of(args[++i]);
                case "--channels" -> channels = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--param" -> {
                    String[] kv = args[++i].split("=", 2);
                    if (kv.length != 2) {
                        usage("--param takes name=value, got " + args[i]);
                    }
                    parameters.put(kv[0], kv[1]);
                }
                default -> {
                    if (args[i].startsWith("--")) {
                        usage("unknown option " + args[i]);
                    }
                    files.add(Path.of(args[i]).toAbsolutePath());
                }
            }
        }
        if (generate != null) {
            long samples = Math.round(seconds * rate);
            long t0 = System.nanoTime();
            SyntheticRecording.write(generate, channels, rate, samples, 42);
            System.out.printf("generated %s: %d channels x %d samples at %s Hz (%.1f MB) in %.1f s%n", generate, channels,
                    samples, rate, Files.size(generate) / 1e6, (System.nanoTime() - t0) / 1e9);
            if (flow == null) {
                return;
            }
            files.add(generate.toAbsolutePath());
        }
        if (flow == null || nars == null || files.isEmpty()) {
            usage("--flow, --nars and at least one FILE are required");
        }
        FlowDefinitionFile definition = FlowDefinitionFile.read(flow);
        String inputPort = port != null ? port : definition.rootGroup().getInputPorts().iterator().next().getName();
        long inputBytes = 0;
        List<Map<String, String>> flowFiles = new ArrayList<>();
        for (Path f : files) {
            inputBytes += Files.isRegularFile(f) ? Files.size(f) : 0;
            flowFiles.add(Map.of("absolute.path", f.getParent().toString(), "filename", f.getFileName().toString()));
        }
        Path work = Files.createTempDirectory("nifi-memmap-stateless");
        int failures;
        long t0 = System.nanoTime();
        try (StatelessFlow running = StatelessFlow.start(definition, parameters, nars, work)) {
            long t1 = System.nanoTime();
            Map<String, List<Map<String, String>>> results = running.run(inputPort, flowFiles, 6, TimeUnit.HOURS);
            long t2 = System.nanoTime();
            System.out.printf("flow '%s' started in %.2f s, ran %d FlowFile(s) in %.2f s: %.1f MB/s of input%n",
                    definition.rootGroup().getName(), (t1 - t0) / 1e9, flowFiles.size(), (t2 - t1) / 1e9,
                    inputBytes / 1e6 / ((t2 - t1) / 1e9));
            for (Map.Entry<String, List<Map<String, String>>> output : results.entrySet()) {
                System.out.println("output port '" + output.getKey() + "': " + output.getValue().size() + " FlowFile(s)");
                for (Map<String, String> attributes : output.getValue()) {
                    new TreeMap<>(attributes).forEach((k, v) -> {
                        if (!k.equals("uuid") && !k.equals("path")) {
                            System.out.println("  " + k + " = " + v);
                        }
                    });
                    String zarr = attributes.get("zarr.path");
                    if (zarr != null) {
                        System.out.printf("  (store on disk: %.1f MB)%n", WorkDirectory.size(Path.of(zarr)) / 1e6);
                    }
                }
            }
            failures = results.entrySet().stream().filter(e -> e.getKey().contains("fail"))
                    .mapToInt(e -> e.getValue().size()).sum();
        } finally {
            WorkDirectory.delete(work);
        }
        if (failures > 0) {
            System.err.println(failures + " FlowFile(s) reached a failure port");
        }
        // The engine leaves non-daemon threads behind, so the exit is explicit, after the work directory is gone.
        System.exit(failures > 0 ? 1 : 0);
    }

    private static void usage(String problem) {
        System.err.println("RunFlow: " + problem);
        System.err.println("usage: RunFlow --flow FLOW.json --nars DIR [--port NAME] [--param name=value]... FILE...");
        System.err.println("       RunFlow --generate FILE [--channels N --rate HZ --seconds S] [--flow ... to run it too]");
        System.exit(2);
    }
}
