package org.nifimemmap.morphology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Reads Neurolucida ASC the way MorphIO 3.4 ({@code readers/morphologyASC.cpp}) does. Top-level
 * s-expressions typed {@code (Axon)}, {@code (Apical)}, {@code (Dendrite)} are neurites, {@code (CellBody)}
 * or {@code "CellBody"} is the soma contour, anything else (markers, named strings, images) is skipped.
 * Inside a neurite, {@code ( a | b )} opens child sections; a child that does not start at its parent's
 * last point gets that point prepended with the child's own first diameter; a child made only of that
 * point is dropped and its branches go to the parent. Spines {@code <( ... )>}, colours, fonts, markers
 * and end-of-branch words (Normal, Incomplete, ...) are skipped.
 *
 * <p>MorphIO parses recursively; this parser keeps its branch stack on the heap and refuses input nested
 * deeper than {@link #MAX_DEPTH} levels instead of overflowing the thread stack.
 */
public final class AscReader {
    /** Deepest branch nesting accepted; real reconstructions stay below a few hundred levels. */
    public static final int MAX_DEPTH = 10_000;

    private enum HeaderKind {
        /** Points of a marker or a named string: read but not kept. */
        MARKER,
        SOMA,
        NEURITE
    }

    private record Header(HeaderKind kind, int sectionType, int parent) {
        Header withParent(int p) {
            return new Header(kind, sectionType, p);
        }
    }

    private enum FrameKind {
        ROOT,
        BRANCH,
        MARKER
    }

    /** One {@code parse_neurite_section} call of MorphIO's recursive parser. */
    private static final class Frame {
        final FrameKind kind;
        final Header header;
        final FloatList points = new FloatList();
        final FloatList diameters = new FloatList();
        int sectionId;

        Frame(FrameKind kind, Header header, int sectionId) {
            this.kind = kind;
            this.header = header;
            this.sectionId = sectionId;
        }
    }

    public Morphology read(Path file) {
        return parse(file.toString(), MorphologyFiles.readText(file));
    }

    public Morphology parse(String source, String text) {
        return new Parser(source, text).parse();
    }

    static MemmapException error(String source, int line, String message) {
        return new MemmapException(ErrorKind.INVALID_INPUT, source + ":" + line + ": " + message);
    }

    private static final class Parser {
        private final String source;
        private final AscLexer lex;
        private final SectionTree tree = new SectionTree();
        private float[] somaPoints;
        private float[] somaDiameters;

        Parser(String source, String text) {
            this.source = source;
            this.lex = new AscLexer(text);
        }

        Morphology parse() {
            while (!lex.ended()) {
                if (lex.current() == AscToken.LPAREN) {
                    consume();
                    Header header = rootHeader();
                    if (lex.current() != AscToken.RPAREN) {
                        parseSections(header);
                    }
                }
                if (!lex.ended()) {
                    consume();
                }
            }
            return tree.build(source, soma());
        }

        private Soma soma() {
            if (somaPoints == null) {
                return new Soma(SomaType.UNDEFINED, new float[0], new float[0]);
            }
            return switch (somaDiameters.length) {
                case 1 -> throw new MemmapException(ErrorKind.INVALID_INPUT, source
                        + ": Morphology contour with only a single point is not valid");
                case 2 -> new Soma(SomaType.UNDEFINED, somaPoints, somaDiameters);
                default -> new Soma(SomaType.SIMPLE_CONTOUR, somaPoints, somaDiameters);
            };
        }

        /** MorphIO's {@code parse_root_sexp_header}: reads up to the first point or the closing paren. */
        private Header rootHeader() {
            HeaderKind kind = HeaderKind.MARKER;
            int sectionType = 0;
            while (true) {
                AscToken id = lex.current();
                AscToken peek = lex.peek();
                if (id == AscToken.EOF) {
                    throw error(source, lex.line(), "Hit end of file while consuming a neurite");
                } else if (id == AscToken.MARKER) {
                    consume();
                } else if (id == AscToken.WORD) {
                    skipBalanced();
                    expectAndConsume(AscToken.LPAREN, "after a named block");
                } else if (id == AscToken.STRING) {
                    String label = lex.currentText();
                    label = label.substring(1, label.length() - 1).toUpperCase(Locale.ROOT).replace(" ", "");
                    // Early Neurolucida files name the soma with a string (BlueBrain/MorphIO#300).
                    if (label.equals("CELLBODY")) {
                        kind = HeaderKind.SOMA;
                    }
                    consume();
                } else if (id == AscToken.RPAREN) {
                    return new Header(kind, sectionType, -1);
                } else if (id == AscToken.LPAREN) {
                    if (peek.startsSkippedSexp()) {
                        skipBalanced();
                        if (peek == AscToken.FONT) {
                            skipBalanced();
                        }
                    } else if (peek.isNeuriteType()) {
                        if (peek == AscToken.CELLBODY) {
                            kind = HeaderKind.SOMA;
                        } else {
                            kind = HeaderKind.NEURITE;
                            sectionType = sectionType(peek);
                        }
                        consume();
                        consume();
                        expectAndConsume(AscToken.RPAREN, "New Neurite should end in RPAREN");
                    } else if (peek == AscToken.NUMBER) {
                        return new Header(kind, sectionType, -1);
                    } else {
                        throw error(source, lex.line(), "Unexpected token: " + lex.peekText());
                    }
                } else {
                    throw error(source, lex.line(), "Unexpected token: " + lex.currentText());
                }
            }
        }

        private static int sectionType(AscToken t) {
            return switch (t) {
                case AXON -> 2;
                case DENDRITE -> 3;
                case APICAL -> 4;
                default -> throw new IllegalStateException(t.name());
            };
        }

        /**
         * MorphIO's mutually recursive {@code parse_neurite_section} / {@code parse_neurite_branch}, run on
         * an explicit stack of frames, one frame per open section.
         */
        private void parseSections(Header rootHeader) {
            Deque<Frame> stack = new ArrayDeque<>();
            stack.push(new Frame(FrameKind.ROOT, rootHeader, tree.size()));
            while (!stack.isEmpty()) {
                Frame f = stack.peek();
                AscToken id = lex.current();
                AscToken peek = lex.peek();
                if (id == AscToken.EOF) {
                    throw error(source, lex.line(), "Hit end of file while consuming a neurite");
                } else if (id.endsSection()) {
                    if (!f.points.isEmpty()) {
                        createSection(f);
                    }
                    stack.pop();
                    if (f.kind == FrameKind.MARKER) {
                        expectAndConsume(AscToken.RPAREN, "Marker should end with RPAREN");
                    } else if (f.kind == FrameKind.BRANCH) {
                        if (id == AscToken.PIPE) {
                            consume();
                            stack.push(new Frame(FrameKind.BRANCH, f.header, tree.size()));
                        } else {
                            consume();
                        }
                    }
                } else if (id.endsBranch()) {
                    if (id == AscToken.INCOMPLETE && !peek.endsSection()) {
                        throw error(source, lex.line(), "Unexpected token: " + lex.peekText()
                                + " after Incomplete: 'Incomplete' tag must finish the branch.");
                    }
                    consume();
                } else if (id == AscToken.LSPINE) {
                    while (!lex.ended() && lex.current() != AscToken.RSPINE) {
                        consume();
                    }
                    expectAndConsume(AscToken.RSPINE, "Must be end of spine");
                } else if (id == AscToken.LPAREN) {
                    if (peek.startsSkippedSexp()) {
                        skipBalanced();
                    } else if (peek == AscToken.MARKER) {
                        do {
                            consume();
                        } while (lex.current() != AscToken.LPAREN);
                        push(stack, new Frame(FrameKind.MARKER,
                                new Header(HeaderKind.MARKER, 0, f.sectionId), tree.size()));
                    } else if (peek == AscToken.NUMBER) {
                        readPoint(f);
                    } else if (peek == AscToken.LPAREN) {
                        if (!f.points.isEmpty()) {
                            f.sectionId = createSection(f);
                        }
                        Header child = f.header.withParent(f.sectionId);
                        expectAndConsume(AscToken.LPAREN, "New branch should start with LPAREN");
                        push(stack, new Frame(FrameKind.BRANCH, child, tree.size()));
                    } else {
                        throw error(source, lex.line(), "Unexpected token: " + lex.peekText());
                    }
                } else if (id == AscToken.STRING) {
                    consume();
                } else {
                    throw error(source, lex.line(), "Unexpected token: " + lex.currentText());
                }
            }
        }

        private void push(Deque<Frame> stack, Frame frame) {
            if (stack.size() >= MAX_DEPTH) {
                throw error(source, lex.line(), "Branches nested deeper than " + MAX_DEPTH + " levels");
            }
            stack.push(frame);
        }

        /** MorphIO's {@code parse_point}: {@code (x y z d [word])}; markers may omit the diameter. */
        private void readPoint(Frame f) {
            boolean marker = f.header.kind() == HeaderKind.MARKER;
            float[] v = new float[4];
            for (int i = 0; i < 4; i++) {
                consume();
                if (lex.current() != AscToken.NUMBER) {
                    throw error(source, lex.line(), "Error converting: \"" + lex.currentText() + "\" to float");
                }
                v[i] = Float.parseFloat(lex.currentText());
                if (marker && i == 2 && lex.peek() == AscToken.RPAREN) {
                    break;
                }
            }
            consume();
            if (lex.current() == AscToken.WORD) {
                consume();
            }
            expectAndConsume(AscToken.RPAREN, "Point should end in RPAREN");
            f.points.add(v[0], v[1], v[2]);
            f.diameters.add(v[3]);
        }

        /** MorphIO's {@code _create_soma_or_section}; returns the id children should attach to. */
        private int createSection(Frame f) {
            Header h = f.header;
            int result = -1;
            if (h.kind() == HeaderKind.SOMA) {
                if (somaPoints != null) {
                    throw error(source, lex.line(), "A soma is already defined");
                }
                somaPoints = f.points.toArray();
                somaDiameters = f.diameters.toArray();
            } else if (h.kind() == HeaderKind.NEURITE) {
                if (h.parent() >= tree.size()) {
                    throw error(source, lex.line(), "A branch opens before any point of its section");
                }
                if (h.parent() >= 0) {
                    float[] parent = tree.points(h.parent());
                    int n = parent.length;
                    boolean duplicate = parent[n - 3] == f.points.get(0) && parent[n - 2] == f.points.get(1)
                            && parent[n - 1] == f.points.get(2);
                    if (!duplicate) {
                        // The parent's last point, with the child's first diameter (as NEURON does).
                        f.points.insertFront(new float[] {parent[n - 3], parent[n - 2], parent[n - 1]});
                        f.diameters.insertFront(new float[] {f.diameters.get(0)});
                    }
                }
                if (h.parent() >= 0 && f.diameters.size() == 1) {
                    // Only the duplicate of the parent's last point: no section (MorphIO
                    // test_single_point_section_duplicate_parent).
                    result = h.parent();
                } else {
                    result = tree.append(h.parent(), h.sectionType(), f.points.toArray(), f.diameters.toArray());
                }
            }
            f.points.clear();
            f.diameters.clear();
            return result;
        }

        private void consume() {
            lex.consume(source);
        }

        private void expectAndConsume(AscToken expected, String what) {
            if (lex.current() != expected) {
                throw error(source, lex.line(), "Unexpected token: expected " + expected + " but got '"
                        + lex.currentText() + "' (" + what + ")");
            }
            consume();
        }

        /** MorphIO's {@code consume_until_balanced_paren}: from an opening paren to past its match. */
        private void skipBalanced() {
            int open = 1;
            while (open != 0) {
                consume();
                if (lex.current() == AscToken.RPAREN) {
                    open--;
                } else if (lex.current() == AscToken.LPAREN) {
                    open++;
                }
                if (lex.ended()) {
                    throw error(source, lex.line(), "Hit end of file before balanced parens");
                }
            }
            expectAndConsume(AscToken.RPAREN, "balanced s-expression");
        }
    }
}
