/**
 * Time intervals with pynapple's exact semantics, and the samples they keep.
 *
 * <h2>Reading intervals</h2>
 * {@link org.nifimemmap.intervals.IntervalParser#parse(String, org.nifimemmap.intervals.IntervalFormat)} reads
 * property text, {@link org.nifimemmap.intervals.IntervalParser#parseFile(java.nio.file.Path)} a file (format
 * from the name, else sniffed). Times are seconds except in Neuroscope files (milliseconds).
 * <ul>
 * <li>TEXT: intervals separated by {@code ,} {@code ;} or line breaks; start and end separated by {@code -}
 * or spaces ({@code 0-10, 20.5-30}, {@code 0 10; 20.5 30}). A negative end carries its own sign after the
 * dash ({@code -1.5--0.5}, {@code -1.5 - -0.5}); {@code 1 -2} is rejected as ambiguous. A comma never
 * separates start from end. Blank text is an error.</li>
 * <li>CSV / TSV: header optional (a first line with any non-number); with a header, columns named
 * {@code start} and {@code end} (other columns ignored); without, exactly two columns.</li>
 * <li>JSON: {@code [[s,e],...]}, {@code [{"start":s,"end":e},...]} or {@code {"start":[...],"end":[...]}}.</li>
 * <li>Neuroscope {@code .evt}: {@code <ms> <label>} lines, alternately start and end (labels ignored, as in
 * pynapple's {@code read_neuroscope_intervals}).</li>
 * <li>NPZ: pynapple's {@code IntervalSet.save()} ({@code start.npy}, {@code end.npy}; {@code type.npy} must
 * say IntervalSet when present; the pickled {@code _metadata} is never read).</li>
 * </ul>
 * Errors name the line and column (or zip entry); NaN and infinities are rejected; sizes are checked
 * before allocation (at most 10 million intervals). An empty file gives an empty set.
 *
 * <h2>Normalisation ({@link org.nifimemmap.intervals.IntervalSet#of})</h2>
 * pynapple's {@code IntervalSet(start, end)}: round to 9 decimals as {@code np.round} (multiply by 1e9,
 * round half to even on the binary product, divide); sort starts and ends independently if either is
 * not increasing; then {@code _jitfix_iset}: skip zero-length, skip reversed, merge overlaps, and move an
 * end that equals the next start 1 microsecond earlier. Notes say what changed.
 *
 * <h2>Selection ({@link org.nifimemmap.intervals.SampleSelection})</h2>
 * Sample i of a segment starting at t0 is at {@code round9(i / fs + t0)} (what a pynapple Tsd built from
 * {@code np.arange(n) / fs + t0} holds); it is kept when {@code start <= t <= end}. Searches are exact
 * {@code np.searchsorted} equivalents on that monotonic sequence, tested against numpy.
 */
package org.nifimemmap.intervals;
