package org.nifimemmap.zarr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * The index of a shard file ({@code sharding_indexed} codec): per chunk of the shard, in C order, the byte
 * offset and byte length of the encoded chunk as two little-endian uint64, both 2^64-1 for a chunk that is not
 * stored (it reads as the fill value); then, with the {@code crc32c} index codec, the CRC-32C of those bytes
 * (4 bytes, little-endian). The index sits at the end of the file (or, when written so, at its start).
 */
final class ShardIndex {
    /** Offset and length of a chunk that is not stored. */
    static final long MISSING = -1L;
    private static final int ENTRY = 16;
    private static final int CHECKSUM = 4;

    /** Where the index is, and whether a CRC-32C follows it. */
    record Layout(boolean atEnd, boolean checksum) {
        static final Layout WRITTEN = new Layout(true, true);

        long bytes(int chunks) {
            return (long) chunks * ENTRY + (checksum ? CHECKSUM : 0);
        }
    }

    private final long[] entries;

    private ShardIndex(long[] entries) {
        this.entries = entries;
    }

    /** Reads and checks the index of {@code file} (open in {@code channel}) of a shard holding {@code chunks} chunks. */
    static ShardIndex read(FileChannel channel, Path file, int chunks, Layout layout) throws IOException {
        long size = channel.size();
        long indexBytes = layout.bytes(chunks);
        if (size < indexBytes) {
            throw corrupt(file, "file of " + size + " bytes is shorter than its index of " + indexBytes + " bytes (" + chunks + " chunks)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) indexBytes).order(ByteOrder.LITTLE_ENDIAN);
        long at = layout.atEnd() ? size - indexBytes : 0;
        while (buf.hasRemaining()) {
            if (channel.read(buf, at + buf.position()) < 0) {
                throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Shard file " + file + " shrank while its index was read");
            }
        }
        byte[] bytes = buf.array();
        int entriesBytes = chunks * ENTRY;
        if (layout.checksum()) {
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, entriesBytes);
            int stored = buf.getInt(entriesBytes);
            if (stored != (int) crc.getValue()) {
                throw corrupt(file, String.format("index checksum mismatch: crc32c stored %08x, computed %08x (a damaged or"
                        + " truncated shard)", stored, (int) crc.getValue()));
            }
        }
        long[] entries = new long[2 * chunks];
        long dataStart = layout.atEnd() ? 0 : indexBytes;
        long dataEnd = layout.atEnd() ? size - indexBytes : size;
        for (int i = 0; i < chunks; i++) {
            long offset = buf.getLong(i * ENTRY);
            long length = buf.getLong(i * ENTRY + 8);
            if (offset == MISSING && length == MISSING) {
                entries[2 * i] = MISSING;
                entries[2 * i + 1] = MISSING;
                continue;
            }
            if (offset < dataStart || length < 0 || length > Integer.MAX_VALUE - 64 || offset > dataEnd - length) {
                throw corrupt(file, "chunk " + i + " at offset " + Long.toUnsignedString(offset) + ", " + Long.toUnsignedString(length)
                        + " bytes, lies outside the chunk data [" + dataStart + ", " + dataEnd + ")");
            }
            entries[2 * i] = offset;
            entries[2 * i + 1] = length;
        }
        return new ShardIndex(entries);
    }

    boolean stored(int chunk) {
        return entries[2 * chunk] != MISSING;
    }

    long offset(int chunk) {
        return entries[2 * chunk];
    }

    int length(int chunk) {
        return (int) entries[2 * chunk + 1];
    }

    /** The bytes of an index (offsets and lengths in {@code entries}, pairs per chunk) with its CRC-32C. */
    static byte[] encode(long[] entries) {
        ByteBuffer buf = ByteBuffer.allocate(entries.length * 8 + CHECKSUM).order(ByteOrder.LITTLE_ENDIAN);
        for (long e : entries) {
            buf.putLong(e);
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, entries.length * 8);
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    /** An index where every chunk is missing, to be filled in as chunks are written. */
    static long[] emptyEntries(int chunks) {
        long[] e = new long[2 * chunks];
        Arrays.fill(e, MISSING);
        return e;
    }

    private static MemmapException corrupt(Path file, String detail) {
        return new MemmapException(ErrorKind.INVALID_INPUT, "Shard file " + file + ": " + detail);
    }
}
