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
    private final long itemsPerWindow;
    private final int windowShift;
    private final int itemSize;

    private MappedRegion(ByteBuffer[] windows, long itemsPerWindow, int itemSize) {
        this.windows = windows;
        this.itemsPerWindow = itemsPerWindow;
        this.windowShift = Long.numberOfTrailingZeros(itemsPerWindow);
        this.itemSize = itemSize;
    }

    static MappedRegion map(FileChannel channel, FileChannel.MapMode mode, long offset, long count, int itemSize,
                            long windowBytes) throws IOException {
        // A power of two, so locating an item is a shift and a mask, not a 64-bit division on every read.
        long perWindow = Long.highestOneBit(Math.max(1, Math.min(MAX_WINDOW, windowBytes) / itemSize));
        int windowCount = (int) ((count + perWindow - 1) / perWindow);
        ByteBuffer[] windows = new ByteBuffer[windowCount];
        for (int w = 0; w < windowCount; w++) {
            long first = w * perWindow;
            long items = Math.min(perWindow, count - first);
            MappedByteBuffer m = channel.map(mode, offset + first * itemSize, items * itemSize);
            windows[w] = m.order(ByteOrder.LITTLE_ENDIAN);
        }
        return new MappedRegion(windows, perWindow, itemSize);
    }

    /** The window holding an item; pair with {@link #offset(long)}. */
    ByteBuffer window(long item) {
        return windows[(int) (item >>> windowShift)];
    }

    /** Byte offset of an item inside its window. */
    int offset(long item) {
        return (int) (item & (itemsPerWindow - 1)) * itemSize;
    }

    ByteBuffer[] windows() {
        return windows;
    }
}
