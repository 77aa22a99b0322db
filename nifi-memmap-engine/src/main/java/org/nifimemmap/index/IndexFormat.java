package org.nifimemmap.index;

import java.nio.charset.StandardCharsets;

/** Constants of the index file format (docs/index-format.md describes every byte). */
final class IndexFormat {
    static final byte[] MAGIC = "NMMSIDX\0".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** Bytes before the field table. */
    static final int FIXED_HEADER = 256;
    static final int FIELD_ENTRY = 32;
    static final int FIELD_NAME_BYTES = 24;
    static final int MAX_FIELDS = 64;
    static final int MAX_LEVELS = 16;
    /** A tree node is a float32 box: min x, y, z, max x, y, z. */
    static final int NODE_BYTES = 24;
    static final int DEFAULT_NODE_SIZE = 16;

    static final int OFF_VERSION = 8;
    static final int OFF_HEADER_SIZE = 12;
    static final int OFF_ELEMENT_TYPE = 16;
    static final int OFF_RECORD_SIZE = 20;
    static final int OFF_NODE_SIZE = 24;
    static final int OFF_FIELD_COUNT = 28;
    static final int OFF_ELEMENT_COUNT = 32;
    static final int OFF_NODE_COUNT = 40;
    static final int OFF_LEVEL_COUNT = 48;
    static final int OFF_DATA_CRC = 52;
    static final int OFF_BOUNDS = 56;
    static final int OFF_RECORDS = 104;
    static final int OFF_TREE = 112;
    static final int OFF_FILE_LENGTH = 120;
    static final int OFF_LEVELS = 128;

    private IndexFormat() {
    }

    static long align8(long v) {
        return (v + 7) & ~7L;
    }

    static int headerSize(int fieldCount) {
        return (int) align8(FIXED_HEADER + (long) FIELD_ENTRY * fieldCount + 4);
    }

    /** Node counts per level, bottom (over the records) to top (the root), for n elements and fan-out f. */
    static long[] levelCounts(long n, int f) {
        if (n == 0) {
            return new long[0];
        }
        long[] tmp = new long[MAX_LEVELS + 1];
        int levels = 0;
        long below = n;
        do {
            below = (below + f - 1) / f;
            tmp[levels++] = below;
        } while (below > 1);
        return java.util.Arrays.copyOf(tmp, levels);
    }
}
