package org.nifimemmap.node;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bin/nifi: starts a real NiFi 2 node on 127.0.0.1 with this bundle, uploads every flow definition of templates/ as a
 * stopped process group (once: a work directory reused keeps its canvas), sets the given parameters in every context
 * that has them, prints the canvas URL and runs in the foreground until stopped (Ctrl-C or SIGTERM stop the node).
 * <pre>
 * NiFiCommand --home DIR --templates DIR [--port 8080] [--work ./work/nifi] [--param name=value]...
 * </pre>
 */
public final class NiFiCommand {
    private NiFiCommand() {
    }

    public static void main(String[] args) throws Exception {
        Path home = null;
        Path templates = null;
        Path work = Path.of("work", "nifi");
        int port = 8080;
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--home" -> home = Path.of(require(args[i], value));
                case "--templates" -> templates = Path.of(require(args[i], value));
                case "--work" -> work = Path.of(require(args[i], value));
                case "--port" -> port = Integer.parseInt(require(args[i], value));
                case "--param" -> {
                    String[] kv = require(args[i], value).split("=", 2);
                    if (kv.length != 2) {
                        usage("--param takes name=value, got " + value);
                    }
                    parameters.put(kv[0], kv[1]);
                }
                default -> usage("unknown argument " + args[i]);
            }
            i++;
        }
        if (home == null || templates == null) {
            usage("--home and --templates are required");
        }
        System.out.println("starting NiFi 2 on http://127.0.0.1:" + port + " (work directory " + work.toAbsolutePath().normalize() + ") ...");
        NiFiNode node = NiFiNode.start(home, work, port);
        Thread stopper = new Thread(node::close, "stop-nifi");
        Runtime.getRuntime().addShutdownHook(stopper);
        System.out.printf("NiFi answered after %.1f s%n", node.startSeconds());
        Canvas canvas = new Canvas(node.rest());
        uploadTemplates(canvas, templates);
        setParameters(canvas, parameters);
        System.out.println();
        System.out.println("canvas: " + node.canvasUrl() + "   (logs: " + node.workDirectory().resolve("logs/nifi-app.log") + ")");
        System.out.println("Ctrl-C stops NiFi.");
        int code = node.waitFor();
        System.out.println("NiFi exited with code " + code);
    }

    private static void uploadTemplates(Canvas canvas, Path templates) throws IOException {
        Map<String, String> existing = canvas.groups();
        List<Path> flows = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(templates, "*.json")) {
            files.forEach(flows::add);
        }
        flows.sort(null);
        int column = 0;
        for (Path flow : flows) {
            String name = NiFiRest.json().readTree(flow.toFile()).path("flowContents").path("name").asText();
            if (existing.containsKey(name)) {
                System.out.println("process group '" + name + "' is already on the canvas (kept as it is)");
            } else {
                canvas.upload(flow, 450.0 * column, 0);
                System.out.println("uploaded " + flow.getFileName() + " as process group '" + name + "' (stopped)");
            }
            column++;
        }
    }

    private static void setParameters(Canvas canvas, Map<String, String> parameters) {
        if (parameters.isEmpty()) {
            return;
        }
        Map<String, Boolean> used = new LinkedHashMap<>();
        parameters.keySet().forEach(name -> used.put(name, false));
        for (Map.Entry<String, String> context : canvas.parameterContexts().entrySet()) {
            List<String> names = canvas.parameterNames(context.getValue());
            Map<String, String> values = new LinkedHashMap<>();
            parameters.forEach((name, value) -> {
                if (names.contains(name)) {
                    values.put(name, value);
                    used.put(name, true);
                }
            });
            if (!values.isEmpty()) {
                canvas.setParameters(context.getValue(), values);
                System.out.println("parameter context '" + context.getKey() + "': set " + values.keySet());
            }
        }
        used.forEach((name, set) -> {
            if (!set) {
                System.out.println("warning: no parameter context has a parameter named " + name);
            }
        });
    }

    private static String require(String option, String value) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("nifi: " + problem);
        System.err.println("usage: bin/nifi [--port 8080] [--work ./work/nifi] [--param name=value]...");
        System.exit(2);
    }
}
