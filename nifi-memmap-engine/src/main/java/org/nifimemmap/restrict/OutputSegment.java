package org.nifimemmap.restrict;

import org.nifimemmap.intervals.SampleRange;

/**
 * One segment of the output: the samples one interval keeps from one source segment.
 *
 * @param index         output segment number ({@code traces_seg{index}})
 * @param sourceSegment segment of the source the samples come from
 * @param range         the kept samples, in source sample numbers
 */
record OutputSegment(int index, int sourceSegment, SampleRange range) {
    long samples() {
        return range.count();
    }
}
