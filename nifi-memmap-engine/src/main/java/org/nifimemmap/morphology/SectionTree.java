package org.nifimemmap.morphology;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Sections collected in creation order with their children, then numbered the way MorphIO's
 * {@code mut::Morphology::buildReadOnly} numbers them: depth first, children in the order they were
 * appended, root sections (neurites) in the order they were appended.
 */
final class SectionTree {
    private record Node(int type, float[] points, float[] diameters, List<Integer> children) {
    }

    private final List<Node> nodes = new ArrayList<>();
    private final List<Integer> roots = new ArrayList<>();

    /** Appends a section under {@code parent} (a creation index) or as a new neurite when it is -1. */
    int append(int parent, int type, float[] points, float[] diameters) {
        int index = nodes.size();
        nodes.add(new Node(type, points, diameters, new ArrayList<>()));
        if (parent < 0) {
            roots.add(index);
        } else {
            nodes.get(parent).children().add(index);
        }
        return index;
    }

    int size() {
        return nodes.size();
    }

    float[] points(int index) {
        return nodes.get(index).points();
    }

    Morphology build(String source, Soma soma) {
        List<Section> sections = new ArrayList<>(nodes.size());
        // Explicit stack: neurites can be thousands of branch levels deep.
        Deque<int[]> stack = new ArrayDeque<>();
        for (int r = roots.size() - 1; r >= 0; r--) {
            stack.push(new int[] {roots.get(r), -1});
        }
        while (!stack.isEmpty()) {
            int[] item = stack.pop();
            Node node = nodes.get(item[0]);
            int id = sections.size();
            sections.add(new Section(id, node.type(), item[1], node.points(), node.diameters()));
            List<Integer> children = node.children();
            for (int c = children.size() - 1; c >= 0; c--) {
                stack.push(new int[] {children.get(c), id});
            }
        }
        return new Morphology(source, soma, sections);
    }
}
