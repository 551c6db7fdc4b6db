package ai.videorl.common.synth;

import ai.videorl.common.data.Sample;
import ai.videorl.common.data.Solution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The questions about one synthetic video, one per {@link QuestionKind}, with everything a
 * manifest sample carries:
 *
 * <ul>
 *   <li>{@code temporal_grounding}: the claims a perfect reasoning cites, one per shape that
 *       matters, {@code "MM:SS-MM:SS": "a red circle is visible"}, the range in whole seconds
 *       covering the shape's interval (start rounded down, end up, so a video ending on a half
 *       second may have a claim ending just after it); shapes whose ranges coincide share one
 *       key, their sentences joined with "and".</li>
 *   <li>{@code facts}: short lower-case phrases that a perfect observation contains and from which
 *       the answer follows, e.g. {@code ["blue square", "appears first"]}; the reference
 *       observations contain them verbatim.</li>
 *   <li>{@code difficulty} on a 0-10 scale (higher is harder; generated values run 1-8), a heuristic: a base per kind (yes/no 1,
 *       first colour and count 2, when 3, grounded 4), +1 per shape beyond two, and what makes the
 *       decisive observation fine: first-colour +2 when the first two shapes appear 0.5 s apart,
 *       +1 at 1 s; count +0.5 per counted shape; yes/no +2 for a "no" whose colour is in the
 *       scene on another kind, +1 for a "yes"; when and grounded +0.5 per bound off the whole
 *       second, +1 when visible for at most 1.5 s.</li>
 * </ul>
 */
public final class QuestionGenerator {

    private static final String LETTERS = "ABCDEFGH";

    private QuestionGenerator() {
    }

    /** The questions about {@code video}, in {@link QuestionKind} order. */
    public static List<Question> questions(SynthVideo video) {
        List<Question> questions = new ArrayList<>();
        for (QuestionKind kind : QuestionKind.values()) {
            questions.add(new Question(kind, sample(video, kind)));
        }
        return List.copyOf(questions);
    }

    private static Sample sample(SynthVideo video, QuestionKind kind) {
        return switch (kind) {
            case FIRST_COLOUR -> firstColour(video, kind);
            case COUNT -> count(video, kind);
            case EXISTS -> exists(video, kind);
            case WHEN -> when(video, kind);
            case GROUNDED -> grounded(video, kind);
        };
    }

    private static Sample firstColour(SynthVideo video, QuestionKind kind) {
        List<SceneShape> ordered = video.scene().byAppearance();
        SceneShape first = ordered.get(0);
        List<String> options = new ArrayList<>();
        List<ShapeColour> colours = video.plan().options();
        for (int i = 0; i < colours.size(); i++) {
            options.add(LETTERS.charAt(i) + ". " + colours.get(i).word());
        }
        int answer = colours.indexOf(first.colour());
        if (answer < 0) {
            throw new IllegalArgumentException("the options " + colours + " lack the colour that appears first, "
                    + first.colour().word());
        }
        String letter = String.valueOf(LETTERS.charAt(answer));
        double gap = ordered.get(1).appear() - first.appear();
        double closeness = gap <= 0.5 ? 2 : gap <= 1.0 ? 1 : 0;
        return sample(video, kind, "Which colour appeared first?", options, new Solution.Text(letter),
                claims(ordered), List.of(first.name(), "appears first"), 2 + crowd(video) + closeness);
    }

    private static Sample count(SynthVideo video, QuestionKind kind) {
        ShapeKind counted = video.plan().countKind();
        List<SceneShape> shapes = video.scene().shapesOf(counted);
        Map<String, String> claims = claims(shapes);
        String fact = shapes.size() + " " + counted.plural();
        if (shapes.isEmpty()) {
            claims = Map.of(SynthText.clockRange(0, video.scene().format().durationSeconds()),
                    "no " + counted.word() + " is visible");
            fact = "no " + counted.word();
        } else if (shapes.size() == 1) {
            fact = "1 " + counted.word();
        }
        return sample(video, kind, "How many " + counted.plural() + " appeared?", List.of(),
                new Solution.Text(String.valueOf(shapes.size())), claims, List.of(fact),
                2 + crowd(video) + 0.5 * shapes.size());
    }

    private static Sample exists(SynthVideo video, QuestionKind kind) {
        String asked = video.plan().askedColour().word() + " " + video.plan().askedKind().word();
        SceneShape match = matchOf(video);
        boolean sameColourOtherKind = video.scene().shapeOf(video.plan().askedColour()).isPresent();
        double hardness = match != null ? 1 : sameColourOtherKind ? 2 : 0;
        return sample(video, kind, "Did a " + asked + " appear?", List.of(),
                new Solution.Text(match != null ? "yes" : "no"),
                claims(match != null ? List.of(match) : video.scene().shapes()),
                List.of(match != null ? "a " + asked + " appears" : "no " + asked), 1 + crowd(video) + hardness);
    }

    private static Sample when(SynthVideo video, QuestionKind kind) {
        SceneShape shape = whenShape(video);
        return sample(video, kind, "When was the " + shape.name() + " visible? Answer with [start, end] in seconds.",
                List.of(), new Solution.Segments(List.of(shape.interval())), claims(List.of(shape)),
                List.of(shape.name(), SynthText.fromTo(shape)), 3 + crowd(video) + timing(shape));
    }

    private static Sample grounded(SynthVideo video, QuestionKind kind) {
        SceneShape shape = groundedShape(video);
        return sample(video, kind, "What colour was the " + shape.kind().word()
                        + ", and when was it visible? Answer as colour <> [start, end].",
                List.of(), new Solution.Grounded(shape.colour().word(), shape.interval()), claims(List.of(shape)),
                List.of(shape.name(), SynthText.fromTo(shape)), 4 + crowd(video) + timing(shape));
    }

    /** The shape matching "Did a green triangle appear?", or null. */
    static SceneShape matchOf(SynthVideo video) {
        return video.scene().shapeOf(video.plan().askedColour())
                .filter(shape -> shape.kind() == video.plan().askedKind())
                .orElse(null);
    }

    /** The shape "When was the red circle visible?" asks about. */
    static SceneShape whenShape(SynthVideo video) {
        return video.scene().shapeOf(video.plan().whenColour()).orElseThrow(() -> new IllegalArgumentException(
                "the plan asks about the " + video.plan().whenColour().word() + " shape, which the scene lacks"));
    }

    /** The only shape of the grounded question's kind. */
    static SceneShape groundedShape(SynthVideo video) {
        List<SceneShape> shapes = video.scene().shapesOf(video.plan().groundedKind());
        if (shapes.size() != 1) {
            throw new IllegalArgumentException("the grounded question needs exactly one " + video.plan().groundedKind().word()
                    + ", the scene has " + shapes.size());
        }
        return shapes.get(0);
    }

    /** The claims for {@code shapes}: one whole-second range each, coinciding ranges sharing a key. */
    static Map<String, String> claims(List<SceneShape> shapes) {
        Map<String, String> claims = new LinkedHashMap<>();
        for (SceneShape shape : shapes) {
            claims.merge(SynthText.clockRange(shape.appear(), shape.disappear()), "a " + shape.name() + " is visible",
                    (earlier, added) -> earlier + " and " + added);
        }
        return claims;
    }

    /** Difficulty from the number of shapes: +1 per shape beyond two. */
    private static double crowd(SynthVideo video) {
        return video.scene().shapes().size() - SceneGenerator.MIN_SHAPES;
    }

    /** Difficulty from a shape's interval: +0.5 per bound off the whole second, +1 when it is short. */
    private static double timing(SceneShape shape) {
        double offGrid = (shape.appear() % 1 != 0 ? 0.5 : 0) + (shape.disappear() % 1 != 0 ? 0.5 : 0);
        return offGrid + (shape.disappear() - shape.appear() <= 1.5 ? 1 : 0);
    }

    private static Sample sample(SynthVideo video, QuestionKind kind, String problem, List<String> options,
                                 Solution solution, Map<String, String> claims, List<String> facts, double difficulty) {
        return new Sample(video.id() + "-" + kind.idSuffix(), video.videoPath(), problem, kind.problemType(), options,
                solution, claims, facts, OptionalDouble.of(difficulty));
    }
}
