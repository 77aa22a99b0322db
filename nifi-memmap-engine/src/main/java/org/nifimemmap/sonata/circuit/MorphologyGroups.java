package org.nifimemmap.sonata.circuit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nifimemmap.sonata.nodes.NodePlacement;
import org.nifimemmap.sonata.nodes.NodePopulationReader;
import org.nifimemmap.sonata.nodes.NodeSelection;

/**
 * Which nodes to place in which pass over a population, so that every morphology is parsed once although only
 * {@code groupSize} parsed morphologies are kept: the morphology names are split into groups of that size and each
 * pass places the nodes of one group. Reading node placements again costs far less than parsing a morphology again,
 * so this pays when morphologies are shared (at least two nodes each on average) and there are more of them than
 * the cache holds; otherwise, or past {@link #MAX_NAMES} names (the map of names must stay small), one pass places
 * every node.
 */
final class MorphologyGroups {
    /** The most morphology names tracked; a population with more is placed in one pass. */
    static final int MAX_NAMES = 100_000;

    private final Map<String, Integer> groupOf;
    private final int passes;

    private MorphologyGroups(Map<String, Integer> groupOf, int passes) {
        this.groupOf = groupOf;
        this.passes = passes;
    }

    /** Reads the selected nodes' morphology names once and plans the passes. */
    static MorphologyGroups plan(NodePopulationReader nodes, List<NodeSelection.Range> ranges, int batch, int groupSize) {
        Map<String, Integer> groupOf = new HashMap<>();
        long count = 0;
        for (NodeSelection.Range range : ranges) {
            for (long first = range.first(); first <= range.last(); first += batch) {
                for (NodePlacement node : nodes.read(first, (int) Math.min(batch, range.last() - first + 1))) {
                    count++;
                    String name = node.morphology();
                    if (name != null && !groupOf.containsKey(name)) {
                        if (groupOf.size() == MAX_NAMES) {
                            return new MorphologyGroups(null, 1);
                        }
                        groupOf.put(name, groupOf.size() / groupSize);
                    }
                }
            }
        }
        int names = groupOf.size();
        if (names <= groupSize || count < 2L * names) {
            return new MorphologyGroups(null, 1);
        }
        return new MorphologyGroups(groupOf, (names + groupSize - 1) / groupSize);
    }

    int passes() {
        return passes;
    }

    /** Whether pass {@code pass} places this node; nodes without a morphology name go in the first pass. */
    boolean places(NodePlacement node, int pass) {
        if (groupOf == null) {
            return true;
        }
        Integer group = node.morphology() == null ? null : groupOf.get(node.morphology());
        return (group == null ? 0 : group) == pass;
    }
}
