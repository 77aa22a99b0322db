package org.nifimemmap.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A run of fixed-size items in a file, mapped in windows of at most 1 GiB that each hold whole items, so an
 * item never straddles two windows. Reads use absolute indexes only: one instance is safe to share between threads.
 */
final class MappedRegion {
    static final long MAX_WINDOW = 1L << 30;

    private final ByteBuffer[] windows;
    private final int shift;
    private final long mask;
    private final int itemSize;

    private MappedRegion(ByteBuffer[] windows, int shift, int itemSize) {
        this.windows = windows;
        this.shift = shift;
        this.mask = (1L << shift) - 1;
        this.itemSize = itemSize;
    }

    /** log2 of the items per window: a power of two, so finding an item's window is a shift, not a division. */
    static int windowShift(long windowBytes, int itemSize) {
        long items = Math.max(1, Math.min(MAX_WINDOW, windowBytes) / itemSize);
        return 63 - Long.numberOfLeadingZeros(items);
    }

    static MappedRegion map(FileChannel channel, FileChannel.MapMode mode, long offset, long count, int itemSize,
                            long windowBytes) throws IOException {
        int shift = windowShift(windowBytes, itemSize);
        long perWindow = 1L << shift;
        int windowCount = (int) ((count + perWindow - 1) / perWindow);
        ByteBuffer[] windows = new ByteBuffer[windowCount];
        for (int w = 0; w < windowCount; w++) {
            long first = w * perWindow;
            long items = Math.min(perWindow, count - first);
            MappedByteBuffer m = channel.map(mode, offset + first * itemSize, items * itemSize);
            windows[w] = m.order(ByteOrder.LITTLE_ENDIAN);
        }
        return new MappedRegion(windows, shift, itemSize);
    }

    /** The window holding an item; pair with {@link #offset(long)}. */
    ByteBuffer window(long item) {
        return windows[(int) (item >>> shift)];
    }

    /** Byte offset of an item inside its window. */
    int offset(long item) {
        return (int) (item & mask) * itemSize;
    }

    ByteBuffer[] windows() {
        return windows;
    }
}
