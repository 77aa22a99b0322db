/**
 * Raw interleaved recordings (SpikeGLX {@code .bin}, Open Ephys binary {@code continuous.dat}, Neuroscope
 * {@code .dat}/{@code .eeg}/{@code .lfp} or any headerless binary) to Zarr v2 or v3 stores in SpikeInterface's recording
 * layout; see {@link org.nifimemmap.eeg.EegConverter}. One class per metadata format ({@link org.nifimemmap.eeg.SpikeGlxMeta},
 * {@link org.nifimemmap.eeg.OpenEphysStructure}, {@link org.nifimemmap.eeg.NeuroscopeParameters}) describes a recording
 * as a {@link org.nifimemmap.eeg.RecordingMetadata}.
 *
 * <p>Store layout written:
 * <pre>
 * rec.zarr/.zgroup
 * rec.zarr/.zattrs            sampling_frequency, num_segments = 1,
 *                             nifi_memmap {format_version, converter, source {path, size_bytes, last_modified,
 *                             fingerprint "crc32c:…" of the whole input file, sample_type, byte_order, header_bytes,
 *                             parameters_from, format, metadata_file}, channels, samples, duration_seconds, chunk_samples, compression,
 *                             compression_level, zarr_format, shard_samples (v3 sharded)}
 * rec.zarr/traces_seg0/       (samples, channels) little-endian, chunks (chunk_samples, channels), last chunk padded with 0;
 *                             _ARRAY_DIMENSIONS ["time_seg0", "channel"]
 * rec.zarr/channel_ids/       the metadata's channel names as &lt;U n, else int64 0..n-1, _ARRAY_DIMENSIONS ["channel"]
 * rec.zarr/t_starts/          float64 [time of the first sample], _ARRAY_DIMENSIONS ["segment"]
 * rec.zarr/properties/        group: gain_to_uV, offset_to_uV (float64), channel_name (&lt;U n), group (int64),
 *                             skipped (bool), each written only when the metadata gives it
 * </pre>
 * A v3 store has the same nodes, each with a {@code zarr.json} (attributes inside, {@code _ARRAY_DIMENSIONS} as
 * {@code dimension_names}, strings as {@code string} / {@code vlen-utf8}); {@code traces_seg0} may be sharded along
 * time (docs/zarr-layout.md).
 */
package org.nifimemmap.eeg;
