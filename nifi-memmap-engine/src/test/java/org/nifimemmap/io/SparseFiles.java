package org.nifimemmap.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Files larger than a reader's size limit, for tests, that take no disk space (sparse). */
public final class SparseFiles {
    private SparseFiles() {
    }

    /** Creates {@code file} one byte longer than {@code limit}; its last byte is {@code last}. */
    public static Path longerThan(Path file, long limit, char last) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(new byte[] {(byte) last}), limit);
        }
        return file;
    }
}
