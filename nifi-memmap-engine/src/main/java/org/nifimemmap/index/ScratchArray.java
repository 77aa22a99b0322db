package org.nifimemmap.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A growable array of fixed-size items in a scratch file, mapped read-write in windows of whole items.
 * Every mapped byte is taken from the build's {@link MapBudget}. The file is deleted on close; the pages go
 * when the mappings are collected.
 */
final class ScratchArray implements AutoCloseable {
    static final long DEFAULT_WINDOW = 64L << 20;

    private final Path file;
    private final FileChannel channel;
    private final int itemSize;
    private final long itemsPerWindow;
    private final int windowShift;
    private final List<ByteBuffer> windows = new ArrayList<>();
    private long capacity;

    ScratchArray(Path file, int itemSize, long windowBytes) throws IOException {
        this.file = file;
        this.itemSize = itemSize;
        // A power of two, so finding an item's window and offset is a shift and a mask, not a 64-bit division.
        this.itemsPerWindow = Long.highestOneBit(Math.max(1, Math.min(MappedRegion.MAX_WINDOW, windowBytes) / itemSize));
        this.windowShift = Long.numberOfTrailingZeros(itemsPerWindow);
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
    }

    /**
     * Makes room for items [0, count). {@code totalNeed} is what the whole build needs at that count, for the
     * error message when the budget runs out.
     */
    void ensure(long count, MapBudget budget, long totalNeed) throws IOException {
        while (capacity < count) {
            int last = windows.size() - 1;
            long lastItems = last < 0 ? itemsPerWindow : capacity - last * itemsPerWindow;
            if (lastItems < itemsPerWindow) {
                // Grow the partial last window by remapping it larger (doubling), so small builds map little.
                long start = last * itemsPerWindow;
                long items = Math.min(itemsPerWindow, Math.max(count - start,
                        Math.min(2 * lastItems, lastItems + budget.remaining() / itemSize)));
                budget.take((items - lastItems) * itemSize, totalNeed, count);
                windows.set(last, map(start, items));
                capacity = start + items;
            } else {
                long start = capacity;
                long items = Math.min(itemsPerWindow, Math.max(count - start,
                        Math.min(1024, budget.remaining() / itemSize)));
                budget.take(items * itemSize, totalNeed, count);
                windows.add(map(start, items));
                capacity = start + items;
            }
        }
    }

    private ByteBuffer map(long firstItem, long items) throws IOException {
        return channel.map(FileChannel.MapMode.READ_WRITE, firstItem * itemSize, items * itemSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Items that fit without growing the mapping. */
    long capacity() {
        return capacity;
    }

    ByteBuffer window(long item) {
        return windows.get((int) (item >>> windowShift));
    }

    int offset(long item) {
        return (int) (item & (itemsPerWindow - 1)) * itemSize;
    }

    long getLong(long item) {
        return window(item).getLong(offset(item));
    }

    void putLong(long item, long v) {
        window(item).putLong(offset(item), v);
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        windows.clear();
        channel.close();
    }
}
