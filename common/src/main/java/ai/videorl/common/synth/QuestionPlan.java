package ai.videorl.common.synth;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What to ask about a scene. The scene generator draws the plan first and then builds a scene
 * that fits it, which is how answers come out balanced (see {@link SceneGenerator}); the answers
 * themselves are read off the scene by {@link QuestionGenerator}.
 *
 * @param options the four colours of "Which colour appeared first?", in option order A-D
 * @param countKind the kind of "How many circles appeared?"
 * @param askedColour the colour of "Did a green triangle appear?"
 * @param askedKind the kind of "Did a green triangle appear?"
 * @param whenColour the colour of the shape "When was the red circle visible?" asks about
 * @param groundedKind the kind of "What colour was the square, and when was it visible?"; exactly
 *        one shape of the scene has it
 */
public record QuestionPlan(List<ShapeColour> options, ShapeKind countKind, ShapeColour askedColour,
                           ShapeKind askedKind, ShapeColour whenColour, ShapeKind groundedKind) {

    /** Multiple-choice questions have options A-D. */
    public static final int OPTION_COUNT = 4;

    public QuestionPlan {
        options = List.copyOf(options);
        if (options.size() != OPTION_COUNT || new HashSet<>(options).size() != OPTION_COUNT) {
            throw new IllegalArgumentException("need " + OPTION_COUNT + " distinct option colours, got " + options);
        }
        Objects.requireNonNull(countKind, "countKind");
        Objects.requireNonNull(askedColour, "askedColour");
        Objects.requireNonNull(askedKind, "askedKind");
        Objects.requireNonNull(whenColour, "whenColour");
        Objects.requireNonNull(groundedKind, "groundedKind");
    }
}
