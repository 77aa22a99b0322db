package org.nifimemmap.morphology;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Reads HDF5 morphologies version 1.0 to 1.3 the way MorphIO 3.4 ({@code readers/morphologyHDF5.cpp})
 * does: {@code /points} (x, y, z, diameter), {@code /structure} (first point, type, parent); a leading
 * soma row makes the soma, sections keep file order and their stored points (no duplicates added).
 * Containers hold one morphology per group: pass the group's name.
 */
public final class H5MorphologyReader {
    private static final int SOMA = 1;

    public Morphology read(Path file) {
        return read(file, null);
    }

    /** @param name group of a morphology container, or null for a file holding one morphology at its root */
    public Morphology read(Path file, String name) {
        long fileLength = MorphologyFiles.requireNonEmpty(file);
        String source = name == null ? file.toString() : file + ":/" + name;
        try (HdfFile hdf = new HdfFile(file)) {
            HdfLimits.requireComplete(source, hdf, fileLength);
            Group group = hdf;
            if (name != null) {
                Node node = hdf.getChild(name);
                if (!(node instanceof Group g)) {
                    throw new MemmapException(ErrorKind.INVALID_INPUT, file + ": morphology container has no "
                            + "morphology named '" + name + "'");
                }
                group = g;
            }
            return read(source, group, fileLength);
        } catch (RuntimeException | OutOfMemoryError | InternalError e) {
            throw HdfFailures.malformed(source, e);
        }
    }

    private static Morphology read(String source, Group group, long fileLength) {
        Node points = group.getChild("points");
        Node structure = group.getChild("structure");
        if (!(points instanceof Dataset p) || !(structure instanceof Dataset s)) {
            if (group.getChild("neuron1") != null) {
                throw invalid(source, "h5v2 is no longer supported, see: https://github.com/BlueBrain/MorphIO#H5v2");
            }
            throw invalid(source, "Missing points or structure datasets, cannot load morphology without them");
        }
        checkVersion(source, group);

        int[] sDims = s.getDimensions();
        if (sDims.length != 2 || sDims[1] != 3) {
            throw invalid(source, "bad number of dimensions in 'structure' dataspace");
        }
        if (sDims[0] == 0) {
            throw invalid(source, "'structure' is empty");
        }
        HdfLimits.requireStorable(source, s, fileLength);
        long[] rows = numbers(source, "structure", () -> HdfNumbers.toLongs(s.getDataFlat()));
        int[] pDims = p.getDimensions();
        if (pDims.length != 2) {
            throw invalid(source, "incorrect number of dimensions in 'points'");
        }
        if (pDims[1] != 4) {
            throw invalid(source, "incorrect number of columns for points");
        }
        HdfLimits.requireStorable(source, p, fileLength);
        float[] data = numbers(source, "points", () -> HdfNumbers.toFloats(p.getDataFlat()));
        int pointCount = pDims[0];
        int sectionRows = sDims[0];
        requireValues(source, "structure", rows.length, 3L * sectionRows);
        requireValues(source, "points", data.length, 4L * pointCount);

        boolean hasSoma = rows[1] == SOMA;
        int first = hasSoma ? 1 : 0;
        int somaEnd = hasSoma ? (sectionRows == 1 ? pointCount : (int) rows[3 * first]) : 0;
        if (somaEnd < 0 || somaEnd > pointCount) {
            throw invalid(source, "structure row 1 starts at point " + somaEnd + " of " + pointCount);
        }
        List<Section> sections = new ArrayList<>(sectionRows - first);
        for (int i = first; i < sectionRows; i++) {
            long offset = rows[3 * i];
            long type = rows[3 * i + 1];
            long parent = rows[3 * i + 2] - (hasSoma ? 1 : 0);
            if (type >= 20 || type <= 0) {
                throw invalid(source, "structure row " + i + ": Unsupported section type: " + type);
            }
            if (type == SOMA) {
                throw invalid(source, "structure row " + i + (hasSoma ? ": it has multiple soma sections"
                        : ": it has soma section that doesn't come first"));
            }
            long end = i + 1 < sectionRows ? rows[3 * (i + 1)] : pointCount;
            if (offset < somaEnd || end < offset || end > pointCount) {
                throw invalid(source, "structure row " + i + ": points " + offset + ".." + end
                        + " are outside the neurite points " + somaEnd + ".." + pointCount);
            }
            int id = i - first;
            if (parent < -1 || parent >= sectionRows - first || parent == id) {
                throw invalid(source, "structure row " + i + ": parent " + rows[3 * i + 2] + " is not a section");
            }
            sections.add(new Section(id, (int) type, (int) parent, xyz(data, (int) offset, (int) end),
                    diameters(data, (int) offset, (int) end)));
        }
        float[] somaPoints = xyz(data, 0, somaEnd);
        float[] somaDiameters = diameters(data, 0, somaEnd);
        SomaType somaType = switch (somaDiameters.length) {
            case 0, 2 -> SomaType.UNDEFINED;
            case 1 -> throw invalid(source, "Morphology contour with only a single point is not valid");
            default -> SomaType.SIMPLE_CONTOUR;
        };
        return new Morphology(source, new Soma(somaType, somaPoints, somaDiameters), sections);
    }

    private static void checkVersion(String source, Group group) {
        Node metadata = group.getChild("metadata");
        if (metadata == null) {
            return;
        }
        Attribute version = metadata.getAttribute("version");
        if (version == null) {
            throw invalid(source, "Missing version attribute, cannot load morphology without them");
        }
        long[] v = numbers(source, "metadata/version", () -> HdfNumbers.toLongs(version.getData()));
        if (v.length != 2 || v[0] != 1 || v[1] < 1 || v[1] > 3) {
            throw invalid(source, "Unsupported h5 version: " + java.util.Arrays.toString(v)
                    + " (1.0 to 1.3 are supported)");
        }
        if (metadata.getAttribute("cell_family") == null) {
            throw invalid(source, "metadata has no cell_family attribute");
        }
    }

    /**
     * A conversion by {@link HdfNumbers}, whose refusals (a storage type that is not a number, or not an
     * integer where ids are expected; uint64 beyond 2^63) are a bad file.
     */
    private static <T> T numbers(String source, String what, Supplier<T> conversion) {
        try {
            return conversion.get();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid(source, what + " does not hold the numbers expected: " + e.getMessage());
        }
    }

    /** The values jhdf decoded must be as many as the declared shape holds (a corrupt datatype can disagree). */
    private static void requireValues(String source, String dataset, long values, long expected) {
        if (values != expected) {
            throw invalid(source, "'" + dataset + "' holds " + values + " values, its shape declares " + expected);
        }
    }

    private static float[] xyz(float[] data, int from, int to) {
        float[] r = new float[3 * (to - from)];
        for (int i = from; i < to; i++) {
            System.arraycopy(data, 4 * i, r, 3 * (i - from), 3);
        }
        return r;
    }

    private static float[] diameters(float[] data, int from, int to) {
        float[] r = new float[to - from];
        for (int i = from; i < to; i++) {
            r[i - from] = data[4 * i + 3];
        }
        return r;
    }

    private static MemmapException invalid(String source, String message) {
        return new MemmapException(ErrorKind.INVALID_INPUT, source + ": " + message);
    }
}
