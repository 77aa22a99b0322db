package org.nifimemmap.sonata.circuit;

import java.util.ArrayList;
import java.util.List;
import org.nifimemmap.sonata.nodes.NodeSelection;

/**
 * Nodes left out of an index because their morphology could not be read: their ids as ranges, how many, and the
 * first error of each distinct morphology that failed. Ranges and messages are capped, so a circuit whose
 * morphologies are all missing cannot fill the heap; {@code idsComplete} says whether every id is listed.
 */
public record SkippedNodes(NodeSelection ids, long count, boolean idsComplete, List<String> errors) {
    public static final SkippedNodes NONE = new SkippedNodes(NodeSelection.all(), 0, true, List.of());

    public SkippedNodes {
        errors = List.copyOf(errors);
    }

    /** Node ids as {@code 0-999, 2000}, the form {@link NodeSelection#parse} reads; empty when none. */
    public String idsText() {
        return format(ids);
    }

    static String format(NodeSelection selection) {
        StringBuilder s = new StringBuilder();
        for (NodeSelection.Range r : selection.ranges()) {
            if (!s.isEmpty()) {
                s.append(", ");
            }
            s.append(r.first());
            if (r.last() != r.first()) {
                s.append('-').append(r.last());
            }
        }
        return s.toString();
    }

    /** Collects skipped ids in the order met, merging runs of consecutive ids. */
    static final class Collector {
        static final int MAX_RANGES = 10_000;
        static final int MAX_ERRORS = 100;

        private final List<NodeSelection.Range> ranges = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private long count;
        private boolean complete = true;

        void add(long nodeId) {
            count++;
            int last = ranges.size() - 1;
            if (last >= 0 && ranges.get(last).last() == nodeId - 1) {
                ranges.set(last, new NodeSelection.Range(ranges.get(last).first(), nodeId));
            } else if (ranges.size() < MAX_RANGES) {
                ranges.add(new NodeSelection.Range(nodeId, nodeId));
            } else {
                complete = false;
            }
        }

        void error(String message) {
            if (errors.size() < MAX_ERRORS) {
                errors.add(message);
            }
        }

        /** The ranges sorted and merged: passes over a population meet skipped ids out of order. */
        SkippedNodes result() {
            if (count == 0) {
                return NONE;
            }
            List<NodeSelection.Range> sorted = new ArrayList<>(ranges);
            sorted.sort(java.util.Comparator.comparingLong(NodeSelection.Range::first));
            List<NodeSelection.Range> merged = new ArrayList<>();
            for (NodeSelection.Range r : sorted) {
                int last = merged.size() - 1;
                if (last >= 0 && merged.get(last).last() >= r.first() - 1) {
                    merged.set(last, new NodeSelection.Range(merged.get(last).first(), Math.max(merged.get(last).last(), r.last())));
                } else {
                    merged.add(r);
                }
            }
            return new SkippedNodes(new NodeSelection(merged), count, complete, errors);
        }
    }
}
