package org.nifimemmap.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionSortTest {
    private static final int RECORD = 20;
    private static final int INDEX_BITS = 20;
    private static final int CURVE_BITS = 30;

    @TempDir
    Path dir;

    /** Records hold their curve value (8 bytes), their input number (8 bytes) and 4 bytes of payload. */
    private static ByteBuffer records(long[] curve) {
        ByteBuffer b = ByteBuffer.allocate(curve.length * RECORD).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < curve.length; i++) {
            b.putLong(curve[i]).putLong(i).putInt(i * 7);
        }
        return b.flip();
    }

    private long[] sortAndCollect(long[] curve, long bucketBytes, long chunkBytes) throws IOException {
        return sortAndCollect(curve, null, bucketBytes, chunkBytes);
    }

    /** As above, planning from a sample of {@code sampled} (as many records) instead of the records sorted, if not null. */
    private long[] sortAndCollect(long[] curve, long[] sampled, long bucketBytes, long chunkBytes) throws IOException {
        int n = curve.length;
        try (ScratchFile records = new ScratchFile(dir, "records", chunkBytes)) {
            records.write(records(curve), 0);
            DistributionSort sort = new DistributionSort(dir, RECORD, CURVE_BITS + INDEX_BITS, INDEX_BITS, bucketBytes, chunkBytes, n);
            List<Long> out = new ArrayList<>();
            long[] expectedFirst = {0};
            DistributionSort.Emitter<List<long[]>> emitter = new DistributionSort.Emitter<>() {
                        @Override
                        public List<long[]> newState() {
                            return new ArrayList<>();
                        }

                        @Override
                        public void convert(List<long[]> state, DistributionSort.SortedBucket bucket) {
                            state.clear();
                            for (int j = 0; j < bucket.count(); j++) {
                                int at = bucket.offset(j);
                                long index = bucket.data().getLong(at + 8);
                                assertEquals(index * 7, bucket.data().getInt(at + 16));
                                state.add(new long[] {bucket.first() + j, index});
                            }
                        }

                        @Override
                        public void consume(List<long[]> state) {
                            for (long[] e : state) {
                                assertEquals(expectedFirst[0]++, e[0], "ranks arrive in order");
                                out.add(e[1]);
                            }
                        }
                    };
            java.util.function.Supplier<DistributionSort.Keys> keys = () -> (buf, at, index) -> buf.getLong(at) << INDEX_BITS | index;
            RecordSample sample = sampled == null ? sampleOf(records(curve), n, sampleStride(sort)) : sampleOf(records(sampled), n, 1);
            sort.sort(records, n, keys, emitter, sample);
            return out.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** The sample a writer would keep of the {@code n} records in {@code b}. */
    private static RecordSample sampleOf(ByteBuffer b, int n, long stride) {
        RecordSample sample = new RecordSample(RECORD, stride);
        for (int i = 0; i < n; i++) {
            sample.offer(b, i * RECORD);
        }
        return sample;
    }

    /** The stride a writer starts its sample at for this sort's buckets. */
    private static long sampleStride(DistributionSort sort) {
        return DistributionSort.sampleStride(RECORD, (long) sort.bucketCapacity() * (RECORD + Long.BYTES));
    }

    private static long[] expectedOrder(long[] curve) {
        return java.util.stream.IntStream.range(0, curve.length).boxed()
                .sorted((a, b) -> curve[a] != curve[b] ? Long.compare(curve[a], curve[b]) : Integer.compare(a, b))
                .mapToLong(Integer::longValue).toArray();
    }

    @Test
    void uniformKeysComeOutInKeyOrderThroughManySmallBuckets() throws IOException {
        Random rnd = new Random(1);
        long[] curve = new long[50_000];
        for (int i = 0; i < curve.length; i++) {
            curve[i] = rnd.nextLong() >>> (64 - CURVE_BITS);
        }
        assertArrayEquals(expectedOrder(curve), sortAndCollect(curve, 4096, 777));
        assertArrayEquals(expectedOrder(curve), sortAndCollect(curve, 8L << 20, 64L << 20));
        assertScratchGone();
    }

    /** Most keys in one cell of the top digit, many equal: that cell is distributed again, ties keep input order. */
    @Test
    void skewedAndTiedKeysTakeTheSecondLevelAndStayStable() throws IOException {
        Random rnd = new Random(2);
        long[] curve = new long[30_000];
        for (int i = 0; i < curve.length; i++) {
            curve[i] = switch (i % 3) {
                case 0 -> 12345;
                case 1 -> rnd.nextInt(1000);
                default -> rnd.nextLong() >>> (64 - CURVE_BITS);
            };
        }
        assertArrayEquals(expectedOrder(curve), sortAndCollect(curve, 2048, 1001));
        assertScratchGone();
    }

    /**
     * Bucket ranges are planned from a sample; a sample that misleads (all keys low, while the records' keys are
     * spread, then all equal) overfills some ranges, whose entries go to overflow blocks, and some buckets beyond
     * memory, which are copied out and distributed again: the order is still exact and stable.
     */
    @Test
    void aMisleadingSampleCostsPassesButNotOrder() throws IOException {
        Random rnd = new Random(4);
        long[] curve = new long[40_000];
        long[] sampled = new long[curve.length];
        for (int i = 0; i < curve.length; i++) {
            curve[i] = i < 30_000 ? rnd.nextLong() >>> (64 - CURVE_BITS) : 777;
            sampled[i] = rnd.nextInt(50);
        }
        assertArrayEquals(expectedOrder(curve), sortAndCollect(curve, sampled, 4096, 777));
        assertArrayEquals(expectedOrder(curve), sortAndCollect(curve, sampled, 1 << 20, 1 << 16));
        long[] spread = curve.clone();
        Arrays.sort(spread);
        assertArrayEquals(expectedOrder(sampled), sortAndCollect(sampled, spread, 4096, 1001));
        assertScratchGone();
    }

    /** The sample keeps every k-th record, k doubling as it fills, so it spans the input in bounded memory. */
    @Test
    void theSampleKeepsAnEvenStrideThroughItsWholeInput() {
        ByteBuffer one = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        RecordSample sample = new RecordSample(8, 2);
        int n = 6 * RecordSample.MAX_RECORDS + 12_345;
        for (int i = 0; i < n; i++) {
            sample.offer(one.putLong(0, i), 0);
        }
        try {
            assertEquals(n, sample.offered());
            assertTrue(sample.count() <= RecordSample.MAX_RECORDS && sample.count() > RecordSample.MAX_RECORDS / 4, "" + sample.count());
            long stride = sample.index(1);
            assertEquals(8, stride);
            for (int j = 0; j < sample.count(); j++) {
                assertEquals(j * stride, sample.index(j));
                assertEquals(sample.index(j), sample.records().getLong(j * 8), "record " + j);
            }
            assertTrue(sample.index(sample.count() - 1) + stride >= n, "the sample reaches the end of the input");
        } finally {
            sample.release();
        }
    }

    @Test
    void edgeCountsSortToo() throws IOException {
        assertArrayEquals(new long[0], sortAndCollect(new long[0], 4096, 777));
        assertArrayEquals(new long[] {0}, sortAndCollect(new long[] {5}, 4096, 777));
        long[] same = new long[1000];
        assertArrayEquals(expectedOrder(same), sortAndCollect(same, 4096, 333));
    }

    /**
     * A converter fails on a later bucket while others are in flight: with its own exception, or with the I/O failure
     * of writing its bucket into the index (converters write there), and the sort fails with it, leaving no scratch.
     */
    @Test
    void aFailingConverterFailsTheSortAndLeavesNoScratch() throws IOException {
        for (Exception failure : List.of(new IllegalStateException("converter broke"), new IOException("no space left on device"))) {
            try (ScratchFile records = new ScratchFile(dir, "records", 1000)) {
                ByteBuffer b = ByteBuffer.allocate(100 * RECORD).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 100; i++) {
                    b.putLong(i).putLong(i).putInt(i);
                }
                records.write(b.flip(), 0);
                DistributionSort sort = new DistributionSort(dir, RECORD, CURVE_BITS + INDEX_BITS, INDEX_BITS, 1000, 1000, 100);
                RecordSample sample = sampleOf(b, 100, sampleStride(sort));
                Exception e = assertThrows(failure.getClass(), () -> sort.sort(records, 100,
                        () -> (buf, at, index) -> buf.getLong(at) << INDEX_BITS | index, new DistributionSort.Emitter<Object>() {
                            @Override
                            public Object newState() {
                                return null;
                            }

                            @Override
                            public void convert(Object state, DistributionSort.SortedBucket bucket) throws IOException {
                                if (bucket.first() > 0 && failure instanceof IOException io) {
                                    throw io;
                                } else if (bucket.first() > 0) {
                                    throw (IllegalStateException) failure;
                                }
                            }

                            @Override
                            public void consume(Object state) {
                            }
                        }, sample));
                assertEquals(failure.getMessage(), e.getMessage());
            }
            assertScratchGone();
        }
    }

    /** The sort's buckets change how the work is cut, never the index: tiny buckets write the same bytes. */
    @Test
    void indexBytesDoNotDependOnBucketSize() throws IOException {
        Random rnd = new Random(3);
        Path small = dir.resolve("small.idx"), large = dir.resolve("large.idx");
        float[][] seg = new float[40_000][7];
        for (float[] s : seg) {
            for (int a = 0; a < 6; a++) {
                s[a] = (float) (rnd.nextGaussian() * (a % 3 == 0 ? 5 : 300));
            }
            s[6] = rnd.nextFloat();
        }
        for (Path file : List.of(small, large)) {
            try (SegmentIndexWriter w = SegmentIndexWriter.create(dir, 64 << 20, 0, file == small ? 3000 : 64 << 20)) {
                for (int i = 0; i < seg.length; i++) {
                    float[] s = seg[i];
                    w.addSegment(i / 100, i % 100, i % 7, 3, s[0], s[1], s[2], s[3], s[4], s[5], s[6]);
                }
                w.writeTo(file);
            }
        }
        assertTrue(Arrays.equals(Files.readAllBytes(small), Files.readAllBytes(large)));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("large.idx", "small.idx"), left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private void assertScratchGone() throws IOException {
        try (Stream<Path> left = Files.list(dir)) {
            List<String> names = left.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.isEmpty(), "scratch left behind: " + names);
        }
    }
}
