package org.nifimemmap.restrict;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * A file mapped read-only in windows of at most 1 GiB, created on first use. Copies may cross window
 * borders; concurrent copies are safe (absolute bulk gets do not move a buffer's position).
 */
final class MappedFile implements AutoCloseable {
    private static final int WINDOW_SHIFT = 30;
    private static final long WINDOW = 1L << WINDOW_SHIFT;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final MappedByteBuffer[] windows;

    MappedFile(Path path) {
        this.path = path;
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.READ);
            this.size = channel.size();
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot open " + path + ": " + e, e);
        }
        this.windows = new MappedByteBuffer[(int) ((size + WINDOW - 1) >> WINDOW_SHIFT)];
    }

    long size() {
        return size;
    }

    void copy(long offset, byte[] dst, int dstOffset, int length) {
        if (offset < 0 || offset + length > size) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Read of " + length + " bytes at offset " + offset
                    + " lies past the end of " + path + " (" + size + " bytes)");
        }
        long pos = offset;
        int done = 0;
        while (done < length) {
            int w = (int) (pos >> WINDOW_SHIFT);
            int within = (int) (pos & (WINDOW - 1));
            MappedByteBuffer window = window(w);
            int n = Math.min(length - done, window.capacity() - within);
            try {
                window.get(within, dst, dstOffset + done, n);
            } catch (InternalError e) {
                // The JVM turns a fault in a mapped page (the file truncated under us) into an InternalError.
                throw new MemmapException(ErrorKind.INPUT_UNREADABLE, path + " could not be read at byte offset " + pos
                        + " (truncated while read, or an I/O error): " + e.getMessage(), e);
            }
            done += n;
            pos += n;
        }
    }

    private synchronized MappedByteBuffer window(int w) {
        if (windows[w] == null) {
            long start = (long) w << WINDOW_SHIFT;
            try {
                // The length was checked against the size at open; a file truncated since would fault on access.
                long current = channel.size();
                if (current < size) {
                    throw new MemmapException(ErrorKind.INPUT_UNREADABLE, path + " shrank from " + size + " to " + current + " bytes while read");
                }
                windows[w] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(WINDOW, size - start));
            } catch (IOException e) {
                throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot map " + path + " at offset " + start + ": " + e, e);
            }
        }
        return windows[w];
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Read-only: nothing is lost.
        }
    }
}
