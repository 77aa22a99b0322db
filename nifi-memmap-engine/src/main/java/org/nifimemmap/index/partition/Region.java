package org.nifimemmap.index.partition;

import java.util.Locale;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * One partition's share of space: the half-open box [min, max) on each axis. Planned regions tile all of space (the
 * outer faces are infinite), so every point, exactly as stored (float), falls in exactly one region of a plan.
 */
public record Region(double minX, double minY, double minZ, double maxX, double maxY, double maxZ) {
    public static final Region ALL = new Region(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

    public Region {
        if (java.util.stream.DoubleStream.of(minX, minY, minZ, maxX, maxY, maxZ).anyMatch(Double::isNaN) || minX > maxX || minY > maxY || minZ > maxZ) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Partition region " + format(minX, minY, minZ, maxX, maxY, maxZ)
                    + " is not a box (each min must be at most its max, no NaN)");
        }
    }

    public boolean contains(double x, double y, double z) {
        return x >= minX && x < maxX && y >= minY && y < maxY && z >= minZ && z < maxZ;
    }

    double min(int axis) {
        return axis == 0 ? minX : axis == 1 ? minY : minZ;
    }

    double max(int axis) {
        return axis == 0 ? maxX : axis == 1 ? maxY : maxZ;
    }

    /** This region cut at {@code value} on {@code axis}: the lower part keeps [min, value), the upper [value, max). */
    Region lower(int axis, double value) {
        return new Region(minX, minY, minZ, axis == 0 ? value : maxX, axis == 1 ? value : maxY, axis == 2 ? value : maxZ);
    }

    Region upper(int axis, double value) {
        return new Region(axis == 0 ? value : minX, axis == 1 ? value : minY, axis == 2 ? value : minZ, maxX, maxY, maxZ);
    }

    /** "minX,minY,minZ,maxX,maxY,maxZ" with -inf / inf for open faces: the form an attribute carries. */
    @Override
    public String toString() {
        return format(minX, minY, minZ, maxX, maxY, maxZ);
    }

    public static Region parse(String text) {
        String[] parts = text.trim().split("\\s*,\\s*");
        if (parts.length != 6) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Partition region '" + text
                    + "' must be six numbers minX,minY,minZ,maxX,maxY,maxZ (-inf and inf allowed)");
        }
        double[] v = new double[6];
        for (int i = 0; i < 6; i++) {
            v[i] = switch (parts[i].toLowerCase(Locale.ROOT)) {
                case "-inf" -> Double.NEGATIVE_INFINITY;
                case "inf", "+inf" -> Double.POSITIVE_INFINITY;
                default -> {
                    try {
                        yield Double.parseDouble(parts[i]);
                    } catch (NumberFormatException e) {
                        throw new MemmapException(ErrorKind.INVALID_CONFIG, "Partition region '" + text + "': '" + parts[i]
                                + "' is not a number");
                    }
                }
            };
        }
        return new Region(v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    private static String format(double... values) {
        StringBuilder out = new StringBuilder();
        for (double v : values) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(v == Double.NEGATIVE_INFINITY ? "-inf" : v == Double.POSITIVE_INFINITY ? "inf" : Double.toString(v));
        }
        return out.toString();
    }
}
