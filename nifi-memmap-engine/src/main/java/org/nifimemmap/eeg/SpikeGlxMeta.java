package org.nifimemmap.eeg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SpikeGLX {@code .meta} file: {@code key=value} lines beside {@code <name>.bin} (int16, interleaved, little-endian,
 * no header). Keys with a leading {@code ~} (e.g. {@code ~snsChanMap}, {@code ~imroTbl}) are looked up without it,
 * as SpikeGLX's own readers do. Channel kinds and gains follow SpikeGLX's metadata documentation and its
 * DemoReadSGLXData tools:
 * <ul>
 *   <li>imec ({@code typeThis=imec}, {@code imSampRate}): {@code snsApLfSy} = AP,LF,SY counts; volts per step =
 *       {@code imAiRangeMax / imMaxInt} (512 when absent) / gain, where the AP and LF gains come from
 *       {@code imChan0apGain}/{@code imChan0lfGain} when present, else from the {@code imroTbl} entry of the
 *       channel (columns 3 and 4; NP 2.0 probe types, whose entries carry no gain, use 80); SY channels: 1.</li>
 *   <li>NI-DAQ ({@code typeThis=nidq}, {@code niSampRate}): {@code snsMnMaXaDw} = MN,MA,XA,DW counts; volts per step
 *       = {@code niAiRangeMax / niMaxInt} (32768 when absent) / gain, gain {@code niMNGain} for MN,
 *       {@code niMAGain} for MA, 1 for XA; DW words are digital: gain 1, so "scaled" values are the words themselves.</li>
 *   <li>OneBox ({@code typeThis=obx}, {@code obSampRate}): {@code snsXaDwSy} counts, XA scaled by
 *       {@code obAiRangeMax / obMaxInt}.</li>
 * </ul>
 * {@code snsSaveChanSubset} ({@code all} or ranges such as {@code 0:383,768}) maps saved channels to acquired ones.
 */
public final class SpikeGlxMeta {
    static final String WHAT = "SpikeGLX metadata";
    /** Real .meta files are a few kB (an imroTbl of 384 entries is about 10 kB). */
    static final long MAX_BYTES = 4L << 20;
    private static final Pattern CHANNEL_ENTRY = Pattern.compile("\\(([^;()]+);[^()]*\\)");
    /** NP 2.0 probe types (imroTbl entries without gain columns); their gain is fixed at 80. */
    private static final List<Integer> FIXED_GAIN_80 = List.of(21, 24, 2003, 2004, 2013, 2014, 2020, 2021);

    private final Path file;
    private final Map<String, String> values;

    private SpikeGlxMeta(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    /** {@code x.bin} → {@code x.meta}. */
    public static Path metaBeside(Path bin) {
        return NeuroscopeParameters.withExtension(bin, ".meta");
    }

    public static SpikeGlxMeta parse(Path meta) {
        return parse(meta, MetadataText.read(meta, MAX_BYTES, WHAT));
    }

    static SpikeGlxMeta parse(Path meta, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\r?\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw MetadataText.invalid(WHAT, meta, "line " + lineNo, "is not key=value: '" + abbreviate(line) + "'");
            }
            String key = line.substring(0, eq).trim();
            values.put(key.startsWith("~") ? key.substring(1) : key, line.substring(eq + 1).trim());
        }
        return new SpikeGlxMeta(meta, values);
    }

    /** The metadata of {@code bin}, with channels, rate, names and gains. */
    RecordingMetadata describe(Path bin) {
        int channels = (int) integer("nSavedChans", 1, EegConverter.MAX_CHANNELS);
        String type = values.getOrDefault("typeThis", "imec");
        String rateKey = switch (type) {
            case "nidq" -> "niSampRate";
            case "obx" -> "obSampRate";
            default -> "imSampRate";
        };
        double rate = number(rateKey);
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw MetadataText.invalid(WHAT, file, rateKey, "must be a positive number: " + values.get(rateKey));
        }
        long size = integer("fileSizeBytes", 0, Long.MAX_VALUE);
        int[] saved = savedChannels(channels);
        double[] gains = switch (type) {
            case "nidq" -> niGains(saved);
            case "obx" -> obxGains(saved);
            default -> imecGains(saved);
        };
        for (int i = 0; i < gains.length; i++) {
            gains[i] *= 1e6;
        }
        // firstSample is where the file starts on the stream's clock, the t_start SpikeInterface reports.
        double tStart = values.containsKey("firstSample") ? integer("firstSample", 0, Long.MAX_VALUE) / rate : 0.0;
        return new RecordingMetadata(RecordingFormat.SPIKEGLX, file, bin, channels, rate, size, SampleType.INT16, tStart,
                new ChannelTable(names(channels), gains, new double[channels], null, null));
    }

    /** Names from {@code snsChanMap} entries {@code (AP0;0:0)}, or the acquired channel numbers when it is absent. */
    private List<String> names(int channels) {
        String map = values.get("snsChanMap");
        List<String> names = new ArrayList<>();
        if (map == null) {
            for (int c : savedChannels(channels)) {
                names.add(Integer.toString(c));
            }
            return names;
        }
        Matcher m = CHANNEL_ENTRY.matcher(map);
        while (m.find()) {
            names.add(m.group(1).trim());
        }
        if (names.size() != channels || names.stream().distinct().count() != channels) {
            throw MetadataText.invalid(WHAT, file, "snsChanMap", "names " + names.size() + " distinct channels, nSavedChans is " + channels);
        }
        return names;
    }

    /** Acquired channel number of each saved channel. */
    private int[] savedChannels(int channels) {
        String subset = values.getOrDefault("snsSaveChanSubset", "all").trim();
        int[] saved = new int[channels];
        if (subset.equals("all")) {
            for (int i = 0; i < channels; i++) {
                saved[i] = i;
            }
            return saved;
        }
        int n = 0;
        for (String part : subset.split(",")) {
            String[] range = part.trim().split(":", -1);
            if (range.length > 2) {
                throw MetadataText.invalid(WHAT, file, "snsSaveChanSubset", "has a bad range '" + part + "'");
            }
            int from = channelNumber(range[0]);
            int to = range.length == 2 ? channelNumber(range[1]) : from;
            if (to < from || (long) n + (to - from + 1) > channels) {
                throw MetadataText.invalid(WHAT, file, "snsSaveChanSubset", "'" + abbreviate(subset)
                        + "' does not list exactly nSavedChans = " + channels + " channels in order");
            }
            for (int c = from; c <= to; c++) {
                saved[n++] = c;
            }
        }
        if (n != channels) {
            throw MetadataText.invalid(WHAT, file, "snsSaveChanSubset", "lists " + n + " channels, nSavedChans is " + channels);
        }
        return saved;
    }

    private int channelNumber(String text) {
        try {
            int c = Integer.parseInt(text.trim());
            if (c >= 0 && c < EegConverter.MAX_CHANNELS) {
                return c;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw MetadataText.invalid(WHAT, file, "snsSaveChanSubset", "has a bad channel number '" + abbreviate(text) + "'");
    }

    private double[] imecGains(int[] saved) {
        int[] counts = counts("snsApLfSy", 3);
        double perStep = number("imAiRangeMax") / (values.containsKey("imMaxInt") ? integer("imMaxInt", 1, 1 << 30) : 512);
        double[] apGain = new double[counts[0]];
        double[] lfGain = new double[counts[1]];
        if (values.containsKey("imChan0apGain")) {
            java.util.Arrays.fill(apGain, number("imChan0apGain"));
            java.util.Arrays.fill(lfGain, values.containsKey("imChan0lfGain") ? number("imChan0lfGain") : 1);
        } else {
            imroGains(apGain, lfGain);
        }
        double[] gains = new double[saved.length];
        for (int i = 0; i < saved.length; i++) {
            int c = saved[i];
            if (c < counts[0]) {
                gains[i] = perStep / apGain[c];
            } else if (c < counts[0] + counts[1]) {
                gains[i] = perStep / lfGain[c - counts[0]];
            } else if (c < counts[0] + counts[1] + counts[2]) {
                gains[i] = 1e-6;
            } else {
                throw MetadataText.invalid(WHAT, file, "snsSaveChanSubset", "saves channel " + c + " beyond snsApLfSy " + values.get("snsApLfSy"));
            }
        }
        return gains;
    }

    /** {@code imroTbl} = {@code (type,n)(chan bank ref apGain lfGain ...)...}; the header's probe type decides the columns. */
    private void imroGains(double[] apGain, double[] lfGain) {
        String table = values.get("imroTbl");
        if (table == null) {
            throw MetadataText.invalid(WHAT, file, "imroTbl", "is missing (and no imChan0apGain): the AP/LF gains are unknown");
        }
        String[] entries = table.replace(")", "").split("\\(");
        if (entries.length < 2) {
            throw MetadataText.invalid(WHAT, file, "imroTbl", "has no header entry");
        }
        int probeType;
        try {
            probeType = Integer.parseInt(entries[1].split(",")[0].trim());
        } catch (NumberFormatException e) {
            throw MetadataText.invalid(WHAT, file, "imroTbl", "header '(" + abbreviate(entries[1]) + ")' has no probe type");
        }
        if (FIXED_GAIN_80.contains(probeType)) {
            java.util.Arrays.fill(apGain, 80);
            java.util.Arrays.fill(lfGain, 80);
            return;
        }
        if (entries.length - 2 < apGain.length || entries.length - 2 < lfGain.length) {
            throw MetadataText.invalid(WHAT, file, "imroTbl", "has " + (entries.length - 2) + " channel entries for "
                    + apGain.length + " AP and " + lfGain.length + " LF channels");
        }
        for (int i = 0; i < Math.max(apGain.length, lfGain.length); i++) {
            String[] cols = entries[i + 2].trim().split("\\s+");
            if (cols.length < 5) {
                throw MetadataText.invalid(WHAT, file, "imroTbl", "entry " + i + " '(" + abbreviate(entries[i + 2]) + ")' has no gain columns");
            }
            if (i < apGain.length) {
                apGain[i] = positive("imroTbl entry " + i + " AP gain", cols[3]);
            }
            if (i < lfGain.length) {
                lfGain[i] = positive("imroTbl entry " + i + " LF gain", cols[4]);
            }
        }
    }

    private double[] niGains(int[] saved) {
        int[] counts = counts("snsMnMaXaDw", 4);
        double perStep = number("niAiRangeMax") / (values.containsKey("niMaxInt") ? integer("niMaxInt", 1, 1 << 30) : 32768);
        double mn = counts[0] > 0 ? number("niMNGain") : 1;
        double ma = counts[1] > 0 ? number("niMAGain") : 1;
        double[] gains = new double[saved.length];
        for (int i = 0; i < saved.length; i++) {
            int c = saved[i];
            if (c < counts[0]) {
                gains[i] = perStep / mn;
            } else if (c < counts[0] + counts[1]) {
                gains[i] = perStep / ma;
            } else if (c < counts[0] + counts[1] + counts[2]) {
                gains[i] = perStep;
            } else if (c < counts[0] + counts[1] + counts[2] + counts[3]) {
                gains[i] = 1e-6;
            } else {
                throw MetadataText.invalid(WHAT, file, "snsSaveChanSubset", "saves channel " + c + " beyond snsMnMaXaDw " + values.get("snsMnMaXaDw"));
            }
        }
        return gains;
    }

    private double[] obxGains(int[] saved) {
        int[] counts = counts("snsXaDwSy", 3);
        double perStep = number("obAiRangeMax") / (values.containsKey("obMaxInt") ? integer("obMaxInt", 1, 1 << 30) : 32768);
        double[] gains = new double[saved.length];
        for (int i = 0; i < saved.length; i++) {
            gains[i] = saved[i] < counts[0] ? perStep : 1e-6;
        }
        return gains;
    }

    private int[] counts(String key, int n) {
        String text = required(key);
        String[] parts = text.split(",", -1);
        if (parts.length != n) {
            throw MetadataText.invalid(WHAT, file, key, "must hold " + n + " comma-separated counts: '" + abbreviate(text) + "'");
        }
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            try {
                counts[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                counts[i] = -1;
            }
            if (counts[i] < 0 || counts[i] > EegConverter.MAX_CHANNELS) {
                throw MetadataText.invalid(WHAT, file, key, "has a bad count '" + abbreviate(parts[i]) + "'");
            }
        }
        return counts;
    }

    private String required(String key) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            throw MetadataText.invalid(WHAT, file, key, "is missing");
        }
        return v;
    }

    private long integer(String key, long min, long max) {
        String text = required(key);
        try {
            long v = Long.parseLong(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw MetadataText.invalid(WHAT, file, key, "is not a whole number in " + min + ".." + max + ": '" + abbreviate(text) + "'");
    }

    private double number(String key) {
        return positive(key, required(key));
    }

    private double positive(String key, String text) {
        try {
            double v = Double.parseDouble(text);
            if (v > 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw MetadataText.invalid(WHAT, file, key, "is not a positive number: '" + abbreviate(text) + "'");
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
