package org.nifimemmap.morphology;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Neurolucida tokenizer, matching MorphIO's lexertl rules: longest match wins, and on a tie the
 * earlier rule (keywords before WORD). Whitespace, newlines and {@code ;} comments are skipped; the parser
 * sees a current token and one token of look-ahead.
 */
final class AscLexer {
    private record Keyword(Pattern pattern, AscToken token) {
    }

    // Neurolucida marker names, the list MorphIO inferred (BlueBrain/MorphIO#229); each may end in digits.
    private static final List<String> MARKERS = List.of("Dot", "Plus", "Cross", "Splat", "Flower", "Circle",
            "TriStar", "OpenStar", "Asterisk", "SnowFlake", "OpenCircle", "ShadedStar", "FilledStar",
            "TexacoStar", "MoneyGreen", "DarkYellow", "OpenSquare", "OpenDiamond", "CircleArrow", "CircleCross",
            "OpenQuadStar", "DoubleCircle", "FilledSquare", "MalteseCross", "FilledCircle", "FilledDiamond",
            "FilledQuadStar", "OpenUpTriangle", "FilledUpTriangle", "OpenDownTriangle", "FilledDownTriangle");

    private static final List<Keyword> KEYWORDS = keywords();

    private static List<Keyword> keywords() {
        List<Keyword> k = new ArrayList<>();
        k.add(new Keyword(Pattern.compile("Color"), AscToken.COLOR));
        k.add(new Keyword(Pattern.compile("Font"), AscToken.FONT));
        k.add(new Keyword(Pattern.compile("[Aa]xon"), AscToken.AXON));
        k.add(new Keyword(Pattern.compile("[Aa]pical"), AscToken.APICAL));
        k.add(new Keyword(Pattern.compile("[Dd]endrite"), AscToken.DENDRITE));
        k.add(new Keyword(Pattern.compile("[Cc]ell ?[Bb]ody"), AscToken.CELLBODY));
        for (String marker : MARKERS) {
            k.add(new Keyword(Pattern.compile(marker + "[0-9]*"), AscToken.MARKER));
        }
        k.add(new Keyword(Pattern.compile("Generated"), AscToken.GENERATED));
        k.add(new Keyword(Pattern.compile("High"), AscToken.HIGH));
        k.add(new Keyword(Pattern.compile("Incomplete"), AscToken.INCOMPLETE));
        k.add(new Keyword(Pattern.compile("Low"), AscToken.LOW));
        k.add(new Keyword(Pattern.compile("Normal"), AscToken.NORMAL));
        k.add(new Keyword(Pattern.compile("Midpoint"), AscToken.MIDPOINT));
        k.add(new Keyword(Pattern.compile("Origin"), AscToken.ORIGIN));
        return List.copyOf(k);
    }
    private static final Pattern NUMBER = Pattern.compile("[+-]?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final String text;
    private final Matcher number;
    private final Matcher[] keywords;
    private int pos;
    private int line = 1;

    // Current and look-ahead token: kind, text span and line.
    private AscToken curKind;
    private int curStart;
    private int curEnd;
    private int curLine;
    private AscToken nextKind;
    private int nextStart;
    private int nextEnd;
    private int nextLine;

    AscLexer(String text) {
        this.text = text;
        this.number = NUMBER.matcher(text);
        this.keywords = new Matcher[KEYWORDS.size()];
        for (int i = 0; i < keywords.length; i++) {
            keywords[i] = KEYWORDS.get(i).pattern().matcher(text);
        }
        scan();
        advance();
    }

    AscToken current() {
        return curKind;
    }

    AscToken peek() {
        return nextKind;
    }

    String currentText() {
        return text.substring(curStart, curEnd);
    }

    String peekText() {
        return text.substring(nextStart, nextEnd);
    }

    int line() {
        return curLine;
    }

    boolean ended() {
        return curKind == AscToken.EOF;
    }

    /** Moves to the next token; at the end of input it is an error, as in MorphIO. */
    void consume(String source) {
        if (ended()) {
            throw AscReader.error(source, line(), "Can't iterate past the end");
        }
        advance();
    }

    private void advance() {
        curKind = nextKind;
        curStart = nextStart;
        curEnd = nextEnd;
        curLine = nextLine;
        scan();
    }

    /** Reads the next significant token into the look-ahead slot. */
    private void scan() {
        while (true) {
            if (pos >= text.length()) {
                nextKind = AscToken.EOF;
                nextStart = nextEnd = text.length();
                nextLine = line;
                return;
            }
            int start = pos;
            int startLine = line;
            AscToken kind = lex();
            for (int i = start; i < pos; i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            if (kind != AscToken.WS && kind != AscToken.NEWLINE && kind != AscToken.COMMENT) {
                nextKind = kind;
                nextStart = start;
                nextEnd = pos;
                nextLine = startLine;
                return;
            }
        }
    }

    private AscToken lex() {
        char c = text.charAt(pos);
        switch (c) {
            case '\n':
                pos++;
                return AscToken.NEWLINE;
            case ' ', '\t', '\r':
                while (pos < text.length() && isBlank(text.charAt(pos))) {
                    pos++;
                }
                return AscToken.WS;
            case ';':
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
                return AscToken.COMMENT;
            case '(':
                pos++;
                return AscToken.LPAREN;
            case ')':
                if (pos + 1 < text.length() && text.charAt(pos + 1) == '>') {
                    pos += 2;
                    return AscToken.RSPINE;
                }
                pos++;
                return AscToken.RPAREN;
            case '<': {
                int p = pos + 1;
                while (p < text.length() && isBlank(text.charAt(p))) {
                    p++;
                }
                if (p < text.length() && text.charAt(p) == '(') {
                    pos = p + 1;
                    return AscToken.LSPINE;
                }
                pos++;
                return AscToken.UNKNOWN;
            }
            case ',':
                pos++;
                return AscToken.COMMA;
            case '|':
                pos++;
                return AscToken.PIPE;
            case '"': {
                int close = text.indexOf('"', pos + 1);
                pos = close < 0 ? pos + 1 : close + 1;
                return close < 0 ? AscToken.UNKNOWN : AscToken.STRING;
            }
            default:
                return lexWordOrNumber(c);
        }
    }

    private AscToken lexWordOrNumber(char c) {
        if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
            number.region(pos, text.length());
            if (number.lookingAt()) {
                pos = number.end();
                return AscToken.NUMBER;
            }
            pos++;
            return AscToken.UNKNOWN;
        }
        if (!isLetter(c)) {
            pos++;
            return AscToken.UNKNOWN;
        }
        int wordEnd = pos + 1;
        while (wordEnd < text.length() && (isLetter(text.charAt(wordEnd)) || isDigit(text.charAt(wordEnd)))) {
            wordEnd++;
        }
        int wordLength = wordEnd - pos >= 2 ? wordEnd - pos : 0;
        int bestLength = 0;
        AscToken best = null;
        for (int i = 0; i < keywords.length; i++) {
            Matcher m = keywords[i];
            m.region(pos, text.length());
            if (m.lookingAt() && m.end() - pos > bestLength) {
                bestLength = m.end() - pos;
                best = KEYWORDS.get(i).token();
            }
        }
        if (best != null && bestLength >= wordLength) {
            pos += bestLength;
            return best;
        }
        if (wordLength > 0) {
            pos = wordEnd;
            return AscToken.WORD;
        }
        pos++;
        return AscToken.UNKNOWN;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
