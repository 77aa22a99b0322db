package org.nifimemmap.intervals;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * The timestamps of a regularly sampled recording as pynapple holds them: sample {@code i} is at
 * {@link PynappleTime#sampleTime round9(i / fs + t0)}. Timestamps are never stored; the searches below
 * evaluate them on demand and are exact {@code np.searchsorted} equivalents on that array, because the
 * timestamps are non-decreasing in {@code i} (each step, divide, add, round, is monotonic).
 */
public record SampleClock(double t0, double samplingFrequency, long sampleCount) {
    public SampleClock {
        if (!(samplingFrequency > 0) || !Double.isFinite(samplingFrequency)) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Sampling frequency must be a positive number, got " + samplingFrequency);
        }
        if (!Double.isFinite(t0)) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Recording start time must be finite, got " + t0);
        }
        if (sampleCount < 0) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Sample count must not be negative, got " + sampleCount);
        }
    }

    public double time(long i) {
        return PynappleTime.sampleTime(i, t0, samplingFrequency);
    }

    /** {@code np.searchsorted(t, x, side='left')}: the first sample with time >= x (sampleCount when none). */
    public long firstAtOrAfter(double x) {
        return firstWhere(x, false);
    }

    /** {@code np.searchsorted(t, x, side='right')}: the first sample with time > x (sampleCount when none). */
    public long firstAfter(double x) {
        return firstWhere(x, true);
    }

    /**
     * The first i with time(i) > x (strict) or >= x. The closed form (x - t0) * fs lands within a sample or
     * two of the answer but, with rounding in both directions, not always on it; so it only seeds a
     * galloping search outward, and a binary search inside the bracket settles the exact index.
     */
    private long firstWhere(double x, boolean strict) {
        double estimate = Math.ceil((x - t0) * samplingFrequency);
        long guess = Double.isNaN(estimate) ? 0 : (long) Math.max(0, Math.min(sampleCount, estimate));
        long lo;
        long hi;
        if (guess < sampleCount && !satisfies(guess, x, strict)) {
            lo = guess + 1;
            long step = 1;
            hi = Math.min(sampleCount, lo + step);
            while (hi < sampleCount && !satisfies(hi, x, strict)) {
                lo = hi + 1;
                step <<= 1;
                hi = Math.min(sampleCount, lo + step);
            }
        } else {
            hi = guess;
            long step = 1;
            lo = Math.max(0, hi - step);
            while (lo > 0 && satisfies(lo, x, strict)) {
                hi = lo;
                step <<= 1;
                lo = Math.max(0, hi - step);
            }
        }
        // Invariant: every i < lo fails, every i >= hi satisfies (or hi == sampleCount).
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (satisfies(mid, x, strict)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private boolean satisfies(long i, double x, boolean strict) {
        double t = time(i);
        return strict ? t > x : t >= x;
    }
}
