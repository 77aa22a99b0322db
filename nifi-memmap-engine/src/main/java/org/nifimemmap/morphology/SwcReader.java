package org.nifimemmap.morphology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Reads SWC the way MorphIO 3.4 ({@code readers/morphologySWC.cpp}) does: sample chains become sections
 * that end at bifurcations; a child section starts with a copy of its parent's last point and diameter
 * unless its first sample is already at that point; sections hanging from the soma start at their first
 * sample. Columns beyond the seventh are ignored (MorphIO allows them); fewer than seven are an error.
 */
public final class SwcReader {
    private static final long ROOT = -1;
    private static final int SOMA = 1;

    private record Sample(long id, int type, float x, float y, float z, float diameter, long parent, int line) {
        boolean samePoint(float[] p) {
            return x == p[0] && y == p[1] && z == p[2];
        }
    }

    private final boolean allowUnifurcatedTypeChange;

    /** MorphIO's default: a type change without a bifurcation is an error. */
    public SwcReader() {
        this(false);
    }

    /**
     * @param allowUnifurcatedTypeChange like MorphIO's {@code ALLOW_UNIFURCATED_SECTION_CHANGE}: start a
     *                                   new section where the type changes along an unbranched chain
     */
    public SwcReader(boolean allowUnifurcatedTypeChange) {
        this.allowUnifurcatedTypeChange = allowUnifurcatedTypeChange;
    }

    public Morphology read(Path file) {
        return parse(file.toString(), MorphologyFiles.readText(file));
    }

    public Morphology parse(String source, String text) {
        return new Builder(source, readSamples(source, text)).build();
    }

    private static List<Sample> readSamples(String source, String text) {
        List<Sample> samples = new ArrayList<>();
        int[] starts = new int[7];
        int[] ends = new int[7];
        int line = 0;
        int pos = 0;
        int length = text.length();
        while (pos < length) {
            line++;
            int end = text.indexOf('\n', pos);
            if (end < 0) {
                end = length;
            }
            // Fields end at a '#', which starts a comment; columns after the seventh are ignored.
            int fields = 0;
            int i = pos;
            while (fields < 7) {
                while (i < end && isBlank(text.charAt(i))) {
                    i++;
                }
                if (i == end || text.charAt(i) == '#') {
                    break;
                }
                starts[fields] = i;
                while (i < end && !isBlank(text.charAt(i)) && text.charAt(i) != '#') {
                    i++;
                }
                ends[fields++] = i;
            }
            int lineStart = pos;
            pos = end + 1;
            if (fields == 0) {
                continue;
            }
            if (fields < 7) {
                throw error(source, line, "Unable to parse this line: expected 7 columns "
                        + "(id type x y z radius parent), found " + fields + ": '"
                        + text.substring(lineStart, end).strip() + "'");
            }
            long id = integer(source, line, text, starts[0], ends[0], "id");
            if (id < 0) {
                throw error(source, line, "The ID assigned to this line is negative: " + id);
            }
            long type = integer(source, line, text, starts[1], ends[1], "type");
            float x = decimal(source, line, text, starts[2], ends[2], "x");
            float y = decimal(source, line, text, starts[3], ends[3], "y");
            float z = decimal(source, line, text, starts[4], ends[4], "z");
            float diameter = 2 * decimal(source, line, text, starts[5], ends[5], "radius");
            long parent = integer(source, line, text, starts[6], ends[6], "parent id");
            if (parent < -1) {
                throw error(source, line, "The parent ID assigned to this line is negative: " + parent);
            }
            if (type <= 0 || type >= 20) {
                throw error(source, line, "Unsupported section type: " + type);
            }
            samples.add(new Sample(id, (int) type, x, y, z, diameter, parent, line));
        }
        return samples;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static long integer(String source, int line, String text, int from, int to, String what) {
        int digits = from < to && (text.charAt(from) == '-' || text.charAt(from) == '+') ? from + 1 : from;
        boolean ok = digits < to && to - digits <= 10;
        for (int i = digits; ok && i < to; i++) {
            ok = Character.isDigit(text.charAt(i)) && text.charAt(i) < 128;
        }
        long v = ok ? Long.parseLong(text, from, to, 10) : Long.MAX_VALUE;
        if (!ok || v > 0xFFFF_FFFFL) {
            throw error(source, line, "Unable to parse this line: " + what + " '" + text.substring(from, to)
                    + "' is not an integer below 2^32");
        }
        return v;
    }

    /** Decimal numbers only ({@code [+-]digits[.digits][e[+-]digits]}); no NaN, Infinity or hex. */
    private static float decimal(String source, int line, String text, int from, int to, String what) {
        int i = from < to && (text.charAt(from) == '-' || text.charAt(from) == '+') ? from + 1 : from;
        int mantissa = 0;
        while (i < to && isAsciiDigit(text.charAt(i))) {
            i++;
            mantissa++;
        }
        if (i < to && text.charAt(i) == '.') {
            i++;
            while (i < to && isAsciiDigit(text.charAt(i))) {
                i++;
                mantissa++;
            }
        }
        boolean ok = mantissa > 0;
        if (ok && i < to && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < to && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
                i++;
            }
            int exponent = 0;
            while (i < to && isAsciiDigit(text.charAt(i))) {
                i++;
                exponent++;
            }
            ok = exponent > 0;
        }
        if (!ok || i != to) {
            throw error(source, line, "Unable to parse this line: " + what + " '" + text.substring(from, to)
                    + "' is not a number");
        }
        return Float.parseFloat(text.substring(from, to));
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static MemmapException error(String source, int line, String message) {
        return new MemmapException(ErrorKind.INVALID_INPUT, source + ":" + line + ": " + message);
    }

    private final class Builder {
        private final String source;
        private final List<Sample> samples;
        private final Map<Long, Sample> byId = new HashMap<>();
        private final Map<Long, List<Long>> children = new HashMap<>();
        private final SectionTree tree = new SectionTree();

        Builder(String source, List<Sample> samples) {
            this.source = source;
            this.samples = samples;
        }

        private List<Long> childrenOf(long id) {
            return children.getOrDefault(id, List.of());
        }

        Morphology build() {
            List<Sample> somaSamples = new ArrayList<>();
            List<Sample> rootSamples = new ArrayList<>();
            for (Sample s : samples) {
                if (s.parent() == s.id()) {
                    throw error(source, s.line(), "Parent ID can not be itself: " + s.id());
                }
                if (s.type() == SOMA) {
                    somaSamples.add(s);
                }
                if (s.parent() == ROOT || s.type() == SOMA) {
                    rootSamples.add(s);
                }
                Sample before = byId.putIfAbsent(s.id(), s);
                if (before != null) {
                    throw error(source, s.line(), "Repeated ID: " + s.id() + " (already on line "
                            + before.line() + ")");
                }
                children.computeIfAbsent(s.parent(), k -> new ArrayList<>()).add(s.id());
            }
            for (Sample s : samples) {
                if (s.parent() != ROOT && !byId.containsKey(s.parent())) {
                    throw error(source, s.line(), "Sample id: " + s.id()
                            + " refers to non-existant parent ID: " + s.parent());
                }
            }
            Soma soma = soma(somaSamples);
            for (Sample root : rootSamples) {
                if (root.type() == SOMA) {
                    for (long child : childrenOf(root.id())) {
                        if (byId.get(child).type() != SOMA) {
                            assemble(child, -1, null, 0);
                        }
                    }
                } else if (!childrenOf(root.id()).isEmpty()) {
                    // A disconnected neurite; MorphIO drops a lone sample without children.
                    assemble(root.id(), -1, null, 0);
                }
            }
            return tree.build(source, soma);
        }

        private Soma soma(List<Sample> somaSamples) {
            int n = somaSamples.size();
            float[] points = new float[3 * n];
            float[] diameters = new float[n];
            for (int i = 0; i < n; i++) {
                Sample s = somaSamples.get(i);
                points[3 * i] = s.x();
                points[3 * i + 1] = s.y();
                points[3 * i + 2] = s.z();
                diameters[i] = s.diameter();
            }
            if (n == 0) {
                return new Soma(SomaType.UNDEFINED, points, diameters);
            }
            if (n == 1) {
                Sample s = somaSamples.get(0);
                if (s.parent() != ROOT && byId.get(s.parent()).type() != SOMA) {
                    throw error(source, s.line(), "Found a soma point with a neurite as parent");
                }
                return new Soma(SomaType.SINGLE_POINT, points, diameters);
            }
            if (n == 3 && isNeuroMorphoThreePoint(somaSamples)) {
                return new Soma(SomaType.NEUROMORPHO_THREE_POINT_CYLINDERS, points, diameters);
            }
            int roots = 0;
            for (Sample s : somaSamples) {
                if (s.parent() == ROOT) {
                    roots++;
                } else if (byId.get(s.parent()).type() != SOMA) {
                    throw error(source, s.line(), "Found a soma point with a neurite as parent");
                }
                if (s.parent() != ROOT) {
                    int somaChildren = 0;
                    for (long c : childrenOf(s.id())) {
                        if (byId.get(c).type() == SOMA) {
                            somaChildren++;
                        }
                    }
                    if (somaChildren > 1) {
                        throw error(source, s.line(), "Found soma bifurcation");
                    }
                }
            }
            if (roots > 1) {
                StringBuilder lines = new StringBuilder();
                for (Sample s : somaSamples) {
                    lines.append(lines.isEmpty() ? "" : ", ").append(s.line());
                }
                throw error(source, somaSamples.get(0).line(), "Multiple somata found: " + roots
                        + " soma samples have parent -1 (soma samples on lines " + lines + ")");
            }
            return new Soma(SomaType.CYLINDERS, points, diameters);
        }

        private static boolean isNeuroMorphoThreePoint(List<Sample> s) {
            return s.get(0).id() == 1 && s.get(0).parent() == ROOT
                    && s.get(1).id() == 2 && s.get(1).parent() == 1
                    && s.get(2).id() == 3 && s.get(2).parent() == 1;
        }

        /**
         * MorphIO's {@code assembleSections}, with an explicit stack: one work item per section start.
         * Items of one parent are pushed in reverse so they are appended in file order.
         */
        private void assemble(long firstId, int parentSection, float[] startPoint, float startDiameter) {
            record Start(long id, int parent, float[] point, float diameter) {
            }
            Deque<Start> stack = new ArrayDeque<>();
            stack.push(new Start(firstId, parentSection, startPoint, startDiameter));
            while (!stack.isEmpty()) {
                Start start = stack.pop();
                FloatList points = new FloatList();
                FloatList diameters = new FloatList();
                long id = start.id();
                Sample sample = byId.get(id);
                if (start.point() != null && !sample.samePoint(start.point())) {
                    points.add(start.point()[0], start.point()[1], start.point()[2]);
                    diameters.add(start.diameter());
                }
                List<Long> next = childrenOf(id);
                while (next.size() == 1) {
                    sample = byId.get(id);
                    if (sample.type() != byId.get(next.get(0)).type()) {
                        if (allowUnifurcatedTypeChange) {
                            break;
                        }
                        throw error(source, sample.line(), "Section type changed without a bifurcation"
                                + " (MorphIO rejects this unless ALLOW_UNIFURCATED_SECTION_CHANGE)");
                    }
                    points.add(sample.x(), sample.y(), sample.z());
                    diameters.add(sample.diameter());
                    id = next.get(0);
                    next = childrenOf(id);
                }
                sample = byId.get(id);
                points.add(sample.x(), sample.y(), sample.z());
                diameters.add(sample.diameter());
                int section = tree.append(start.parent(), sample.type(), points.toArray(), diameters.toArray());
                float[] last = {sample.x(), sample.y(), sample.z()};
                for (int c = next.size() - 1; c >= 0; c--) {
                    stack.push(new Start(next.get(c), section, last, sample.diameter()));
                }
            }
        }
    }
}
