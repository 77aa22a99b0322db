package org.nifimemmap.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Out-of-core sort of fixed-size records by a unique 64-bit key, handed on in key order. An MSD distribution sort:
 * one pass computes every key and a histogram of its top 16 bits; runs of consecutive histogram cells are grouped
 * into buckets that fit in memory; one pass moves (key, record) pairs into their bucket of a second scratch file
 * through small per-bucket staging buffers; then each bucket is read whole, sorted in memory and handed on. A
 * single cell too large for memory is distributed again on its next digit, ping-ponging between the two files, so
 * skewed keys cost extra passes only where they are that skewed.
 * <p>
 * Every pass streams: records are read and written in large sequential or per-bucket blocks with positional
 * channel I/O, never touched one by one through a mapping, so a build moves each byte a few times at memory
 * speed instead of paying a page fault or cache miss per record. Keys are computed, and buckets sorted and
 * converted, on worker threads (one per core, at most {@value #MAX_WORKERS}); the calling thread reads buckets and
 * consumes them in order. Memory is bounded by the bucket size times the buckets in flight, the staging area and
 * a few histograms, whatever the record count.
 * <p>
 * The distribution passes are stable and keys end in the record's input number, so records that share everything
 * above that number stay in input order, and in a bucket input order is position order.
 */
final class DistributionSort {
    /** The key of the record at {@code at}: unique, its low {@code indexBits} bits the record's input number. */
    interface Keys {
        long key(ByteBuffer buffer, int at, long index);
    }

    /**
     * Turns sorted buckets into output. {@link #convert} runs on a worker thread with a state of its own; {@link #consume}
     * runs on the calling thread, once per bucket, in key order.
     */
    interface Emitter<S> {
        S newState();

        void convert(S state, SortedBucket bucket);

        void consume(S state) throws IOException;
    }

    /** One bucket's records in key order: the {@code j}-th is at {@code offset(j)} of {@code data()}. */
    static final class SortedBucket {
        private final ByteBuffer data;
        private final long[] order;
        private final long[] spare;
        private int count;
        private long posMask;
        private long first;
        private int entrySize;

        SortedBucket(ByteBuffer data, int capacity) {
            this.data = data;
            this.order = new long[capacity];
            this.spare = new long[capacity];
        }

        /** Record bytes, with at least 8 readable bytes after the last record's end. */
        ByteBuffer data() {
            return data;
        }

        int count() {
            return count;
        }

        /** How many records come before this bucket's first, in key order. */
        long first() {
            return first;
        }

        int offset(int j) {
            return (int) (order[j] & posMask) * entrySize + Long.BYTES;
        }
    }

    static final long DEFAULT_BUCKET_BYTES = 4L << 20;
    static final int MAX_WORKERS = 2;
    private static final long PARALLEL_FROM = 1 << 16;
    private static final int READ_BYTES = 2 << 20;
    private static final int STAGE_BYTES = 8 << 20;
    private static final int FINE_DIGIT = 16;
    private static final int SUB_DIGIT = 11;
    private static final int SORT_DIGIT = 11;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Path scratchDir;
    private final int recordSize;
    private final int entrySize;
    private final int keyBits;
    private final int indexBits;
    private final int perBucket;
    private final long chunkBytes;
    private final int workers;
    private final ByteBuffer read;

    /**
     * @param keyBits how many low bits of a key can differ (the rest are 0)
     * @param indexBits how many of those are the record number
     * @param bucketBytes the most bytes of (key, record) pairs sorted in memory at once
     * @param chunkBytes the size of the scratch files' chunks
     * @param expected how many records will be sorted: small sorts get small buffers
     */
    DistributionSort(Path scratchDir, int recordSize, int keyBits, int indexBits, long bucketBytes, long chunkBytes,
                     long expected) {
        this.scratchDir = scratchDir;
        this.chunkBytes = chunkBytes;
        this.recordSize = recordSize;
        this.entrySize = recordSize + Long.BYTES;
        this.keyBits = keyBits;
        this.indexBits = indexBits;
        long records = Math.max(1, expected);
        this.perBucket = (int) Math.min(records, Math.max(4L * entrySize, Math.min(bucketBytes, 1L << 30)) / entrySize);
        this.workers = Math.max(1, Math.min(MAX_WORKERS, Runtime.getRuntime().availableProcessors()));
        int readEntries = (int) Math.min(records, Math.max(1, READ_BYTES / entrySize));
        this.read = direct(readEntries * entrySize);
    }

    /** The most records in one sorted bucket. */
    int bucketCapacity() {
        return perBucket;
    }

    private static ByteBuffer direct(int bytes) {
        return DirectBuffers.SHARED.take(bytes);
    }

    /** Scratch bytes a sort of {@code n} records needs on top of the input: the keys, then a second copy with keys. */
    static long scratchNeed(int recordSize, long n) {
        return n * (recordSize + Long.BYTES);
    }

    /**
     * Sorts the {@code n} records at the start of {@code records} and hands them on in key order. Each scratch file
     * is released behind the pass that reads it last; the records file, once read, serves as the second file of the
     * ping-pong for cells too large for memory.
     */
    <S> void sort(ScratchFile records, long n, Supplier<Keys> keys, Emitter<S> emitter) throws IOException {
        if (n == 0) {
            return;
        }
        // Small sorts stay on the calling thread: starting threads would cost more than it saves.
        ExecutorService pool = n < PARALLEL_FROM ? null : Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "spatial-index-sort-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            int fineShift = keyBits - Math.min(FINE_DIGIT, keyBits);
            try (ScratchFile keyFile = new ScratchFile(scratchDir, "keys", chunkBytes);
                 ScratchFile buckets = new ScratchFile(scratchDir, "buckets", chunkBytes)) {
                List<long[]> sliceCells = computeKeys(pool, records, n, keys, keyFile, fineShift);
                long[] cells = new long[sliceCells.getFirst().length];
                for (long[] slice : sliceCells) {
                    for (int c = 0; c < cells.length; c++) {
                        cells[c] += slice[c];
                    }
                }
                Groups groups = new Groups(cells, perBucket);
                distributeInput(pool, records, keyFile, buckets, n, groups, sliceCells, fineShift);
                keyFile.releaseAll();
                records.releaseAll();
                Placer<S> placer = new Placer<>(pool, emitter, buckets);
                long first = 0;
                for (int g = 0; g < groups.count(); g++) {
                    long c = groups.size(g);
                    if (placer.place(buckets, records, first, c, groups.singleCell(g) ? fineShift : keyBits)) {
                        // The group was distributed again through the records file: free it once its buckets are read.
                        placer.finish();
                        records.releaseAll();
                    }
                    first += c;
                }
                placer.finish();
                placer.release();
                DirectBuffers.SHARED.give(read);
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private static <T> Future<T> submit(ExecutorService pool, Callable<T> task) {
        if (pool != null) {
            return pool.submit(task);
        }
        FutureTask<T> inline = new FutureTask<>(task);
        inline.run();
        return inline;
    }

    /**
     * Runs of consecutive fine cells of the top key digit, each run as many as fit in the in-memory bucket (a cell
     * that alone does not fit is a run of its own), so skewed keys still give full buckets, not a second pass.
     */
    private static final class Groups {
        private final int[] groupOfCell;
        private final long[] sizes;
        private final boolean[] single;
        private final int count;

        Groups(long[] cells, long capacity) {
            groupOfCell = new int[cells.length];
            long[] sz = new long[cells.length];
            int[] cellsIn = new int[cells.length];
            int g = 0;
            for (int c = 0; c < cells.length; c++) {
                if (cellsIn[g] > 0 && sz[g] + cells[c] > capacity) {
                    g++;
                }
                groupOfCell[c] = g;
                sz[g] += cells[c];
                cellsIn[g]++;
            }
            count = g + 1;
            sizes = java.util.Arrays.copyOf(sz, count);
            single = new boolean[count];
            for (int i = 0; i < count; i++) {
                single[i] = cellsIn[i] == 1;
            }
        }

        int count() {
            return count;
        }

        long size(int g) {
            return sizes[g];
        }

        boolean singleCell(int g) {
            return single[g];
        }

        int of(int cell) {
            return groupOfCell[cell];
        }

        long[] sizes() {
            return sizes;
        }
    }

    /** Computes every key into {@code keyFile}, one slice of the records per worker; returns each slice's fine histogram. */
    private List<long[]> computeKeys(ExecutorService pool, ScratchFile records, long n, Supplier<Keys> keys, ScratchFile keyFile,
                                     int shift) throws IOException {
        int cells = 1 << (keyBits - shift);
        List<Future<long[]>> parts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            long from = sliceStart(n, w), to = sliceStart(n, w + 1);
            Keys k = keys.get();
            parts.add(submit(pool, () -> computeKeys(records, from, to, k, keyFile, shift, cells)));
        }
        List<long[]> histograms = new ArrayList<>();
        for (Future<long[]> part : parts) {
            histograms.add(await(part));
        }
        return histograms;
    }

    private long sliceStart(long n, int slice) {
        long per = (n + workers - 1) / workers;
        return Math.min(n, slice * per);
    }

    private long[] computeKeys(ScratchFile records, long from, long to, Keys keys, ScratchFile keyFile, int shift, int cells)
            throws IOException {
        long[] histogram = new long[cells];
        int mask = cells - 1;
        int batch = (int) Math.max(1, Math.min(to - from, READ_BYTES / recordSize));
        ByteBuffer in = direct(batch * recordSize);
        ByteBuffer out = direct(Math.min(batch, READ_BYTES / 4 / Long.BYTES) * Long.BYTES);
        long i = from;
        long keyAt = from * Long.BYTES;
        while (i < to) {
            int got = (int) Math.min(to - i, in.capacity() / recordSize);
            in.clear().limit(got * recordSize);
            records.read(in, i * recordSize);
            for (int r = 0; r < got; r++, i++) {
                long k = keys.key(in, r * recordSize, i);
                histogram[(int) (k >>> shift) & mask]++;
                if (!out.hasRemaining()) {
                    int bytes = out.position();
                    keyFile.write(out.flip(), keyAt);
                    keyAt += bytes;
                    out.clear();
                }
                out.putLong(k);
            }
        }
        keyFile.write(out.flip(), keyAt);
        DirectBuffers.SHARED.give(in, out);
        return histogram;
    }

    /**
     * Moves every (key, record) into its group's range of {@code buckets}, one slice of the input per worker. A
     * slice's part of a group starts after the earlier slices' parts, so each group stays in input order.
     */
    private void distributeInput(ExecutorService pool, ScratchFile records, ScratchFile keyFile, ScratchFile buckets, long n,
                                 Groups groups, List<long[]> sliceCells, int shift) throws IOException {
        long[] next = new long[groups.count()];
        for (int g = 1; g < next.length; g++) {
            next[g] = next[g - 1] + groups.size(g - 1);
        }
        List<Future<Void>> parts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            long from = sliceStart(n, w), to = sliceStart(n, w + 1);
            long[] starts = next.clone();
            long[] cells = sliceCells.get(w);
            for (int c = 0; c < cells.length; c++) {
                next[groups.of(c)] += cells[c];
            }
            parts.add(submit(pool, () -> {
                distributeSlice(records, keyFile, buckets, from, to, groups, starts, shift);
                return null;
            }));
        }
        for (Future<Void> part : parts) {
            await(part);
        }
    }

    /** Staging memory for distributing {@code entries}: no more than they fill. */
    private int stagingBytes(long entries) {
        return (int) Math.min(STAGE_BYTES, Math.max(64 << 10, entries * entrySize));
    }

    private void distributeSlice(ScratchFile records, ScratchFile keyFile, ScratchFile buckets, long from, long to, Groups groups,
                                 long[] starts, int shift) throws IOException {
        Staging staging = new Staging(starts, stagingBytes(to - from) / workers);
        int mask = (1 << (keyBits - shift)) - 1;
        int batch = (int) Math.max(1, Math.min(to - from, READ_BYTES / recordSize));
        ByteBuffer in = direct(batch * recordSize);
        ByteBuffer inKeys = direct(batch * Long.BYTES);
        long i = from;
        while (i < to) {
            int got = (int) Math.min(to - i, batch);
            in.clear().limit(got * recordSize);
            records.read(in, i * recordSize);
            inKeys.clear().limit(got * Long.BYTES);
            keyFile.read(inKeys, i * Long.BYTES);
            for (int r = 0; r < got; r++, i++) {
                long k = inKeys.getLong(r * Long.BYTES);
                staging.add(groups.of((int) (k >>> shift) & mask), k, in, r * recordSize, buckets);
            }
            records.releaseWithin(from * recordSize, i * recordSize);
            keyFile.releaseWithin(from * Long.BYTES, i * Long.BYTES);
        }
        staging.flushAll(buckets);
        DirectBuffers.SHARED.give(in, inKeys, staging.area);
    }

    /**
     * Hands buckets to the workers, which read, sort and convert them, and consumes them in order on the calling
     * thread. A few buckets are in flight at once: one per worker and two waiting to be consumed.
     */
    private final class Placer<S> {
        private final ExecutorService pool;
        private final Emitter<S> emitter;
        private final ArrayDeque<Slot<S>> free = new ArrayDeque<>();
        private final ArrayDeque<Slot<S>> inFlight = new ArrayDeque<>();
        private final ScratchFile buckets;
        private long placed;

        Placer(ExecutorService pool, Emitter<S> emitter, ScratchFile buckets) {
            this.pool = pool;
            this.emitter = emitter;
            this.buckets = buckets;
            for (int i = 0; i < workers + 2; i++) {
                // Converters may read a whole word at a record's last field: 8 bytes of slack after the last entry.
                free.add(new Slot<>(new SortedBucket(direct(perBucket * entrySize + Long.BYTES), perBucket), emitter.newState()));
            }
        }

        /**
         * Places the {@code count} entries at entry {@code first} of {@code from}, which share every key bit above
         * {@code bitsLeft}; {@code other} holds nothing needed in that range and takes a further distribution.
         * Workers read, sort and convert each bucket. Returns whether the entries were distributed again.
         */
        boolean place(ScratchFile from, ScratchFile other, long first, long count, int bitsLeft) throws IOException {
            if (count == 0) {
                return false;
            }
            if (count <= perBucket) {
                Slot<S> slot = free.isEmpty() ? consumeOldest() : free.poll();
                SortedBucket b = slot.bucket;
                b.count = (int) count;
                b.first = placed;
                b.entrySize = entrySize;
                placed += count;
                slot.end = from == buckets ? (first + count) * entrySize : 0;
                slot.done = submit(pool, () -> {
                    b.data.clear().limit((int) (count * entrySize));
                    from.read(b.data, first * entrySize);
                    b.data.limit(b.data.capacity());
                    sortBucket(b, bitsLeft);
                    emitter.convert(slot.state, b);
                    return null;
                });
                inFlight.add(slot);
                return false;
            }
            if (bitsLeft <= 0) {
                throw new IllegalStateException("Keys are not unique: " + count + " entries share every key bit");
            }
            int digit = Math.min(SUB_DIGIT, bitsLeft);
            int shift = bitsLeft - digit;
            int mask = (1 << digit) - 1;
            long[] counts = new long[1 << digit];
            for (long done = 0; done < count; ) {
                int got = readEntries(from, first + done, count - done);
                for (int r = 0; r < got; r++) {
                    counts[(int) (read.getLong(r * entrySize) >>> shift) & mask]++;
                }
                done += got;
            }
            long[] starts = new long[counts.length];
            long next = first;
            for (int d = 0; d < counts.length; d++) {
                starts[d] = next;
                next += counts[d];
            }
            Staging staging = new Staging(starts, stagingBytes(count));
            for (long done = 0; done < count; ) {
                int got = readEntries(from, first + done, count - done);
                for (int r = 0; r < got; r++) {
                    int at = r * entrySize;
                    long k = read.getLong(at);
                    staging.add((int) (k >>> shift) & mask, k, read, at + Long.BYTES, other);
                }
                done += got;
            }
            staging.flushAll(other);
            DirectBuffers.SHARED.give(staging.area);
            long sub = first;
            for (long c : counts) {
                place(other, from, sub, c, shift);
                sub += c;
            }
            return true;
        }

        private Slot<S> consumeOldest() throws IOException {
            Slot<S> slot = inFlight.poll();
            await(slot.done);
            emitter.consume(slot.state);
            // Buckets are consumed in file order, so everything below this one's end has been read.
            buckets.releaseBelow(slot.end);
            return slot;
        }

        void finish() throws IOException {
            while (!inFlight.isEmpty()) {
                free.add(consumeOldest());
            }
        }

        /** Gives the buckets' memory back once every bucket has been consumed. */
        void release() {
            for (Slot<S> slot : free) {
                DirectBuffers.SHARED.give(slot.bucket.data);
            }
            free.clear();
        }
    }

    private static final class Slot<S> {
        final SortedBucket bucket;
        final S state;
        Future<?> done;
        /** Where this bucket ends in the top-level buckets file, or 0 if it was read from elsewhere. */
        long end;

        Slot(SortedBucket bucket, S state) {
            this.bucket = bucket;
            this.state = state;
        }
    }

    private static <T> T await(Future<T> f) throws IOException {
        return Await.result(f, "sorting the index");
    }

    private int readEntries(ScratchFile from, long firstEntry, long left) throws IOException {
        int entries = (int) Math.min(left, read.capacity() / entrySize);
        read.clear().limit(entries * entrySize);
        from.read(read, firstEntry * entrySize);
        return entries;
    }

    /**
     * Sorts a bucket in memory by the key bits that can still differ. Position in the bucket follows input order,
     * so (curve bits above the record number, position) orders it as the full key would.
     */
    private void sortBucket(SortedBucket b, int bitsLeft) {
        int count = b.count;
        int posBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(count - 1));
        int curveBits = Math.max(0, bitsLeft - indexBits);
        long curveMask = curveBits == 0 ? 0 : (curveBits == 64 ? -1L : (1L << curveBits) - 1);
        long[] order = b.order;
        for (int p = 0; p < count; p++) {
            long k = b.data.getLong(p * entrySize);
            order[p] = ((k >>> indexBits) & curveMask) << posBits | p;
        }
        if (curveBits > 0) {
            radixSort(order, b.spare, count, curveBits + posBits, posBits);
        }
        b.posMask = (1L << posBits) - 1;
    }

    /** LSD radix sort of order[0, count) on bits [from, width), skipping digits every value shares. */
    private static void radixSort(long[] order, long[] spare, int count, int width, int from) {
        long[] a = order, b = spare;
        int[] hist = new int[1 << SORT_DIGIT];
        int mask = hist.length - 1;
        for (int shift = from; shift < width; shift += SORT_DIGIT) {
            java.util.Arrays.fill(hist, 0);
            for (int i = 0; i < count; i++) {
                hist[(int) (a[i] >>> shift) & mask]++;
            }
            if (hist[(int) (a[0] >>> shift) & mask] == count) {
                continue;
            }
            int sum = 0;
            for (int d = 0; d < hist.length; d++) {
                int c = hist[d];
                hist[d] = sum;
                sum += c;
            }
            for (int i = 0; i < count; i++) {
                long v = a[i];
                b[hist[(int) (v >>> shift) & mask]++] = v;
            }
            long[] t = a;
            a = b;
            b = t;
        }
        if (a != order) {
            System.arraycopy(a, 0, order, 0, count);
        }
    }

    /** Per-bucket staging regions of one buffer; a full region is written at its bucket's next file position. */
    private final class Staging {
        private final long[] next;
        private final int[] fill;
        private final int regionBytes;
        private final ByteBuffer area;

        /** Buckets whose first entries are {@code startEntries}, staged in about {@code bytes} of memory. */
        Staging(long[] startEntries, int bytes) {
            int buckets = startEntries.length;
            next = new long[buckets];
            fill = new int[buckets];
            for (int b = 0; b < buckets; b++) {
                next[b] = startEntries[b] * entrySize;
            }
            // At least one entry per bucket: very many buckets (builds of billions) take a larger area.
            regionBytes = Math.max(1, bytes / buckets / entrySize) * entrySize;
            area = direct(Math.toIntExact((long) regionBytes * buckets));
        }

        void add(int b, long key, ByteBuffer source, int at, ScratchFile to) throws IOException {
            if (fill[b] == regionBytes) {
                flush(b, to);
            }
            int p = b * regionBytes + fill[b];
            area.putLong(p, key);
            area.put(p + Long.BYTES, source, at, recordSize);
            fill[b] += entrySize;
        }

        private void flush(int b, ScratchFile to) throws IOException {
            to.write(area.slice(b * regionBytes, fill[b]), next[b]);
            next[b] += fill[b];
            fill[b] = 0;
        }

        void flushAll(ScratchFile to) throws IOException {
            for (int b = 0; b < fill.length; b++) {
                if (fill[b] > 0) {
                    flush(b, to);
                }
            }
        }
    }

}
