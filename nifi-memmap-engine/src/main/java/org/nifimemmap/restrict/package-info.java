/**
 * RestrictByIntervals engine: {@link org.nifimemmap.restrict.RestrictEngine#restrict} with a
 * {@link org.nifimemmap.restrict.RestrictRequest}, giving a {@link org.nifimemmap.restrict.RestrictResult}.
 *
 * <h2>Inputs</h2>
 * A Zarr v2 recording in SpikeInterface's layout (all segments; {@code t_starts} NaN or absent means 0), a
 * single 2-D Zarr array (rate from the request or its {@code sampling_frequency} attribute, t0 from
 * {@code t_start} or 0), or a raw interleaved binary (channels, rate, sample type, byte order, header, t0;
 * mapped read-only, its size checked first).
 *
 * <h2>Outputs</h2>
 * ZARR: one segment {@code traces_seg{i}} per (source segment, interval) that keeps at least one sample,
 * in time order; intervals keeping nothing give no segment (the result notes how many). {@code t_starts}
 * holds each segment's first kept sample time as pynapple holds it (rounded to 9 decimals). Group
 * attributes: the source's, with {@code sampling_frequency}, {@code num_segments}, {@code time_support}
 * ({@code {"start": [...], "end": [...]}}, the whole normalised set) and {@code nifi_memmap_restrict}
 * (source, notes, and per segment its interval, source segment, first source sample and count). The
 * source's other arrays ({@code channel_ids}, {@code properties/...}) are copied; {@code times_seg*} are
 * not. Chunks, compressor and filters are the source's unless overridden; a segment shorter than a chunk
 * gets chunks of its own length. No kept sample at all is a valid empty result: {@code num_segments} 0.
 * <p>RAW: the kept samples of all segments back to back in one interleaved file (source dtype and byte
 * order), and {@code <output>.json} describing rate, channels, dtype and each segment's place.
 *
 * <h2>Cost</h2>
 * Only chunk rows holding kept samples are read (each once); bytes read are counted. Decoding and
 * encoding run on the caller's executor with a fixed number of buffers in flight; outputs are built in a
 * hidden sibling, forced to disk and renamed into place ({@link org.nifimemmap.io.AtomicOutput}).
 */
package org.nifimemmap.restrict;
