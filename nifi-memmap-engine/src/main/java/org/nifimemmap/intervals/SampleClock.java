package org.nifimemmap.intervals;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * The timestamps of a regularly sampled recording as pynapple holds them: sample {@code i} is at
 * {@link PynappleTime#sampleTime round9(i / fs + t0)}. Timestamps are never stored; the searches below
 * evaluate them on demand and are exact {@code np.searchsorted} equivalents on that array, because the
 * timestamps are non-decreasing in {@code i} (each step — divide, add, round — is monotonic).
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
        long lo = 0;
        long hi = sampleCount;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (time(mid) < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** {@code np.searchsorted(t, x, side='right')}: the first sample with time > x (sampleCount when none). */
    public long firstAfter(double x) {
        long lo = 0;
        long hi = sampleCount;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (time(mid) <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
