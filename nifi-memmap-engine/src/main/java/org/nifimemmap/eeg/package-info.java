/**
 * Raw interleaved recordings (Neuroscope {@code .dat}/{@code .eeg}/{@code .lfp} or any headerless binary)
 * to Zarr v2 stores in SpikeInterface's recording layout; see {@link org.nifimemmap.eeg.EegConverter}.
 *
 * <p>Store layout written:
 * <pre>
 * rec.zarr/.zgroup
 * rec.zarr/.zattrs            sampling_frequency, num_segments = 1,
 *                             nifi_memmap {format_version, converter, source {path, size_bytes, last_modified,
 *                             fingerprint "crc32c:…" of the whole input file, sample_type, byte_order, header_bytes,
 *                             parameters_from}, channels, samples, duration_seconds, chunk_samples, compression,
 *                             compression_level}
 * rec.zarr/traces_seg0/       (samples, channels) little-endian, chunks (chunk_samples, channels), last chunk padded with 0;
 *                             _ARRAY_DIMENSIONS ["time_seg0", "channel"]
 * rec.zarr/channel_ids/       int64 0..n-1, _ARRAY_DIMENSIONS ["channel"]
 * rec.zarr/t_starts/          float64 [0.0], _ARRAY_DIMENSIONS ["segment"]
 * </pre>
 */
package org.nifimemmap.eeg;
