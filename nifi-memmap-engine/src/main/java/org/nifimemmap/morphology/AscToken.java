package org.nifimemmap.morphology;

/** Token kinds of MorphIO's Neurolucida lexer ({@code NeurolucidaLexer.inc}); UNKNOWN is a lone unmatched character. */
enum AscToken {
    EOF, NEWLINE, WS, COMMENT, LPAREN, RPAREN, LSPINE, RSPINE, COMMA, PIPE, WORD, STRING, NUMBER,
    AXON, APICAL, DENDRITE, CELLBODY, COLOR, FONT, MARKER,
    GENERATED, HIGH, INCOMPLETE, LOW, NORMAL, MIDPOINT, ORIGIN, UNKNOWN;

    boolean endsBranch() {
        return this == GENERATED || this == HIGH || this == INCOMPLETE || this == LOW || this == NORMAL
                || this == MIDPOINT || this == ORIGIN;
    }

    boolean isNeuriteType() {
        return this == AXON || this == APICAL || this == DENDRITE || this == CELLBODY;
    }

    boolean endsSection() {
        return this == RPAREN || this == PIPE;
    }

    /** S-expressions MorphIO skips whole when they open with this token. */
    boolean startsSkippedSexp() {
        return this == WORD || this == COLOR || this == GENERATED || this == HIGH || this == INCOMPLETE
                || this == LOW || this == NORMAL || this == FONT;
    }
}
