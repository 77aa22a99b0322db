package org.nifimemmap.eeg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.zarr.Json;

/**
 * An Open Ephys binary-format recording's {@code structure.oebin}: JSON whose {@code continuous[]} entries name
 * each stream's {@code folder_name} (data in {@code continuous/<folder_name>/continuous.dat}, int16 interleaved,
 * little-endian, no header), {@code sample_rate}, {@code num_channels} and {@code channels[]} with
 * {@code channel_name}, {@code bit_volts} and {@code units} ({@code uV}, {@code mV} or {@code V}). The first
 * sample's time is {@code sample_numbers.npy}[0] / rate (GUI 0.6 and later) or, in older recordings,
 * {@code timestamps.npy}[0], which then holds int64 sample numbers.
 */
public final class OpenEphysStructure {
    static final String WHAT = "Open Ephys structure file";
    public static final String FILE_NAME = "structure.oebin";
    /** Real structure files are tens of kB (a few hundred channels with their descriptions). */
    static final long MAX_BYTES = 16L << 20;

    private final Path file;
    private final List<Stream> streams;

    /** One continuous stream; {@code name} is its folder name without the trailing slash. */
    public record Stream(String name, double sampleRate, int channels, List<String> channelNames, double[] gainToUv) {
    }

    private OpenEphysStructure(Path file, List<Stream> streams) {
        this.file = file;
        this.streams = streams;
    }

    /** For {@code continuous/<stream>/continuous.dat} the structure file three levels up, else null. */
    public static Path structureOf(Path continuousDat) {
        Path stream = continuousDat.toAbsolutePath().getParent();
        Path continuous = stream == null ? null : stream.getParent();
        if (continuous == null || continuous.getParent() == null || !"continuous".equals(continuous.getFileName().toString())) {
            return null;
        }
        return continuous.getParent().resolve(FILE_NAME);
    }

    public static OpenEphysStructure parse(Path oebin) {
        return parse(oebin, MetadataText.read(oebin, MAX_BYTES, WHAT));
    }

    static OpenEphysStructure parse(Path oebin, String text) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, WHAT + " " + oebin + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.path("continuous").isArray()) {
            throw MetadataText.invalid(WHAT, oebin, "continuous", "is missing or not a list");
        }
        List<Stream> streams = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        JsonNode continuous = root.path("continuous");
        for (int i = 0; i < continuous.size(); i++) {
            Stream s = stream(oebin, "continuous[" + i + "]", continuous.get(i));
            if (!seen.add(s.name())) {
                throw MetadataText.invalid(WHAT, oebin, "continuous[" + i + "].folder_name", "'" + s.name() + "' is listed twice");
            }
            streams.add(s);
        }
        return new OpenEphysStructure(oebin, List.copyOf(streams));
    }

    /** The stream of that folder name, or the only one when {@code name} is null. */
    public Stream stream(String name) {
        if (name == null) {
            if (streams.size() != 1) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, WHAT + " " + file + " holds " + streams.size()
                        + " continuous streams " + names() + "; name one with Stream Name");
            }
            return streams.get(0);
        }
        String wanted = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        return streams.stream().filter(s -> s.name().equals(wanted)).findFirst().orElseThrow(() -> new MemmapException(
                ErrorKind.INVALID_CONFIG, WHAT + " " + file + " has no continuous stream '" + name + "'; it has " + names()));
    }

    public List<String> names() {
        return streams.stream().map(Stream::name).toList();
    }

    /** Where the stream's samples are. */
    public Path dataOf(Stream stream) {
        return file.resolveSibling("continuous").resolve(stream.name()).resolve("continuous.dat");
    }

    RecordingMetadata describe(Stream stream) {
        Path data = dataOf(stream);
        return new RecordingMetadata(RecordingFormat.OPENEPHYS, file, data, stream.channels(), stream.sampleRate(), null,
                SampleType.INT16, tStart(data.getParent(), stream.sampleRate()),
                new ChannelTable(stream.channelNames(), stream.gainToUv(), new double[stream.channels()], null, null));
    }

    private static double tStart(Path streamDir, double rate) {
        Path sampleNumbers = streamDir.resolve("sample_numbers.npy");
        if (Files.isRegularFile(sampleNumbers)) {
            NpyFirstValue.Value v = NpyFirstValue.read(sampleNumbers);
            return (v.isInteger() ? v.integer() : v.real()) / rate;
        }
        Path timestamps = streamDir.resolve("timestamps.npy");
        if (Files.isRegularFile(timestamps)) {
            NpyFirstValue.Value v = NpyFirstValue.read(timestamps);
            // Before GUI 0.6 this file held sample numbers (int64); since, seconds (float64) beside sample_numbers.npy.
            return v.isInteger() ? v.integer() / rate : v.real();
        }
        return 0.0;
    }

    private static Stream stream(Path oebin, String where, JsonNode node) {
        JsonNode folder = node.path("folder_name");
        if (!folder.isTextual()) {
            throw MetadataText.invalid(WHAT, oebin, where + ".folder_name", "is missing or not text");
        }
        String name = folder.asText();
        if (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\") || name.indexOf('\0') >= 0) {
            throw MetadataText.invalid(WHAT, oebin, where + ".folder_name", "'" + folder.asText() + "' is not a plain folder name");
        }
        JsonNode rateNode = node.path("sample_rate");
        double rate = rateNode.asDouble(Double.NaN);
        if (!rateNode.isNumber() || !(rate > 0) || Double.isInfinite(rate)) {
            throw MetadataText.invalid(WHAT, oebin, where + ".sample_rate", "is not a positive number: " + rateNode);
        }
        JsonNode countNode = node.path("num_channels");
        if (!countNode.isIntegralNumber() || !countNode.canConvertToInt() || countNode.intValue() < 1
                || countNode.intValue() > EegConverter.MAX_CHANNELS) {
            throw MetadataText.invalid(WHAT, oebin, where + ".num_channels", "is not a channel count in 1.." + EegConverter.MAX_CHANNELS + ": " + countNode);
        }
        int count = countNode.intValue();
        JsonNode channels = node.path("channels");
        if (!channels.isArray() || channels.size() != count) {
            throw MetadataText.invalid(WHAT, oebin, where + ".channels", "must list num_channels = " + count + " channels, lists "
                    + (channels.isArray() ? channels.size() : "none"));
        }
        List<String> names = new ArrayList<>();
        Set<String> unique = new HashSet<>();
        double[] gains = new double[count];
        for (int c = 0; c < count; c++) {
            String at = where + ".channels[" + c + "]";
            JsonNode ch = channels.get(c);
            JsonNode channelName = ch.path("channel_name");
            if (!channelName.isTextual() || channelName.asText().isEmpty()) {
                throw MetadataText.invalid(WHAT, oebin, at + ".channel_name", "is missing or empty");
            }
            if (!unique.add(channelName.asText())) {
                throw MetadataText.invalid(WHAT, oebin, at + ".channel_name", "'" + channelName.asText() + "' is used twice");
            }
            names.add(channelName.asText());
            JsonNode bitVolts = ch.path("bit_volts");
            if (!bitVolts.isNumber() || !(bitVolts.doubleValue() > 0) || Double.isInfinite(bitVolts.doubleValue())) {
                throw MetadataText.invalid(WHAT, oebin, at + ".bit_volts", "is not a positive number: " + bitVolts);
            }
            gains[c] = bitVolts.doubleValue() * microvoltsPer(oebin, at + ".units", ch.path("units").asText("uV"));
        }
        return new Stream(name, rate, count, names, gains);
    }

    private static double microvoltsPer(Path oebin, String where, String units) {
        return switch (units) {
            case "uV", "µV", "μV" -> 1;
            case "mV" -> 1e3;
            case "V" -> 1e6;
            default -> throw MetadataText.invalid(WHAT, oebin, where, "'" + units + "' is not uV, mV or V");
        };
    }
}
