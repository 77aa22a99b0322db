package org.nifimemmap.intervals;

/**
 * Time arithmetic exactly as pynapple does it with numpy, so that our sample selection agrees with
 * {@code Tsd.restrict} bit for bit.
 */
public final class PynappleTime {
    /** pynapple's {@code nap_config.time_index_precision}. */
    public static final int DECIMALS = 9;
    private static final double SCALE = 1e9;

    private PynappleTime() {
    }

    /**
     * {@code np.around(x, 9)}: numpy multiplies by 10**9, rounds half to even on that binary product
     * ({@code rint}) and divides back; {@link Math#rint} is the same IEEE operation. The result is
     * infinite when {@code x * 1e9} overflows, as in numpy.
     */
    public static double round(double seconds) {
        return Math.rint(seconds * SCALE) / SCALE;
    }

    /**
     * Timestamp of sample {@code i} of a recording that starts at {@code t0}, as a pynapple Tsd built
     * from {@code np.arange(n) / fs + t0} holds it: divide, add, then round to 9 decimals (TsIndex).
     */
    public static double sampleTime(long i, double t0, double fs) {
        return round((double) i / fs + t0);
    }
}
