package org.nifimemmap.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A scratch file kept as a run of fixed-size chunk files, so the part a pass has finished with can be given back
 * to the operating system while the rest is still in use. A build streams through its scratch in order (spill,
 * keys, buckets), so releasing behind the reader lets the next file's pages be the ones just freed: a build then
 * needs little more page cache than its largest file rather than the sum of them, and writing into recently freed
 * pages costs a fraction of writing into memory the machine has not touched for a while.
 * Positional reads and writes only, safe from several threads on distinct ranges; chunks are created on first
 * write and deleted on release or close.
 */
final class ScratchFile implements AutoCloseable {
    private static final long MIN_CHUNK = 16L << 20;
    private static final long MAX_CHUNK = 1L << 30;
    private static final long CHUNKS_PER_BUILD = 512;

    /**
     * The chunk size for a build whose scratch may reach {@code totalBytes} (its Memory Map Size, or what its expected
     * element count needs): at most about {@value #CHUNKS_PER_BUILD} chunk files open at once, whatever the build's
     * size, so a build of billions does not run out of file handles; 16 MiB at least, so a small build still
     * gives back memory behind each pass (a whole-process A/B of 16 against 64 MiB chunks showed no difference in
     * speed on the segment index of 10,000 cells: 5.6-6.8 s either way).
     */
    static long chunkFor(long totalBytes) {
        long wanted = Math.max(1, totalBytes / CHUNKS_PER_BUILD);
        long power = Long.highestOneBit(wanted) == wanted ? wanted : Long.highestOneBit(wanted) << 1;
        return Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, power));
    }

    private final Path dir;
    private final String prefix;
    private final long chunkBytes;
    private final List<FileChannel> chunks = new ArrayList<>();

    ScratchFile(Path dir, String what, long chunkBytes) {
        this.dir = dir;
        this.prefix = ".spatial-index-" + what + "-" + UUID.randomUUID() + "-";
        this.chunkBytes = chunkBytes;
    }

    /** Writes what remains in {@code src} at {@code position}. */
    void write(ByteBuffer src, long position) throws IOException {
        int limit = src.limit();
        try {
            while (src.hasRemaining()) {
                int c = (int) (position / chunkBytes);
                long within = position - c * chunkBytes;
                int n = (int) Math.min(src.remaining(), chunkBytes - within);
                src.limit(src.position() + n);
                FileChannel ch = chunk(c, true);
                long at = within;
                while (src.hasRemaining()) {
                    at += ch.write(src, at);
                }
                src.limit(limit);
                position += n;
            }
        } finally {
            src.limit(limit);
        }
    }

    /** Fills what remains in {@code dst} from {@code position}, then flips it. */
    void read(ByteBuffer dst, long position) throws IOException {
        int limit = dst.limit();
        while (dst.hasRemaining()) {
            int c = (int) (position / chunkBytes);
            long within = position - c * chunkBytes;
            int n = (int) Math.min(dst.remaining(), chunkBytes - within);
            dst.limit(dst.position() + n);
            FileChannel ch = chunk(c, false);
            long at = within;
            while (dst.hasRemaining()) {
                int got = ch.read(dst, at);
                if (got < 0) {
                    throw new IOException("Scratch file " + dir.resolve(prefix + c) + " ended early at byte " + at);
                }
                at += got;
            }
            dst.limit(limit);
            position += n;
        }
        dst.flip();
    }

    /** Deletes every chunk that lies wholly below {@code position}. */
    void releaseBelow(long position) throws IOException {
        releaseWithin(0, position);
    }

    /** Deletes every chunk that lies wholly within [{@code from}, {@code to}). */
    synchronized void releaseWithin(long from, long to) throws IOException {
        int below = (int) Math.min(chunks.size(), to / chunkBytes);
        for (int c = (int) ((from + chunkBytes - 1) / chunkBytes); c < below; c++) {
            FileChannel ch = chunks.get(c);
            if (ch != null) {
                ch.close();
                chunks.set(c, null);
            }
        }
    }

    /** Deletes every chunk. */
    void releaseAll() throws IOException {
        releaseBelow(Long.MAX_VALUE);
    }

    private synchronized FileChannel chunk(int c, boolean create) throws IOException {
        while (chunks.size() <= c) {
            chunks.add(null);
        }
        FileChannel ch = chunks.get(c);
        if (ch == null) {
            if (!create) {
                throw new IOException("Scratch chunk " + dir.resolve(prefix + c) + " was released or never written");
            }
            ch = FileChannel.open(dir.resolve(prefix + c + ".scratch"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
            chunks.set(c, ch);
        }
        return ch;
    }

    @Override
    public synchronized void close() throws IOException {
        IOException first = null;
        for (FileChannel ch : chunks) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        chunks.clear();
        if (first != null) {
            throw first;
        }
    }
}
