package org.nifimemmap.sonata.circuit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.nifimemmap.index.Field;
import org.nifimemmap.index.SpatialIndex;

/** Every record of a segment index, read back through {@link SpatialIndex}, keyed by gid / section / segment / kind. */
final class IndexRecords {
    /** Geometry of one record: x1, y1, z1, x2, y2, z2, radius, section_type. */
    static Map<String, float[]> read(Path indexFile) {
        Map<String, float[]> out = new HashMap<>();
        try (SpatialIndex index = SpatialIndex.open(indexFile, true)) {
            Field gid = index.field("gid"), section = index.field("section_id"), segment = index.field("segment_id");
            Field kind = index.field("kind"), type = index.field("section_type");
            Field[] geometry = {index.field("x1"), index.field("y1"), index.field("z1"), index.field("x2"),
                index.field("y2"), index.field("z2"), index.field("radius")};
            for (long r = 0; r < index.count(); r++) {
                float[] g = new float[8];
                for (int i = 0; i < 7; i++) {
                    g[i] = (float) index.getDouble(r, geometry[i]);
                }
                g[7] = index.getLong(r, type);
                String key = key(index.getLong(r, gid), index.getLong(r, section), index.getLong(r, segment), index.getLong(r, kind));
                if (out.put(key, g) != null) {
                    throw new AssertionError("duplicate element " + key);
                }
            }
        }
        return out;
    }

    static String key(long gid, long section, long segment, long kind) {
        return gid + "/" + section + "/" + segment + "/" + kind;
    }

    private IndexRecords() {
    }
}
