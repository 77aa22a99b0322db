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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.nifimemmap.io.Await;

/**
 * Out-of-core sort of fixed-size records by a unique 64-bit key, handed on in key order. An MSD distribution sort:
 * runs of consecutive cells of the keys' top 16 bits are grouped into buckets that fit in memory, planned from the
 * keys of a {@link RecordSample} of the input (the producer keeps one as it spills, so planning reads nothing); one
 * pass computes every key and moves (key, record) pairs into their bucket of a second scratch file through small
 * per-bucket staging buffers; then each bucket is read whole, sorted in memory and handed on.
 * <p>
 * Bucket sizes are only estimated, so each bucket has a reserved range per input slice, a quarter larger than its
 * estimate (the file is sparse: a range only takes the space it fills), and buckets are planned to a fifth below
 * the memory they are sorted in. What does not fit its range goes to overflow blocks after all ranges; a bucket that
 * outgrows memory after all, or a single cell too large for it, is copied out and distributed again on its next
 * digit, ping-ponging between two files, so skewed keys or a poor sample cost extra passes only where they occur.
 * <p>
 * Every pass streams: records are read and written in large sequential or per-bucket blocks with positional
 * channel I/O, never touched one by one through a mapping, so a build moves each byte a few times at memory
 * speed instead of paying a page fault or cache miss per record. Keys are computed and distributed, and buckets
 * sorted and converted, on worker threads (one per core, at most {@value #MAX_WORKERS}); the calling thread reads
 * buckets and consumes them in order. Memory is bounded by the bucket size times the buckets in flight, the
 * staging area, the sample and a few histograms, whatever the record count.
 * <p>
 * The distribution passes are stable and keys end in the record's input number, so records that share everything
 * above that number stay in input order, and in a bucket input order is position order.
 */
final class DistributionSort {
    /**
     * The key of the record at {@code at}: unique, its low {@code indexBits} bits the record's input number. It reads
     * no more of the record than a {@link RecordSample} of the sort keeps.
     */
    interface Keys {
        long key(ByteBuffer buffer, int at, long index);

        /** The keys of the {@code count} records from {@code at}, every {@code recordSize} bytes, numbered from {@code index}. */
        default void keys(ByteBuffer buffer, int at, int recordSize, long index, int count, long[] out) {
            for (int r = 0; r < count; r++) {
                out[r] = key(buffer, at + r * recordSize, index + r);
            }
        }
    }

    /**
     * Turns sorted buckets into output. {@link #convert} runs on a worker thread with a state of its own; {@link #consume}
     * runs on the calling thread, once per bucket, in key order.
     */
    interface Emitter<S> {
        S newState();

        /**
         * Converts a sorted bucket into {@code state}, on a worker thread, several buckets at once: the bucket's
         * ranks are final ({@link SortedBucket#first()}), so what it converts to may be written where it belongs.
         */
        void convert(S state, SortedBucket bucket) throws IOException;

        /** Takes a converted bucket, on the sorting thread, in key order. */
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
    /** Keys computed at once before their records are staged: a batch keeps them in the first-level cache. */
    private static final int KEY_BATCH = 256;
    /** Buckets are planned to this share of the memory they are sorted in, so an estimate a little low still fits. */
    private static final double PLANNED_FILL = 0.8;
    /** A bucket's range per slice: its estimate times this, plus {@value #RESERVE_EXTRA} entries. */
    private static final double RESERVE_SLACK = 1.25;
    private static final int RESERVE_EXTRA = 64;
    /**
     * About this many sampled records per bucket, or more: enough for estimates a few percent off, few enough that
     * the sample of a partition of a million records costs nothing next to its sort (a sample of 2^17 per build
     * had made partitioned builds pay eight times what one build paid).
     */
    private static final int SAMPLED_PER_BUCKET = 512;
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

    /**
     * The stride a {@link RecordSample} for a sort of {@code recordSize}-byte records in buckets of {@code bucketBytes}
     * starts at: a power of two, about {@value #SAMPLED_PER_BUCKET} records per bucket.
     */
    static long sampleStride(int recordSize, long bucketBytes) {
        long perBucket = Math.min(bucketBytes, 1L << 30) / (recordSize + Long.BYTES);
        return Math.max(1, Long.highestOneBit(Math.max(1, perBucket / SAMPLED_PER_BUCKET)));
    }

    /** The most records in one sorted bucket. */
    int bucketCapacity() {
        return perBucket;
    }

    private static ByteBuffer direct(int bytes) {
        return DirectBuffers.SHARED.take(bytes);
    }

    /** Scratch bytes a sort of {@code n} records needs on top of the input: a second copy with keys. */
    static long scratchNeed(int recordSize, long n) {
        return n * (recordSize + Long.BYTES);
    }

    /**
     * Sorts the {@code n} records at the start of {@code records}, of which {@code sample} holds a sample, and hands
     * them on in key order. Each scratch file is released behind the pass that reads it last; the records file, once
     * read, serves as the second file of the ping-pong for buckets too large for memory.
     */
    <S> void sort(ScratchFile records, long n, Supplier<Keys> keys, Emitter<S> emitter, RecordSample sample) throws IOException {
        if (n == 0) {
            return;
        }
        if (sample.offered() != n || sample.count() == 0) {
            throw new IllegalArgumentException("A sample of " + sample.offered() + " records for a sort of " + n);
        }
        // Small sorts stay on the calling thread: starting threads would cost more than it saves.
        ExecutorService pool = n < PARALLEL_FROM ? null : Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "spatial-index-sort-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            int fineShift = keyBits - Math.min(FINE_DIGIT, keyBits);
            try (ScratchFile buckets = new ScratchFile(scratchDir, "buckets", chunkBytes);
                 ScratchFile regroup = new ScratchFile(scratchDir, "regroup", chunkBytes)) {
                Plan plan = new Plan(sample, n, keys.get(), fineShift);
                Staging[] slices = distributeInput(pool, records, buckets, n, plan, keys, fineShift);
                records.releaseAll();
                Placer<S> placer = new Placer<>(pool, emitter, buckets);
                for (int g = 0; g < plan.groups; g++) {
                    long[] extents = plan.extents(g, slices);
                    long count = 0;
                    for (int e = 1; e < extents.length; e += 2) {
                        count += extents[e] / entrySize;
                    }
                    int bitsLeft = plan.single[g] ? fineShift : keyBits;
                    if (count <= perBucket) {
                        placer.placeExtents(buckets, extents, count, bitsLeft, plan.end(g) * entrySize);
                    } else {
                        // Larger than its estimate by more than the margin: distributed again from a contiguous copy.
                        copyExtents(buckets, extents, regroup);
                        placer.place(regroup, records, 0, count, bitsLeft);
                        placer.finish();
                        regroup.releaseAll();
                        records.releaseAll();
                    }
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
     * Runs of consecutive fine cells of the top key digit, each run about {@value #PLANNED_FILL} of the in-memory
     * bucket by the sample's estimate (a cell that alone does not fit is a run of its own), and each run's reserved
     * range per input slice in the buckets file, in run order, then slice order.
     */
    private final class Plan {
        final int[] groupOfCell;
        final boolean[] single;
        final int groups;
        /** [slice][group]: first and end entry of the group's range for that slice. */
        final long[][] start;
        final long[][] end;
        /** Entries in all ranges: overflow blocks start there. */
        final long reserved;

        Plan(RecordSample sample, long n, Keys keys, int shift) {
            int cells = 1 << (keyBits - shift);
            int mask = cells - 1;
            long[][] hits = new long[workers][cells];
            long[] inSlice = new long[workers];
            ByteBuffer kept = sample.records();
            for (int j = 0; j < sample.count(); j++) {
                long index = sample.index(j);
                long k = keys.key(kept, j * sample.recordSize(), index);
                int w = sliceOf(n, index);
                hits[w][(int) (k >>> shift) & mask]++;
                inSlice[w]++;
            }
            // Records per hit, per slice; a slice the sample missed (tiny slices) is estimated from all hits.
            double[] scale = new double[workers];
            boolean[] pooled = new boolean[workers];
            for (int w = 0; w < workers; w++) {
                long size = sliceStart(n, w + 1) - sliceStart(n, w);
                pooled[w] = inSlice[w] == 0;
                scale[w] = pooled[w] ? (double) size / sample.count() : (double) size / inSlice[w];
            }
            groupOfCell = new int[cells];
            double[][] estimate = new double[workers][cells];
            int[] cellsIn = new int[cells];
            double target = perBucket * PLANNED_FILL;
            double size = 0;
            int g = 0;
            double[] inCell = new double[workers];
            for (int c = 0; c < cells; c++) {
                long all = 0;
                for (int w = 0; w < workers; w++) {
                    all += hits[w][c];
                }
                double cell = 0;
                for (int w = 0; w < workers; w++) {
                    inCell[w] = (pooled[w] ? all : hits[w][c]) * scale[w];
                    cell += inCell[w];
                }
                if (cellsIn[g] > 0 && size + cell > target) {
                    g++;
                    size = 0;
                }
                groupOfCell[c] = g;
                cellsIn[g]++;
                size += cell;
                for (int w = 0; w < workers; w++) {
                    estimate[w][g] += inCell[w];
                }
            }
            groups = g + 1;
            single = new boolean[groups];
            start = new long[workers][groups];
            end = new long[workers][groups];
            long next = 0;
            for (int i = 0; i < groups; i++) {
                single[i] = cellsIn[i] == 1;
                for (int w = 0; w < workers; w++) {
                    boolean empty = sliceStart(n, w + 1) == sliceStart(n, w);
                    start[w][i] = next;
                    next += empty ? 0 : (long) Math.ceil(estimate[w][i] * RESERVE_SLACK) + RESERVE_EXTRA;
                    end[w][i] = next;
                }
            }
            reserved = next;
        }

        /** Where group {@code g}'s ranges end: every entry of the buckets file below it belongs to groups up to g. */
        long end(int g) {
            return end[workers - 1][g];
        }

        /** Group {@code g}'s entries in input order, as (byte position, byte length) pairs of the buckets file. */
        long[] extents(int g, Staging[] slices) {
            int pairs = 0;
            for (Staging s : slices) {
                pairs += 1 + s.overflowBlocks(g);
            }
            long[] out = new long[2 * pairs];
            int p = 0;
            for (Staging s : slices) {
                p = s.extents(g, out, p);
            }
            return out;
        }
    }

    private int sliceOf(long n, long index) {
        long per = (n + workers - 1) / workers;
        return (int) (index / per);
    }

    private long sliceStart(long n, int slice) {
        long per = (n + workers - 1) / workers;
        return Math.min(n, slice * per);
    }

    /**
     * Computes every key and moves every (key, record) into its group's range of {@code buckets}, one slice of the
     * input per worker; returns each slice's staging, which knows where its entries went.
     */
    private Staging[] distributeInput(ExecutorService pool, ScratchFile records, ScratchFile buckets, long n, Plan plan,
                                      Supplier<Keys> keys, int shift) throws IOException {
        AtomicLong overflow = new AtomicLong(plan.reserved * entrySize);
        List<Future<Staging>> parts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            long from = sliceStart(n, w), to = sliceStart(n, w + 1);
            Keys k = keys.get();
            Staging staging = new Staging(plan.start[w], plan.end[w], stagingBytes(to - from) / workers, overflow);
            parts.add(submit(pool, () -> distributeSlice(records, buckets, from, to, k, plan, staging, shift)));
        }
        Staging[] slices = new Staging[workers];
        for (int w = 0; w < workers; w++) {
            slices[w] = await(parts.get(w));
        }
        return slices;
    }

    /** Staging memory for distributing {@code entries}: no more than they fill. */
    private int stagingBytes(long entries) {
        return (int) Math.min(STAGE_BYTES, Math.max(64 << 10, entries * entrySize));
    }

    private Staging distributeSlice(ScratchFile records, ScratchFile buckets, long from, long to, Keys keys, Plan plan,
                                    Staging staging, int shift) throws IOException {
        int mask = (1 << (keyBits - shift)) - 1;
        int batch = (int) Math.max(1, Math.min(to - from, READ_BYTES / recordSize));
        ByteBuffer in = direct(batch * recordSize);
        long[] k = new long[KEY_BATCH];
        long i = from;
        while (i < to) {
            int got = (int) Math.min(to - i, batch);
            in.clear().limit(got * recordSize);
            records.read(in, i * recordSize);
            distributeBatch(in, got, i, keys, k, plan.groupOfCell, mask, shift, staging, buckets);
            i += got;
            records.releaseWithin(from * recordSize, i * recordSize);
        }
        staging.flushAll(buckets);
        DirectBuffers.SHARED.give(in, staging.area);
        return staging;
    }

    /** Keys the {@code got} records in {@code in}, numbered from {@code index}, and stages each in its group. */
    private void distributeBatch(ByteBuffer in, int got, long index, Keys keys, long[] k, int[] groupOfCell, int mask,
                                 int shift, Staging staging, ScratchFile buckets) throws IOException {
        for (int r = 0; r < got; ) {
            int n = Math.min(KEY_BATCH, got - r);
            keys.keys(in, r * recordSize, recordSize, index + r, n, k);
            for (int j = 0; j < n; j++, r++) {
                staging.add(groupOfCell[(int) (k[j] >>> shift) & mask], k[j], in, r * recordSize, buckets);
            }
        }
    }

    /** Copies the entries at {@code extents} of {@code from} to the start of {@code to}, in order. */
    private void copyExtents(ScratchFile from, long[] extents, ScratchFile to) throws IOException {
        long at = 0;
        for (int e = 0; e < extents.length; e += 2) {
            for (long done = 0; done < extents[e + 1]; ) {
                int bytes = (int) Math.min(extents[e + 1] - done, read.capacity());
                read.clear().limit(bytes);
                from.read(read, extents[e] + done);
                to.write(read, at);
                at += bytes;
                done += bytes;
            }
        }
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
        }

        /**
         * A slot for the next bucket: a free one, else a new one while there are fewer than one per worker and two
         * more, else the oldest once consumed. Slots are made as the first buckets go out, so the workers sort the
         * first buckets while the memory of the next slots is touched (~20 MB of fresh memory, ~0.1 s on the VMs
         * this is measured on), instead of waiting for all of it.
         */
        private Slot<S> nextSlot() throws IOException {
            if (!free.isEmpty()) {
                return free.poll();
            }
            // Every slot made is free or in flight here, so those in flight are all there are.
            if (inFlight.size() < workers + 2) {
                // Converters may read a whole word at a record's last field: 8 bytes of slack after the last entry.
                return new Slot<>(new SortedBucket(direct(perBucket * entrySize + Long.BYTES), perBucket), emitter.newState());
            }
            return consumeOldest();
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
                placeExtents(from, new long[] {first * entrySize, count * entrySize}, count, bitsLeft, 0);
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
            Staging staging = new Staging(starts, null, stagingBytes(count), null);
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

        /**
         * Has a worker read the {@code count} entries at {@code extents} ((byte position, byte length) pairs, in
         * order) of {@code from} into one bucket, sort and convert it. {@code end} is where the bucket's ranges end in
         * the buckets file, 0 if it is read from elsewhere: once it is consumed, what lies below is released.
         */
        void placeExtents(ScratchFile from, long[] extents, long count, int bitsLeft, long end) throws IOException {
            if (count == 0) {
                return;
            }
            Slot<S> slot = nextSlot();
            SortedBucket b = slot.bucket;
            b.count = (int) count;
            b.first = placed;
            b.entrySize = entrySize;
            placed += count;
            slot.end = end;
            slot.done = submit(pool, () -> {
                int filled = 0;
                for (int e = 0; e < extents.length; e += 2) {
                    int bytes = (int) extents[e + 1];
                    if (bytes > 0) {
                        from.read(b.data.slice(filled, bytes), extents[e]);
                        filled += bytes;
                    }
                }
                b.data.clear();
                sortBucket(b, bitsLeft);
                emitter.convert(slot.state, b);
                return null;
            });
            inFlight.add(slot);
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
        sortWords(b.data, count, curveMask, posBits, order);
        if (curveBits > 0) {
            radixSort(order, b.spare, count, curveBits + posBits, posBits);
        }
        b.posMask = (1L << posBits) - 1;
    }

    /** Each entry's (curve bits, position) word: what a bucket is sorted by. */
    private void sortWords(ByteBuffer data, int count, long curveMask, int posBits, long[] order) {
        for (int p = 0; p < count; p++) {
            long k = data.getLong(p * entrySize);
            order[p] = ((k >>> indexBits) & curveMask) << posBits | p;
        }
    }

    /** LSD radix sort of order[0, count) on bits [from, width), skipping digits every value shares. */
    private static void radixSort(long[] order, long[] spare, int count, int width, int from) {
        long[] a = order, b = spare;
        int[] hist = new int[1 << SORT_DIGIT];
        int mask = hist.length - 1;
        for (int shift = from; shift < width; shift += SORT_DIGIT) {
            histogram(a, count, shift, mask, hist);
            if (hist[(int) (a[0] >>> shift) & mask] == count) {
                continue;
            }
            int sum = 0;
            for (int d = 0; d < hist.length; d++) {
                int c = hist[d];
                hist[d] = sum;
                sum += c;
            }
            scatter(a, b, count, shift, mask, hist);
            long[] t = a;
            a = b;
            b = t;
        }
        if (a != order) {
            System.arraycopy(a, 0, order, 0, count);
        }
    }

    // The radix sort's two long loops are methods of their own, as are the bucket's sort words, the distribution's
    // per-batch loop and the converter's loops: a method of several long loops, called a few hundred times, was
    // compiled by the JIT once per loop entry and then whole, and compilation is CPU the two cores of a build do not
    // have to spare (~0.3 s less compiler time in a segment build).

    private static void histogram(long[] a, int count, int shift, int mask, int[] hist) {
        java.util.Arrays.fill(hist, 0);
        for (int i = 0; i < count; i++) {
            hist[(int) (a[i] >>> shift) & mask]++;
        }
    }

    private static void scatter(long[] a, long[] b, int count, int shift, int mask, int[] hist) {
        for (int i = 0; i < count; i++) {
            long v = a[i];
            b[hist[(int) (v >>> shift) & mask]++] = v;
        }
    }

    /**
     * Per-bucket staging regions of one buffer; a full region is written at its bucket's next file position, or,
     * past the end of the bucket's range, to an overflow block taken from a position shared by all slices.
     */
    private final class Staging {
        private final long[] start;
        private final long[] next;
        private final long[] end;
        private final int[] fill;
        private final int regionBytes;
        private final ByteBuffer area;
        private final AtomicLong overflow;
        /** Per bucket, its overflow blocks as (byte position, byte length) pairs; null while it has none. */
        private final long[][] blocks;
        private final int[] blockCount;

        /**
         * Buckets whose entries start at {@code startEntries} and must end by {@code endEntries} (no end when null:
         * their sizes are known), staged in about {@code bytes} of memory; overflow blocks are taken at
         * {@code overflow} (null when sizes are known).
         */
        Staging(long[] startEntries, long[] endEntries, int bytes, AtomicLong overflow) {
            int buckets = startEntries.length;
            start = new long[buckets];
            next = new long[buckets];
            end = new long[buckets];
            fill = new int[buckets];
            for (int b = 0; b < buckets; b++) {
                start[b] = next[b] = startEntries[b] * entrySize;
                end[b] = endEntries == null ? Long.MAX_VALUE : endEntries[b] * entrySize;
            }
            this.overflow = overflow;
            this.blocks = new long[buckets][];
            this.blockCount = new int[buckets];
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
            int bytes = fill[b];
            int inRange = (int) Math.min(bytes, end[b] - next[b]);
            if (inRange > 0) {
                to.write(area.slice(b * regionBytes, inRange), next[b]);
                next[b] += inRange;
            }
            if (inRange < bytes) {
                int rest = bytes - inRange;
                long at = overflow.getAndAdd(rest);
                to.write(area.slice(b * regionBytes + inRange, rest), at);
                addBlock(b, at, rest);
            }
            fill[b] = 0;
        }

        private void addBlock(int b, long at, int bytes) {
            int n = blockCount[b];
            if (blocks[b] == null || blocks[b].length < 2 * n + 2) {
                blocks[b] = java.util.Arrays.copyOf(blocks[b] == null ? new long[0] : blocks[b], Math.max(8, 4 * n + 4));
            }
            blocks[b][2 * n] = at;
            blocks[b][2 * n + 1] = bytes;
            blockCount[b] = n + 1;
        }

        void flushAll(ScratchFile to) throws IOException {
            for (int b = 0; b < fill.length; b++) {
                if (fill[b] > 0) {
                    flush(b, to);
                }
            }
        }

        int overflowBlocks(int b) {
            return blockCount[b];
        }

        /** Writes bucket {@code b}'s range and overflow blocks as pairs into {@code out} from {@code p}; returns the next p. */
        int extents(int b, long[] out, int p) {
            out[p++] = start[b];
            out[p++] = next[b] - start[b];
            for (int i = 0; i < blockCount[b]; i++) {
                out[p++] = blocks[b][2 * i];
                out[p++] = blocks[b][2 * i + 1];
            }
            return p;
        }
    }

}
