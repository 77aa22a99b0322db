package org.nifimemmap.morphology;

import java.math.BigInteger;

/**
 * Turns the flat primitive arrays jhdf returns (their element type follows the HDF5 type: float, double,
 * byte..long, BigInteger for uint64) into one type, so readers accept any numeric storage type.
 */
public final class HdfNumbers {
    private HdfNumbers() {
    }

    public static double[] toDoubles(Object flat) {
        return switch (present(flat)) {
            case double[] a -> a;
            case float[] a -> {
                double[] r = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = a[i];
                }
                yield r;
            }
            default -> {
                long[] l = toLongs(flat);
                double[] r = new double[l.length];
                for (int i = 0; i < l.length; i++) {
                    r[i] = l[i];
                }
                yield r;
            }
        };
    }

    public static float[] toFloats(Object flat) {
        if (present(flat) instanceof float[] a) {
            return a;
        }
        double[] d = toDoubles(flat);
        float[] r = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            r[i] = (float) d[i];
        }
        return r;
    }

    /** Integer arrays of any width; a floating-point array is refused (its values are not ids). */
    public static long[] toLongs(Object flat) {
        return switch (present(flat)) {
            case long[] a -> a;
            case int[] a -> {
                long[] r = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = a[i];
                }
                yield r;
            }
            case short[] a -> {
                long[] r = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = a[i];
                }
                yield r;
            }
            case byte[] a -> {
                long[] r = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = a[i];
                }
                yield r;
            }
            case BigInteger[] a -> {
                long[] r = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = a[i].longValueExact();
                }
                yield r;
            }
            default -> throw new IllegalArgumentException("not an integer array: " + flat.getClass().getSimpleName());
        };
    }

    /** jhdf returns null for a dataset or attribute with a null dataspace (declared, holding nothing). */
    private static Object present(Object flat) {
        if (flat == null) {
            throw new IllegalArgumentException("it holds no data (null dataspace)");
        }
        return flat;
    }
}
