package org.nifimemmap.sonata.nodes;

import java.util.ArrayList;
import java.util.List;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * A subset of node ids as inclusive ranges, written like {@code 0-999, 2000-2999, 4005}.
 * Ranges are kept in the order given; an empty text means every node.
 */
public record NodeSelection(List<Range> ranges) {
    /** Inclusive range of node ids. */
    public record Range(long first, long last) {
        public long count() {
            return last - first + 1;
        }
    }

    public NodeSelection {
        ranges = List.copyOf(ranges);
    }

    public static NodeSelection all() {
        return new NodeSelection(List.of());
    }

    public boolean isAll() {
        return ranges.isEmpty();
    }

    public static NodeSelection parse(String text) {
        List<Range> ranges = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return all();
        }
        for (String part : text.split(",")) {
            String p = part.strip();
            int dash = p.indexOf('-', 1);
            try {
                long first = Long.parseLong((dash < 0 ? p : p.substring(0, dash)).strip());
                long last = dash < 0 ? first : Long.parseLong(p.substring(dash + 1).strip());
                if (first < 0 || last < first) {
                    throw new MemmapException(ErrorKind.INVALID_CONFIG, "node id range '" + p
                            + "' must be 'first-last' with 0 <= first <= last");
                }
                ranges.add(new Range(first, last));
            } catch (NumberFormatException e) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "node id range '" + p
                        + "' is not a number or 'first-last' (e.g. 0-999, 2000-2999)", e);
            }
        }
        return new NodeSelection(ranges);
    }

    /** The ranges to read from a population of {@code size} nodes; ids beyond it are an error. */
    public List<Range> resolve(long size, String population) {
        if (isAll()) {
            return size == 0 ? List.of() : List.of(new Range(0, size - 1));
        }
        for (Range r : ranges) {
            if (r.last() >= size) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "node ids " + r.first() + "-" + r.last()
                        + " exceed population " + population + " of " + size + " nodes");
            }
        }
        return ranges;
    }
}
