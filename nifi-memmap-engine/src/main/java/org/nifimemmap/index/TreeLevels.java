package org.nifimemmap.index;

import java.nio.ByteBuffer;

/**
 * The packed tree's nodes, stored as the leaves arrive in order: each leaf box goes into its parent as it is
 * stored, and a parent is stored once it has all its children, so the levels above the leaves are done when the
 * last leaf is, instead of in a pass over the leaf level after the sort (run once per build, that pass ran mostly in
 * the interpreter while the sort workers sat idle). A node is the union of its children's stored boxes, which are
 * float32 rounded outward, so it contains every element's exact box.
 */
final class TreeLevels {
    private final ScratchArray tree;
    private final int nodeSize;
    private final long[] levels;
    /** Index of each level's first node in the tree (leaves first). */
    private final long[] first;
    /** Nodes stored so far, per level. */
    private final long[] stored;
    /** The box of the node being gathered on each level above the leaves, and how many children it has. */
    private final double[][] open;
    private final int[] children;
    private final double[] rounded = new double[6];

    TreeLevels(ScratchArray tree, long[] levels, int nodeSize) {
        this.tree = tree;
        this.nodeSize = nodeSize;
        this.levels = levels.clone();
        this.first = new long[levels.length];
        for (int level = 1; level < levels.length; level++) {
            first[level] = first[level - 1] + levels[level - 1];
        }
        this.stored = new long[levels.length];
        this.open = new double[levels.length][6];
        this.children = new int[levels.length];
    }

    /** Stores leaf {@code node}, whose box is {@code box}; leaves come in order. */
    void leaf(long node, double[] box) {
        if (node != stored[0]) {
            throw new IllegalStateException("Leaf " + node + " stored after " + stored[0] + " leaves");
        }
        store(0, box);
    }

    /** Stores the nodes still gathering children, from the level above the leaves up: the last of every level. */
    void finish() {
        for (int level = 1; level < levels.length; level++) {
            if (children[level] > 0) {
                store(level, open[level]);
            }
        }
        for (int level = 0; level < levels.length; level++) {
            if (stored[level] != levels[level]) {
                throw new IllegalStateException("Tree level " + level + " has " + stored[level] + " of " + levels[level] + " nodes");
            }
        }
    }

    /** Writes a node box as float32 rounded outward, and keeps the rounded box in {@link #rounded}. */
    private void put(long node, double[] box) {
        ByteBuffer w = tree.window(node);
        int at = tree.offset(node);
        for (int a = 0; a < 3; a++) {
            float lo = FloatRounding.down(box[a]);
            float hi = FloatRounding.up(box[a + 3]);
            w.putFloat(at + 4 * a, lo);
            w.putFloat(at + 12 + 4 * a, hi);
            rounded[a] = lo;
            rounded[a + 3] = hi;
        }
    }

    private void store(int level, double[] box) {
        long node = first[level] + stored[level]++;
        put(node, box);
        children[level] = 0;
        int up = level + 1;
        if (up == levels.length) {
            return;
        }
        double[] parent = open[up];
        if (children[up] == 0) {
            System.arraycopy(rounded, 0, parent, 0, 6);
        } else {
            PackedIndexWriter.union(parent, rounded);
        }
        if (++children[up] == nodeSize) {
            store(up, parent);
        }
    }
}
