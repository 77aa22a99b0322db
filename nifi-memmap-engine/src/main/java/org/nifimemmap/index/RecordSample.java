package org.nifimemmap.index;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every k-th record offered, for k a stride that doubles whenever {@value #MAX_RECORDS} records are kept, so the
 * sample spans the whole input at an even stride in bounded memory. A {@link DistributionSort} plans its buckets
 * from the keys of the sample instead of from a pass over every record. Only the first bytes of a record are kept,
 * those its key is computed from, at most about 4 MiB, on the heap: several writers of a node's partitions sample at
 * once, and growing samples in native memory took the direct buffers those writers spill through.
 */
final class RecordSample {
    static final int MAX_RECORDS = 1 << 17;
    private static final int FIRST_CAPACITY = 1 << 10;

    /** Bytes kept of each record: its first, those the sort's keys read. */
    private final int recordSize;
    private ByteBuffer kept;
    private int count;
    /** How many records the buffer holds before it grows or thins: at most MAX_RECORDS, which is even. */
    private int limit;
    private long stride;
    private long offered;
    private long nextKept;

    /** A sample keeping the first {@code keptBytes} bytes of every {@code stride}-th record, to begin with. */
    RecordSample(int keptBytes, long stride) {
        this.recordSize = keptBytes;
        this.stride = stride;
    }

    /** Offers the next record of the input, at {@code at} of {@code source}. */
    void offer(ByteBuffer source, int at) {
        offer(source, at, 1, 0);
    }

    /**
     * Offers the next {@code records} records of the input, at {@code at} of {@code source} and every {@code step}
     * bytes after it: the same as offering them one by one, but it visits only the records it keeps.
     */
    void offer(ByteBuffer source, int at, int records, int step) {
        long first = offered;
        long end = first + records;
        while (nextKept < end) {
            // As if every record up to the kept one had been offered: thinning keeps the record being offered.
            offered = nextKept + 1;
            if (count == limit) {
                makeRoom();
            }
            kept.put(count * recordSize, source, at + (int) (nextKept - first) * step, recordSize);
            count++;
            nextKept += stride;
        }
        offered = end;
    }

    /** Grows the buffer up to the cap; at the cap keeps every other record and doubles the stride. */
    private void makeRoom() {
        if (limit < MAX_RECORDS) {
            int capacity = Math.min(MAX_RECORDS, Math.max(FIRST_CAPACITY, 2 * count));
            ByteBuffer bigger = ByteBuffer.allocate(capacity * recordSize).order(ByteOrder.LITTLE_ENDIAN);
            if (kept != null) {
                bigger.put(0, kept, 0, count * recordSize);
            }
            kept = bigger;
            limit = capacity;
            return;
        }
        for (int j = 0; 2 * j < count; j++) {
            kept.put(j * recordSize, kept, 2 * j * recordSize, recordSize);
        }
        count = (count + 1) / 2;
        stride *= 2;
        // The record being offered is at count_before * stride_before = count * stride: still on the stride.
        nextKept = offered - 1;
    }

    /** How many records were offered. */
    long offered() {
        return offered;
    }

    int count() {
        return count;
    }

    /** The input number of the {@code j}-th kept record. */
    long index(int j) {
        return j * stride;
    }

    /** The kept records' first bytes, the {@code j}-th at {@code j * recordSize()}. */
    ByteBuffer records() {
        return kept;
    }

    /** Bytes kept per record. */
    int recordSize() {
        return recordSize;
    }

    void release() {
        kept = null;
        count = 0;
        limit = 0;
    }
}
