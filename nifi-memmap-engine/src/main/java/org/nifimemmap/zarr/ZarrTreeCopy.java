package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.FileLimits;
import org.nifimemmap.io.MemmapException;

/**
 * Copies a node of a store (a group with everything in it, or an array) into another store: file by file when both
 * stores have the same format, else node by node, each small array read whole and written again in the target
 * format. This is how a recording's channel ids and properties follow its traces into a store of the other format.
 * Strings cross between v2's fixed-length {@code <U n} and v3's {@code string} ({@code vlen-utf8}).
 */
public final class ZarrTreeCopy {
    /** Arrays beside the traces are channel tables, not data: a larger one is not copied across formats. */
    static final long MAX_ARRAY_BYTES = 64L << 20;

    private ZarrTreeCopy() {
    }

    /**
     * Copies {@code from} to {@code to}; returns the bytes written. Nodes that cannot be converted (a dtype this layer
     * does not read) are left out with a note in {@code notes}.
     */
    public static long copy(Path from, ZarrFormat sourceFormat, Path to, ZarrFormat targetFormat, List<String> notes) throws IOException {
        if (sourceFormat == targetFormat) {
            return copyFiles(from, to);
        }
        if (ZarrGroup.isGroup(from)) {
            long bytes = ZarrWriter.writeGroup(to, targetFormat, ZarrGroup.open(from).attributes());
            try (Stream<Path> children = Files.list(from)) {
                for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                    bytes += copy(child, sourceFormat, to.resolve(child.getFileName().toString()), targetFormat, notes);
                }
            }
            return bytes;
        }
        if (!ZarrArray.isArray(from)) {
            return 0;
        }
        try {
            return convertArray(from, to, targetFormat);
        } catch (MemmapException e) {
            notes.add(from.getFileName() + " was not carried over into the Zarr " + targetFormat.label() + " output: " + e.getMessage());
            return 0;
        }
    }

    private static long convertArray(Path from, Path to, ZarrFormat target) throws IOException {
        if ("string".equals(v3DataType(from))) {
            return convertStrings(from, to);
        }
        ZarrArray array = ZarrArray.open(from);
        ZarrArrayMetadata md = array.metadata();
        long elements = 1;
        for (long s : md.shape()) {
            elements *= s;
        }
        if (elements * md.dtype().size() > MAX_ARRAY_BYTES) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "array of " + elements + " elements is larger than "
                    + (MAX_ARRAY_BYTES >> 20) + " MiB");
        }
        long[] shape = md.shape();
        int[] whole = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            whole[i] = (int) Math.max(1, shape[i]);
        }
        byte[] data = readWhole(array, whole);
        ZarrArrayMetadata out = target == ZarrFormat.V3
                ? ZarrArrayMetadata.v3(shape, whole, null, md.dtype(), null, List.of(), md.fillValue())
                : new ZarrArrayMetadata(shape, whole, md.dtype(), null, List.of(), md.fillValue(), ".");
        return ZarrWriter.writeSmallArray(to, out, array.attributes(), data);
    }

    /** The whole array in one C-order buffer shaped {@code whole}, chunk by chunk. */
    private static byte[] readWhole(ZarrArray array, int[] whole) {
        ZarrArrayMetadata md = array.metadata();
        int item = md.dtype().size();
        long total = item;
        for (int w : whole) {
            total *= w;
        }
        byte[] out = new byte[(int) total];
        int[] chunks = md.chunks();
        long[] grid = md.chunkGrid();
        byte[] chunk = new byte[md.chunkBytes()];
        long[] index = new long[grid.length];
        try (ZarrArray.ChunkReader reader = array.chunkReader()) {
            for (boolean more = total > 0 && grid.length > 0 && Arrays.stream(grid).allMatch(g -> g > 0); more; more = next(index, grid)) {
                reader.read(index, chunk);
                copyChunk(chunk, chunks, index, out, whole, md.shape(), item);
            }
        }
        return out;
    }

    private static boolean next(long[] index, long[] grid) {
        for (int d = index.length - 1; d >= 0; d--) {
            if (++index[d] < grid[d]) {
                return true;
            }
            index[d] = 0;
        }
        return false;
    }

    /** Copies the part of a chunk inside the array into the whole-array buffer, row by row along the last dimension. */
    private static void copyChunk(byte[] chunk, int[] chunks, long[] index, byte[] out, int[] whole, long[] shape, int item) {
        int rank = chunks.length;
        int[] within = new int[rank];
        int chunkRows = 1;
        for (int d = 0; d < rank - 1; d++) {
            chunkRows *= chunks[d];
        }
        for (int r = 0; r < chunkRows; r++) {
            int rest = r;
            boolean inside = true;
            long outOffset = 0;
            for (int d = rank - 2; d >= 0; d--) {
                within[d] = rest % chunks[d];
                rest /= chunks[d];
            }
            for (int d = 0; d < rank - 1; d++) {
                long at = index[d] * chunks[d] + within[d];
                inside &= at < shape[d];
                outOffset = outOffset * whole[d] + at;
            }
            long col0 = index[rank - 1] * chunks[rank - 1];
            int cols = (int) Math.min(chunks[rank - 1], shape[rank - 1] - col0);
            if (!inside || cols <= 0) {
                continue;
            }
            outOffset = outOffset * whole[rank - 1] + col0;
            System.arraycopy(chunk, r * chunks[rank - 1] * item, out, (int) (outOffset * item), cols * item);
        }
    }

    /** A v3 {@code string} array of one chunk with the {@code vlen-utf8} codec, as a v2 {@code <U n} array. */
    private static long convertStrings(Path from, Path to) throws IOException {
        Path file = from.resolve(ZarrArray.V3_METADATA);
        JsonNode meta = ZarrGroup.readJson(file, true);
        JsonNode codecs = meta.path("codecs");
        JsonNode shape = meta.path("shape");
        if (shape.size() != 1 || codecs.size() != 1 || !"vlen-utf8".equals(codecs.get(0).path("name").asText())
                || !shape.equals(meta.path("chunk_grid").path("configuration").path("chunk_shape"))) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, file + ": only one-chunk 1-D string arrays with the vlen-utf8 codec"
                    + " are converted");
        }
        int n = shape.get(0).asInt();
        List<String> values = new ArrayList<>();
        Path chunk = from.resolve("c" + meta.path("chunk_key_encoding").path("configuration").path("separator").asText("/") + "0");
        if (Files.exists(chunk)) {
            FileLimits.requireAtMost(chunk, MAX_ARRAY_BYTES, "string chunk " + chunk);
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(chunk)).order(ByteOrder.LITTLE_ENDIAN);
            try {
                int count = b.getInt();
                for (int i = 0; i < count; i++) {
                    byte[] item = new byte[b.getInt()];
                    b.get(item);
                    values.add(new String(item, StandardCharsets.UTF_8));
                }
            } catch (RuntimeException e) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, "corrupt vlen-utf8 chunk " + chunk + ": " + e, e);
            }
        }
        while (values.size() < n) {
            values.add("");
        }
        int chars = Math.max(1, values.stream().mapToInt(v -> v.codePointCount(0, v.length())).max().orElse(1));
        ZarrDtype dtype = ZarrDtype.parse("<U" + chars);
        ByteBuffer data = ByteBuffer.allocate(Math.max(1, n) * dtype.size());
        for (int i = 0; i < n; i++) {
            data.position(i * dtype.size());
            data.put(values.get(i).getBytes(java.nio.charset.Charset.forName("UTF-32LE")));
        }
        ZarrArrayMetadata md = new ZarrArrayMetadata(new long[] {n}, new int[] {Math.max(1, n)}, dtype, null, List.of(),
                Json.object().textNode(""), ".");
        return ZarrWriter.writeSmallArray(to, md, V3Metadata.attributes(meta), data.array());
    }

    private static String v3DataType(Path array) {
        Path file = array.resolve(ZarrArray.V3_METADATA);
        return Files.isRegularFile(file) ? ZarrGroup.readJson(file, true).path("data_type").asText(null) : null;
    }

    private static long copyFiles(Path from, Path to) throws IOException {
        long bytes = 0;
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                    bytes += Files.size(target);
                }
            }
        }
        return bytes;
    }
}
