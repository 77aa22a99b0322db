package org.nifimemmap.intervals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Reads interval sets from property text or files and normalises them as pynapple does
 * ({@link IntervalSet#of}). Text given in a property is a configuration: its errors are
 * {@link ErrorKind#INVALID_CONFIG}; a file's errors are {@link ErrorKind#INVALID_INPUT}. Every error
 * names the source and the line and column (or the zip entry).
 */
public final class IntervalParser {
    /** Text interval files are small; anything larger is refused before reading. */
    static final long MAX_TEXT_FILE_BYTES = 512L << 20;

    private IntervalParser() {
    }

    /** Parses intervals given as text (a property value) in the given format; NPZ is binary and needs a file. */
    public static IntervalSet parse(String text, IntervalFormat format) {
        String source = "Intervals (" + format.name().toLowerCase(Locale.ROOT) + ")";
        try {
            return switch (format) {
                case TEXT -> new IntervalTextParser(source, ErrorKind.INVALID_CONFIG).parse(text);
                case CSV -> new DelimitedIntervalParser(source, ',', ErrorKind.INVALID_CONFIG).parse(reader(text));
                case TSV -> new DelimitedIntervalParser(source, '\t', ErrorKind.INVALID_CONFIG).parse(reader(text));
                case JSON -> new JsonIntervalParser(source, ErrorKind.INVALID_CONFIG).parse(JsonIntervalParser.factory().createParser(text));
                case NEUROSCOPE_EVT -> new NeuroscopeEventParser(source, ErrorKind.INVALID_CONFIG).parse(reader(text));
                case NPZ -> throw new MemmapException(ErrorKind.INVALID_CONFIG,
                        "The npz interval format is a binary file; give its path instead of text");
            };
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, source + ": " + e.getMessage(), e);
        }
    }

    /** Parses an interval file whose format is taken from its name, or sniffed from its content. */
    public static IntervalSet parseFile(Path file) {
        return parseFile(file, detect(file));
    }

    public static IntervalSet parseFile(Path file, IntervalFormat format) {
        checkReadable(file);
        if (format == IntervalFormat.NPZ) {
            return new NpzIntervalReader(file).read();
        }
        String source = file.toString();
        try {
            long size = Files.size(file);
            if (size > MAX_TEXT_FILE_BYTES) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, file + " is " + size + " bytes; text interval files over "
                        + MAX_TEXT_FILE_BYTES + " bytes are refused (save large sets as .npz)");
            }
            return switch (format) {
                case TEXT -> new IntervalTextParser(source, ErrorKind.INVALID_INPUT).parse(Files.readString(file));
                case CSV -> withReader(file, r -> new DelimitedIntervalParser(source, ',', ErrorKind.INVALID_INPUT).parse(r));
                case TSV -> withReader(file, r -> new DelimitedIntervalParser(source, '\t', ErrorKind.INVALID_INPUT).parse(r));
                case NEUROSCOPE_EVT -> withReader(file, r -> new NeuroscopeEventParser(source, ErrorKind.INVALID_INPUT).parse(r));
                case JSON -> new JsonIntervalParser(source, ErrorKind.INVALID_INPUT)
                        .parse(JsonIntervalParser.factory().createParser(file.toFile()));
                case NPZ -> throw new IllegalStateException("handled above");
            };
        } catch (CharacterCodingException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, file + " is not UTF-8 text: " + e, e);
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read " + file + ": " + e, e);
        }
    }

    /**
     * The format by file name ({@code .csv .tsv .tab .json .npz .txt}, and Neuroscope names containing
     * {@code .evt}), otherwise by content: a zip is NPZ, {@code [} or <code>{</code> starts JSON, a tab
     * means TSV, a comma CSV; lines of "number label" are Neuroscope events (milliseconds) and lines of
     * "number number" are TEXT (seconds).
     */
    public static IntervalFormat detect(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return IntervalFormat.CSV;
        }
        if (name.endsWith(".tsv") || name.endsWith(".tab")) {
            return IntervalFormat.TSV;
        }
        if (name.endsWith(".json")) {
            return IntervalFormat.JSON;
        }
        if (name.endsWith(".npz")) {
            return IntervalFormat.NPZ;
        }
        if (name.endsWith(".evt") || name.contains(".evt.")) {
            return IntervalFormat.NEUROSCOPE_EVT;
        }
        if (name.endsWith(".txt")) {
            return IntervalFormat.TEXT;
        }
        return sniff(file);
    }

    private static IntervalFormat sniff(Path file) {
        checkReadable(file);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4096);
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read " + file + ": " + e, e);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return IntervalFormat.NPZ;
        }
        String text = new String(head, StandardCharsets.UTF_8).replace("\uFEFF", "");
        String stripped = text.stripLeading();
        if (stripped.startsWith("[") || stripped.startsWith("{")) {
            return IntervalFormat.JSON;
        }
        String firstLine = stripped.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElse("");
        if (firstLine.indexOf('\t') >= 0) {
            return IntervalFormat.TSV;
        }
        if (firstLine.indexOf(',') >= 0) {
            return IntervalFormat.CSV;
        }
        String[] tokens = firstLine.strip().split("\\s+");
        if (tokens.length >= 2 && isNumber(tokens[0]) && !isNumber(tokens[1]) && !tokens[1].equals("-")) {
            return IntervalFormat.NEUROSCOPE_EVT;
        }
        if (!firstLine.isEmpty() && NumberScanner.scan(firstLine.strip(), 0, firstLine.strip().length()) > 0) {
            return IntervalFormat.TEXT;
        }
        throw new MemmapException(ErrorKind.INVALID_INPUT, "Cannot tell the interval format of " + file
                + " from its name or content; name it .csv, .tsv, .json, .npz, .evt or .txt");
    }

    private static boolean isNumber(String token) {
        return !token.isEmpty() && NumberScanner.scan(token, 0, token.length()) == token.length();
    }

    private static void checkReadable(Path file) {
        if (!Files.exists(file)) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "Interval file does not exist: " + file,
                    new NoSuchFileException(file.toString()));
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Interval file is not a readable regular file: " + file);
        }
    }

    private interface ReaderParse {
        IntervalSet parse(BufferedReader reader) throws IOException;
    }

    private static IntervalSet withReader(Path file, ReaderParse parse) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse.parse(r);
        }
    }

    private static BufferedReader reader(String text) {
        return new BufferedReader(new StringReader(text));
    }
}
