package org.nifimemmap.eeg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.FileLimits;
import org.nifimemmap.io.MemmapException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The acquisition parameters of a Neuroscope / NeuroSuite parameter file ({@code session.xml} beside
 * {@code session.dat}, {@code session.eeg}, {@code session.lfp}):
 * <pre>
 * &lt;parameters&gt;
 *   &lt;acquisitionSystem&gt;&lt;nBits&gt;16&lt;/nBits&gt;&lt;nChannels&gt;64&lt;/nChannels&gt;&lt;samplingRate&gt;20000&lt;/samplingRate&gt;
 *     &lt;voltageRange&gt;20&lt;/voltageRange&gt;&lt;amplification&gt;1000&lt;/amplification&gt;&lt;offset&gt;0&lt;/offset&gt;&lt;/acquisitionSystem&gt;
 *   &lt;fieldPotentials&gt;&lt;lfpSamplingRate&gt;1250&lt;/lfpSamplingRate&gt;&lt;/fieldPotentials&gt;
 *   &lt;files&gt;&lt;file&gt;&lt;extension&gt;lfp&lt;/extension&gt;&lt;samplingRate&gt;1250&lt;/samplingRate&gt;&lt;/file&gt;&lt;/files&gt;
 * &lt;/parameters&gt;
 * </pre>
 * Parsed without DTDs or external entities: a parameter file is data, not a reason to fetch anything.
 */
public final class NeuroscopeParameters {
    private final Path file;
    private final int channels;
    private final double samplingRate;
    private final Double lfpSamplingRate;
    private final Integer bits;
    private final Double voltageRange;
    private final Double amplification;
    private final Element root;

    private NeuroscopeParameters(Path file, Element root, int channels, double samplingRate, Double lfpSamplingRate,
                                 Integer bits, Double voltageRange, Double amplification) {
        this.file = file;
        this.root = root;
        this.channels = channels;
        this.samplingRate = samplingRate;
        this.lfpSamplingRate = lfpSamplingRate;
        this.bits = bits;
        this.voltageRange = voltageRange;
        this.amplification = amplification;
    }

    /** The XML with the recording's base name ({@code x.dat} → {@code x.xml}), parsed, or empty when there is none. */
    public static Optional<NeuroscopeParameters> besideRecording(Path recording) {
        Path xml = xmlBeside(recording);
        if (!Files.isRegularFile(xml)) {
            return Optional.empty();
        }
        return Optional.of(parse(xml));
    }

    /** Where the parameter file of a recording would be. */
    public static Path xmlBeside(Path recording) {
        return withExtension(recording, ".xml");
    }

    /** The sibling with the same base name and another extension: {@code x.dat} → {@code x.xml}. */
    static Path withExtension(Path file, String extension) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return file.resolveSibling(base + extension);
    }

    /** Parameter files are tens of kB; the whole document is built in the heap. */
    static final long MAX_BYTES = 16L << 20;

    /** Parses a parameter file; {@code acquisitionSystem/nChannels} and {@code samplingRate} are required. */
    public static NeuroscopeParameters parse(Path xml) {
        Document doc;
        try (InputStream in = Files.newInputStream(xml)) {
            FileLimits.requireAtMost(xml, MAX_BYTES, "Neuroscope parameter file " + xml);
            doc = newBuilder().parse(in, xml.toUri().toString());
        } catch (NoSuchFileException e) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "Neuroscope parameter file not found: " + xml, e);
        } catch (SAXParseException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Neuroscope parameter file " + xml + " is not valid XML at line "
                    + e.getLineNumber() + ", column " + e.getColumnNumber() + ": " + e.getMessage(), e);
        } catch (SAXException | IOException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Cannot read Neuroscope parameter file " + xml + ": " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"parameters".equals(root.getTagName())) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Neuroscope parameter file " + xml
                    + " has root element <" + root.getTagName() + ">, expected <parameters>");
        }
        String channelsText = text(root, "acquisitionSystem", "nChannels");
        String rateText = text(root, "acquisitionSystem", "samplingRate");
        if (channelsText == null || rateText == null) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Neuroscope parameter file " + xml
                    + " lacks acquisitionSystem/" + (channelsText == null ? "nChannels" : "samplingRate"));
        }
        int channels = (int) Math.min(Integer.MAX_VALUE, parseLong(xml, "acquisitionSystem/nChannels", channelsText));
        double rate = parseDouble(xml, "acquisitionSystem/samplingRate", rateText);
        String lfp = text(root, "fieldPotentials", "lfpSamplingRate");
        String nBits = text(root, "acquisitionSystem", "nBits");
        String range = text(root, "acquisitionSystem", "voltageRange");
        String amp = text(root, "acquisitionSystem", "amplification");
        return new NeuroscopeParameters(xml, root, channels, rate,
                lfp == null ? null : parseDouble(xml, "fieldPotentials/lfpSamplingRate", lfp),
                nBits == null ? null : (int) parseLong(xml, "acquisitionSystem/nBits", nBits),
                range == null ? null : parseDouble(xml, "acquisitionSystem/voltageRange", range),
                amp == null ? null : parseDouble(xml, "acquisitionSystem/amplification", amp));
    }

    public Path file() {
        return file;
    }

    /** {@code acquisitionSystem/nChannels}. */
    public int channels() {
        return channels;
    }

    /** {@code acquisitionSystem/samplingRate}: the rate of the wide-band {@code .dat} file. */
    public double samplingRate() {
        return samplingRate;
    }

    /** {@code fieldPotentials/lfpSamplingRate}: the rate of {@code .eeg}/{@code .lfp} files, or null when absent. */
    public Double lfpSamplingRate() {
        return lfpSamplingRate;
    }

    /** {@code acquisitionSystem/nBits}, or null. */
    public Integer bits() {
        return bits;
    }

    /** {@code acquisitionSystem/voltageRange} in volts, or null. */
    public Double voltageRange() {
        return voltageRange;
    }

    /** {@code acquisitionSystem/amplification}, or null. */
    public Double amplification() {
        return amplification;
    }

    /**
     * The sampling rate of a recording described by this file: for {@code .eeg} and {@code .lfp} the field
     * potential rate ({@code fieldPotentials/lfpSamplingRate}, else the {@code files/file} entry with that
     * extension), for anything else {@code acquisitionSystem/samplingRate}.
     */
    public double samplingRateFor(Path recording) {
        String name = recording.getFileName().toString().toLowerCase(Locale.ROOT);
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        if (!ext.equals("eeg") && !ext.equals("lfp")) {
            return samplingRate;
        }
        if (lfpSamplingRate != null) {
            return lfpSamplingRate;
        }
        Element files = child(root, "files");
        if (files != null) {
            for (Node n = files.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element f && f.getTagName().equals("file")) {
                    String fileExt = text(f, "extension");
                    String rate = text(f, "samplingRate");
                    if (fileExt != null && fileExt.equalsIgnoreCase(ext) && rate != null) {
                        return parseDouble(file, "files/file[extension=" + ext + "]/samplingRate", rate);
                    }
                }
            }
        }
        throw new MemmapException(ErrorKind.INVALID_INPUT, "Neuroscope parameter file " + file
                + " gives no field potential rate for " + recording.getFileName()
                + " (fieldPotentials/lfpSamplingRate or files/file with extension " + ext + ")");
    }

    /**
     * The recording {@code recording} as this file describes it: channels, rate, and per channel the group of
     * {@code anatomicalDescription/channelGroups/group} it is listed in (groups numbered from 0 in file order, -1
     * for a channel in none), whether it is marked {@code skip="1"} there, and the gain when {@code nBits},
     * {@code voltageRange} (volts) and {@code amplification} are all given: voltageRange / 2^nBits / amplification,
     * in microvolts, as neo's Neuroscope reader scales (offset 0).
     */
    RecordingMetadata describe(Path recording) {
        if (channels <= 0 || channels > EegConverter.MAX_CHANNELS) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Neuroscope parameter file " + file + ": acquisitionSystem/nChannels "
                    + channels + " is outside 1.." + EegConverter.MAX_CHANNELS);
        }
        int[] groups = new int[channels];
        boolean[] skipped = new boolean[channels];
        java.util.Arrays.fill(groups, -1);
        boolean anyGroup = readGroups(groups, skipped);
        double[] gains = null;
        double[] offsets = null;
        if (bits != null && voltageRange != null && amplification != null) {
            if (bits < 1 || bits > 32 || !(voltageRange > 0) || !(amplification > 0)
                    || Double.isInfinite(voltageRange) || Double.isInfinite(amplification)) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, "Neuroscope parameter file " + file + ": acquisitionSystem nBits "
                        + bits + ", voltageRange " + voltageRange + ", amplification " + amplification + " do not give a gain");
            }
            gains = new double[channels];
            java.util.Arrays.fill(gains, voltageRange / Math.pow(2, bits) / amplification * 1e6);
            offsets = new double[channels];
        }
        return new RecordingMetadata(RecordingFormat.NEUROSCOPE, file, recording, channels, samplingRateFor(recording), null, null, 0.0,
                new ChannelTable(null, gains, offsets, anyGroup ? groups : null, anyGroup ? skipped : null));
    }

    /** Fills group and skip flags from {@code anatomicalDescription/channelGroups}; false when there are no groups. */
    private boolean readGroups(int[] groups, boolean[] skipped) {
        Element anatomy = child(root, "anatomicalDescription");
        Element channelGroups = anatomy == null ? null : child(anatomy, "channelGroups");
        if (channelGroups == null) {
            return false;
        }
        int group = 0;
        for (Node g = channelGroups.getFirstChild(); g != null; g = g.getNextSibling()) {
            if (!(g instanceof Element ge) || !ge.getTagName().equals("group")) {
                continue;
            }
            for (Node c = ge.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element ce && ce.getTagName().equals("channel")) {
                    String where = "anatomicalDescription/channelGroups/group[" + group + "]/channel";
                    long channel = parseLong(file, where, ce.getTextContent().trim());
                    if (channel < 0 || channel >= groups.length) {
                        throw new MemmapException(ErrorKind.INVALID_INPUT, "Neuroscope parameter file " + file + ": " + where
                                + " " + channel + " is outside 0.." + (groups.length - 1));
                    }
                    if (groups[(int) channel] >= 0) {
                        throw new MemmapException(ErrorKind.INVALID_INPUT, "Neuroscope parameter file " + file + ": " + where
                                + " " + channel + " is already in group " + groups[(int) channel]);
                    }
                    groups[(int) channel] = group;
                    skipped[(int) channel] = "1".equals(ce.getAttribute("skip").trim());
                }
            }
            group++;
        }
        return group > 0;
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser lacks secure processing features", e);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String... path) {
        Element e = parent;
        for (String name : path) {
            e = child(e, name);
            if (e == null) {
                return null;
            }
        }
        String t = e.getTextContent().trim();
        return t.isEmpty() ? null : t;
    }

    private static long parseLong(Path xml, String what, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Neuroscope parameter file " + xml + ": " + what
                    + " is not an integer: '" + text + "'", e);
        }
    }

    private static double parseDouble(Path xml, String what, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Neuroscope parameter file " + xml + ": " + what
                    + " is not a number: '" + text + "'", e);
        }
    }
}
