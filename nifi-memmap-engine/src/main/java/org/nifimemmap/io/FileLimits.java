package org.nifimemmap.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Size limits checked before a whole file is read into the heap, so an oversized file costs nothing. */
public final class FileLimits {
    private FileLimits() {
    }

    /**
     * Refuses {@code file} as {@code INVALID_INPUT} when it is longer than {@code maxBytes}.
     *
     * @param what how the message names the file, e.g. {@code "Circuit config /data/c.json"}
     * @return the file's length
     */
    public static long requireAtMost(Path file, long maxBytes, String what) throws IOException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, what + " is " + size + " bytes, more than the "
                    + maxBytes + " it may have");
        }
        return size;
    }
}
