package org.nifimemmap.index.partition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Splits space into P regions holding about the same number of points, each compact: recursive bisection (a k-d
 * split, as Sort-Tile-Recursion does in slabs) along the widest axis of the points inside, cut at the quantile that
 * gives the two sides P/2 and P - P/2 shares. Points are the cheap positions (node somas, synapse afferent centres),
 * or a regular sample of them when there are too many to hold: the cuts then balance the sample.
 */
public final class PartitionPlanner {
    /** Points kept for planning: 3 floats each, 12 MB at most, whatever the population's size. */
    public static final int MAX_SAMPLE = 1 << 20;
    /** Sampled points per partition: each partition's share of the sample then deviates from 1/P by well under 1%. */
    private static final int SAMPLE_PER_PARTITION = 1 << 13;

    /** How many points to sample for a plan of {@code partitions}: 64 Ki at least, {@link #MAX_SAMPLE} at most. */
    public static int sampleSize(int partitions) {
        return (int) Math.min(MAX_SAMPLE, Math.max(1 << 16, (long) partitions * SAMPLE_PER_PARTITION));
    }

    private PartitionPlanner() {
    }

    /** {@code xyz} holds x, y, z of {@code n} points, interleaved. */
    public static List<Region> plan(float[] xyz, int n, int partitions) {
        if (partitions < 1) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Partitions must be at least 1, got " + partitions);
        }
        List<Region> regions = new ArrayList<>(partitions);
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        split(xyz, order, 0, n, Region.ALL, partitions, regions);
        return regions;
    }

    private static void split(float[] xyz, int[] order, int from, int to, Region region, int partitions, List<Region> out) {
        if (partitions == 1) {
            out.add(region);
            return;
        }
        int axis = widestAxis(xyz, order, from, to);
        int lowerShare = partitions / 2;
        int count = to - from;
        int cutIndex = from + (int) ((long) count * lowerShare / partitions);
        double cut;
        if (count == 0) {
            // No points left to balance: halve the region's finite extent, or cut at 0 where it is unbounded.
            cut = midpoint(region, axis);
        } else {
            sortByAxis(xyz, order, from, to, axis);
            cut = xyz[3 * order[Math.min(cutIndex, to - 1)] + axis];
            // Points equal to the cut go up (half-open regions), so the lower side ends before the first of them.
            cutIndex = from;
            while (cutIndex < to && xyz[3 * order[cutIndex] + axis] < cut) {
                cutIndex++;
            }
        }
        split(xyz, order, from, cutIndex, region.lower(axis, cut), lowerShare, out);
        split(xyz, order, cutIndex, to, region.upper(axis, cut), partitions - lowerShare, out);
    }

    private static int widestAxis(float[] xyz, int[] order, int from, int to) {
        float[] min = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] max = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int i = from; i < to; i++) {
            for (int a = 0; a < 3; a++) {
                float v = xyz[3 * order[i] + a];
                min[a] = Math.min(min[a], v);
                max[a] = Math.max(max[a], v);
            }
        }
        int best = 0;
        for (int a = 1; a < 3; a++) {
            if (max[a] - min[a] > max[best] - min[best]) {
                best = a;
            }
        }
        return best;
    }

    private static void sortByAxis(float[] xyz, int[] order, int from, int to, int axis) {
        long[] keyed = new long[to - from];
        for (int i = from; i < to; i++) {
            // Float bits mapped to an order-preserving int, paired with the point's index, sort as one long.
            int bits = Float.floatToIntBits(xyz[3 * order[i] + axis]);
            int sortable = bits < 0 ? ~bits : bits | Integer.MIN_VALUE;
            keyed[i - from] = ((long) (sortable ^ Integer.MIN_VALUE) << 32) | (order[i] & 0xFFFFFFFFL);
        }
        Arrays.sort(keyed);
        for (int i = from; i < to; i++) {
            order[i] = (int) keyed[i - from];
        }
    }

    private static double midpoint(Region region, int axis) {
        double lo = region.min(axis);
        double hi = region.max(axis);
        if (Double.isInfinite(lo) && Double.isInfinite(hi)) {
            return 0;
        }
        if (Double.isInfinite(lo)) {
            return hi - 1;
        }
        if (Double.isInfinite(hi)) {
            return lo + 1;
        }
        return lo + (hi - lo) / 2;
    }
}
