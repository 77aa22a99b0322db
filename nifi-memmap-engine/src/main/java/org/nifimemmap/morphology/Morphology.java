package org.nifimemmap.morphology;

import java.util.List;

/**
 * A neuron morphology read the way MorphIO reads it: a soma and sections in MorphIO's order, so that
 * section index + 1 is the {@code section_id} upstream spatial indexes use.
 *
 * @param source   where it was read from (file, or file and container entry), for messages
 * @param soma     the soma (possibly with no points)
 * @param sections sections by id
 */
public record Morphology(String source, Soma soma, List<Section> sections) {
    public Morphology {
        sections = List.copyOf(sections);
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            if (s.id() != i || s.parentId() < -1 || s.parentId() >= sections.size() || s.parentId() == i) {
                throw new IllegalArgumentException(source + ": section " + i + " has a wrong id or parent (id "
                        + s.id() + ", parent " + s.parentId() + ")");
            }
        }
    }

    public int pointCount() {
        int n = 0;
        for (Section s : sections) {
            n += s.pointCount();
        }
        return n;
    }

    public long segmentCount() {
        long n = 0;
        for (Section s : sections) {
            n += s.segmentCount();
        }
        return n;
    }

    public List<Section> rootSections() {
        return sections.stream().filter(s -> s.parentId() < 0).toList();
    }

    public List<Section> children(int sectionId) {
        return sections.stream().filter(s -> s.parentId() == sectionId).toList();
    }
}
