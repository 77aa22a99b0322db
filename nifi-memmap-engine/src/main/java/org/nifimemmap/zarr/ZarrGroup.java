package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.FileLimits;
import org.nifimemmap.io.MemmapException;

/** A Zarr v2 or v3 group directory opened for reading: its attributes and the arrays inside it. */
public final class ZarrGroup {
    private final Path path;
    private final ObjectNode attributes;
    private final ZarrFormat format;

    private ZarrGroup(Path path, ObjectNode attributes, ZarrFormat format) {
        this.path = path;
        this.attributes = attributes;
        this.format = format;
    }

    /** Opens the group at {@code path}: a {@code zarr.json} of a v3 group, else a {@code .zgroup} of format 2. */
    public static ZarrGroup open(Path path) {
        if (!Files.isDirectory(path)) {
            throw new MemmapException(Files.exists(path) ? ErrorKind.INVALID_INPUT : ErrorKind.INPUT_NOT_FOUND,
                    "Not a Zarr store directory: " + path);
        }
        Path zarrJson = path.resolve(ZarrArray.V3_METADATA);
        if (Files.isRegularFile(zarrJson)) {
            JsonNode meta = readJson(zarrJson, true);
            if (meta.path("zarr_format").asInt(-1) != 3 || !"group".equals(meta.path("node_type").asText())) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, zarrJson + ": not a Zarr v3 group (zarr_format "
                        + meta.path("zarr_format") + ", node_type " + meta.path("node_type") + ")");
            }
            JsonNode attrs = meta.path("attributes");
            return new ZarrGroup(path, attrs.isObject() ? (ObjectNode) attrs.deepCopy() : Json.object(), ZarrFormat.V3);
        }
        Path zgroup = path.resolve(".zgroup");
        JsonNode meta = readJson(zgroup, true);
        if (meta.path("zarr_format").asInt(-1) != 2) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, zgroup + ": not a Zarr v2 group (zarr_format " + meta.path("zarr_format") + ")");
        }
        return new ZarrGroup(path, (ObjectNode) readJson(path.resolve(".zattrs"), false), ZarrFormat.V2);
    }

    /** The {@code node_type} of the v3 {@code zarr.json} in {@code dir} ("group", "array"), or null when there is none. */
    static String v3NodeType(Path dir) {
        Path file = dir.resolve(ZarrArray.V3_METADATA);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        return readJson(file, true).path("node_type").asText(null);
    }

    /** True when {@code dir} holds a v2 {@code .zgroup} or a v3 group's {@code zarr.json}. */
    public static boolean isGroup(Path dir) {
        return Files.isRegularFile(dir.resolve(".zgroup")) || "group".equals(v3NodeType(dir));
    }

    public ZarrFormat format() {
        return format;
    }

    public Path path() {
        return path;
    }

    /** The group's attributes: {@code .zattrs} (empty when absent) or those of its {@code zarr.json}. */
    public ObjectNode attributes() {
        return attributes.deepCopy();
    }

    public boolean hasArray(String name) {
        return ZarrArray.isArray(path.resolve(name));
    }

    /** Opens a child array, e.g. {@code traces_seg0} or {@code properties/gain}. */
    public ZarrArray array(String name) {
        Path dir = path.resolve(name);
        if (!ZarrArray.isArray(dir)) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Zarr store " + path + " has no array " + name);
        }
        return ZarrArray.open(dir);
    }

    /** Names of the arrays directly inside this group, sorted. */
    public List<String> arrayNames() {
        try (Stream<Path> children = Files.list(path)) {
            return children.filter(ZarrArray::isArray).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot list Zarr store " + path + ": " + e, e);
        }
    }

    /** Zarr metadata is read whole into the heap; attributes of real stores are far smaller. */
    static final long MAX_METADATA_BYTES = 64L << 20;

    static JsonNode readJson(Path file, boolean required) {
        try {
            FileLimits.requireAtMost(file, MAX_METADATA_BYTES, "Zarr metadata " + file);
            JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(file));
            if (n == null || !n.isObject()) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, file + " does not hold a JSON object");
            }
            return n;
        } catch (NoSuchFileException e) {
            if (required) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, "Missing Zarr metadata file " + file, e);
            }
            return Json.object();
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Cannot read Zarr metadata " + file + ": " + e.getMessage(), e);
        }
    }
}
