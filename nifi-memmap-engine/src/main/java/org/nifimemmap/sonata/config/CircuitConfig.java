package org.nifimemmap.sonata.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.FileLimits;
import org.nifimemmap.io.MemmapException;

/**
 * A SONATA circuit config (circuit_config.json) read the way libsonata reads it: {@code manifest} variables
 * ({@code $NAME}, may refer to each other) substituted into every string, relative paths (entries named
 * {@code *_file}, {@code *_dir} and the values of {@code alternate_morphologies}) resolved against the config's
 * directory, {@code components} as defaults that each population's own entries override. A population without
 * {@code type} is {@code biophysical} (nodes) or {@code chemical} (edges).
 */
public record CircuitConfig(Path file, Map<String, String> components, List<PopulationConfig> nodePopulations,
                            List<PopulationConfig> edgePopulations) {
    private static final int MAX_SUBSTITUTION_DEPTH = 10;
    /** Real configs are a few kB; anything near this is not one, and is refused before it is read. */
    public static final long MAX_BYTES = 16L << 20;
    /** Longer than any path: a value expanding past it is a manifest bomb (variables repeating each other). */
    static final int MAX_VALUE_CHARS = 65_536;

    public static CircuitConfig load(Path file) {
        JsonNode root;
        try {
            FileLimits.requireAtMost(file, MAX_BYTES, "Circuit config " + file);
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "Circuit config does not exist: " + file, e);
        } catch (JsonProcessingException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Circuit config " + file + " is not valid JSON at line "
                    + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(), e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw invalid(file, "it is not UTF-8 text");
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read circuit config " + file + ": " + e, e);
        }
        if (root == null || !root.isObject()) {
            throw invalid(file, "the top level must be a JSON object");
        }
        Path base = file.toAbsolutePath().normalize().getParent();
        Map<String, String> variables = variables(file, root.get("manifest"));
        Map<String, String> components = entries(file, base, variables, root.get("components"), "components");
        JsonNode networks = root.get("networks");
        if (networks == null || !networks.isObject()) {
            throw invalid(file, "it has no 'networks' object");
        }
        List<PopulationConfig> nodes = populations(file, base, variables, components, networks.get("nodes"), "nodes", "biophysical");
        List<PopulationConfig> edges = populations(file, base, variables, components, networks.get("edges"), "edges", "chemical");
        return new CircuitConfig(file, components, nodes, edges);
    }

    public Optional<PopulationConfig> nodePopulation(String name) {
        return nodePopulations.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<PopulationConfig> edgePopulation(String name) {
        return edgePopulations.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static Map<String, String> variables(Path file, JsonNode manifest) {
        Map<String, String> raw = new LinkedHashMap<>();
        if (manifest == null) {
            return raw;
        }
        if (!manifest.isObject()) {
            throw invalid(file, "'manifest' must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = manifest.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().startsWith("$") || e.getKey().length() < 2) {
                throw invalid(file, "manifest variable '" + e.getKey() + "' must start with '$'");
            }
            if (!e.getValue().isTextual()) {
                throw invalid(file, "manifest variable " + e.getKey() + " must be a string");
            }
            raw.put(e.getKey(), e.getValue().asText());
        }
        Map<String, String> expanded = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            expanded.put(e.getKey(), substitute(file, raw, e.getValue()));
        }
        return expanded;
    }

    /** Replaces $VARIABLES until none is left; longer names first so $BASE_DIR2 is not read as $BASE_DIR + "2". */
    private static String substitute(Path file, Map<String, String> variables, String value) {
        List<String> names = new ArrayList<>(variables.keySet());
        names.sort(Comparator.comparingInt(String::length).reversed());
        String current = value;
        for (int depth = 0; depth <= MAX_SUBSTITUTION_DEPTH; depth++) {
            String next = current;
            for (String name : names) {
                next = replaceBounded(file, next, name, variables.get(name), value);
            }
            if (next.equals(current)) {
                return current;
            }
            current = next;
        }
        throw invalid(file, "manifest variables refer to each other in a cycle (expanding '" + value + "')");
    }

    /** {@code text.replace(name, replacement)}, refused when the result would exceed {@link #MAX_VALUE_CHARS}. */
    private static String replaceBounded(Path file, String text, String name, String replacement, String expanding) {
        long occurrences = 0;
        for (int at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length())) {
            occurrences++;
        }
        if (text.length() + occurrences * (replacement.length() - name.length()) > MAX_VALUE_CHARS) {
            throw invalid(file, "manifest variables expand '" + abbreviated(expanding) + "' to a value longer than "
                    + MAX_VALUE_CHARS + " characters");
        }
        return occurrences == 0 ? text : text.replace(name, replacement);
    }

    private static String abbreviated(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...";
    }

    private static Map<String, String> entries(Path file, Path base, Map<String, String> variables, JsonNode node, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw invalid(file, "'" + where + "' must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (key.equals("alternate_morphologies") && v.isObject()) {
                for (Map.Entry<String, String> alt : entries(file, base, variables, v, where + ".alternate_morphologies").entrySet()) {
                    out.put("alternate_morphologies." + alt.getKey(), resolve(file, base, alt.getValue()));
                }
            } else if (v.isTextual() && !key.startsWith("alternate_morphologies.")) {
                // (A literal "alternate_morphologies.<format>" key would pass for a flattened entry: ignored.)
                String value = substitute(file, variables, v.asText());
                out.put(key, isPath(key) ? resolve(file, base, value) : value);
            }
        }
        return out;
    }

    private static boolean isPath(String key) {
        return key.endsWith("_file") || key.endsWith("_dir");
    }

    private static String resolve(Path file, Path base, String value) {
        if (value.isEmpty()) {
            return value;
        }
        try {
            return base.resolve(value).normalize().toString();
        } catch (java.nio.file.InvalidPathException e) {
            throw invalid(file, "'" + abbreviated(value) + "' is not a valid path: " + e.getReason());
        }
    }

    private static List<PopulationConfig> populations(Path file, Path base, Map<String, String> variables,
                                                      Map<String, String> components, JsonNode list, String kind, String defaultType) {
        List<PopulationConfig> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw invalid(file, "'networks." + kind + "' must be a list");
        }
        String fileKey = kind + "_file";
        for (int i = 0; i < list.size(); i++) {
            JsonNode network = list.get(i);
            JsonNode nameOfFile = network.get(fileKey);
            if (nameOfFile == null || !nameOfFile.isTextual() || nameOfFile.asText().isEmpty()) {
                throw invalid(file, "networks." + kind + "[" + i + "] has no '" + fileKey + "'");
            }
            Path populationFile = Path.of(resolve(file, base, substitute(file, variables, nameOfFile.asText())));
            JsonNode pops = network.get("populations");
            if (pops == null || !pops.isObject() || pops.isEmpty()) {
                throw invalid(file, "networks." + kind + "[" + i + "] (" + populationFile + ") lists no 'populations'");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = pops.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                if (out.stream().anyMatch(p -> p.name().equals(name))) {
                    throw invalid(file, "population '" + name + "' appears twice in networks." + kind);
                }
                Map<String, String> props = new LinkedHashMap<>(components);
                props.putAll(entries(file, base, variables, e.getValue(), "networks." + kind + "[" + i + "].populations." + name));
                if (props.keySet().stream().anyMatch(k -> k.startsWith("alternate_morphologies."))
                        && e.getValue().has("alternate_morphologies")) {
                    // A population's alternate_morphologies replaces the components' set as a whole.
                    Map<String, String> own = entries(file, base, variables, e.getValue(), name);
                    props.keySet().removeIf(k -> k.startsWith("alternate_morphologies.") && !own.containsKey(k));
                }
                Map<String, Path> alternates = new LinkedHashMap<>();
                props.forEach((k, v) -> {
                    if (k.startsWith("alternate_morphologies.") && !v.isEmpty()) {
                        alternates.put(k.substring("alternate_morphologies.".length()), Path.of(v));
                    }
                });
                String morph = props.get("morphologies_dir");
                out.add(new PopulationConfig(name, populationFile, props.getOrDefault("type", defaultType),
                        morph == null || morph.isEmpty() ? null : Path.of(morph), Map.copyOf(alternates), Map.copyOf(props)));
            }
        }
        return List.copyOf(out);
    }

    private static MemmapException invalid(Path file, String what) {
        return new MemmapException(ErrorKind.INVALID_INPUT, "Circuit config " + file + " is invalid: " + what);
    }
}
