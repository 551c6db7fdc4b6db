package ai.videorl.common.synth;

import ai.videorl.common.error.VideoRlException;

import java.util.Arrays;
import java.util.List;

/** The kinds of shape a synthetic scene holds; {@link #word()} is how questions and answers name them. */
public enum ShapeKind {
    CIRCLE("circle"),
    SQUARE("square"),
    TRIANGLE("triangle");

    private final String word;

    ShapeKind(String word) {
        this.word = word;
    }

    /** The singular noun, e.g. "circle". */
    public String word() {
        return word;
    }

    /** The plural noun, e.g. "circles". */
    public String plural() {
        return word + "s";
    }

    /** The kind named {@code word}; errors list the valid words. */
    public static ShapeKind of(String word) {
        for (ShapeKind kind : values()) {
            if (kind.word.equals(word)) {
                return kind;
            }
        }
        throw VideoRlException.invalidField("kind", "unknown shape kind '" + word + "'; expected one of "
                + Arrays.stream(values()).map(ShapeKind::word).toList());
    }

    /** Every kind, in declaration order. */
    public static List<ShapeKind> all() {
        return List.of(values());
    }
}
