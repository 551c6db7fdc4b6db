package ai.videorl.common.synth;

import ai.videorl.common.error.VideoRlException;

import java.util.Arrays;
import java.util.List;

/**
 * The colours of synthetic shapes: few and far apart, so that a tiny model looking at 32x32
 * downsampled frames, after lossy H.264, still tells them apart: any two colours, and any colour
 * and the dark background, differ by at least 175 in some channel.
 */
public enum ShapeColour {
    RED("red", 0xE61E1E),
    GREEN("green", 0x28C828),
    BLUE("blue", 0x2D5AFF),
    YELLOW("yellow", 0xF0DC1E),
    WHITE("white", 0xF0F0F0),
    MAGENTA("magenta", 0xDC32DC);

    private final String word;
    private final int rgb;

    ShapeColour(String word, int rgb) {
        this.word = word;
        this.rgb = rgb;
    }

    /** The colour's name in questions and answers, e.g. "red". */
    public String word() {
        return word;
    }

    /** Packed {@code 0xRRGGBB}. */
    public int rgb() {
        return rgb;
    }

    /** The colour named {@code word}; errors list the valid names. */
    public static ShapeColour of(String word) {
        for (ShapeColour colour : values()) {
            if (colour.word.equals(word)) {
                return colour;
            }
        }
        throw VideoRlException.invalidField("colour", "unknown colour '" + word + "'; expected one of "
                + Arrays.stream(values()).map(ShapeColour::word).toList());
    }

    /** Every colour, in declaration order. */
    public static List<ShapeColour> all() {
        return List.of(values());
    }
}
