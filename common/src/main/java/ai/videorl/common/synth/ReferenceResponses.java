package ai.videorl.common.synth;

import ai.videorl.common.data.ProblemType;
import ai.videorl.common.recipe.VideoAutoR1;
import ai.videorl.common.recipe.VideoP2R;
import ai.videorl.common.recipe.VideoR2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reference responses written from a scene's ground truth, in each recipe's template, for the
 * supervised warm start. They use a small fixed set of sentence patterns (a tiny policy with a
 * word-level vocabulary learns from them) and run 15-60 words:
 *
 * <ul>
 *   <li>videop2r: {@code <observation>Based on the question, I need to notice FOCUS. OBSERVED</observation>
 *       <think>CONCLUSION</think><answer>ANSWER</answer>}: the observation contains every fact of
 *       the sample verbatim.</li>
 *   <li>videoauto-r1: {@code \boxed{A1}<think>CONCLUSION</think>\boxed{ANSWER}}: the thinking is the
 *       conclusion alone, read from the frames right after the question it restates. A1 is the
 *       answer itself for yes/no questions, which recognising one shape settles, and the fallback
 *       phrase "Let's analyze the problem step by step." for every other kind, which needs the
 *       whole video scanned and ordered, counted or timed first. Multiple choice falls back too:
 *       mapping the first colour to its option letter before any reasoning is exactly where a tiny
 *       prototype policy failed (docs/experiments/README.md, Calibration), and a letter derived
 *       from the thinking is its suggested fix. {@link #DIRECT} is the one place to change that
 *       rule. Until 2026-12-05 the thinking opened with the whole {@link #caption} and concluded by
 *       a lookup in it: the warm start was no more accurate for it and every rollout was 2.4 times
 *       as long (docs/experiments/demo-log.md).</li>
 *   <li>video-r2: {@code <think>At MM:SS-MM:SS CLAIM. … CONCLUSION</think><answer>ANSWER</answer>}:
 *       the thinking cites exactly the sample's temporal-grounding claims, then concludes with the
 *       precise times.</li>
 * </ul>
 *
 * The conclusion, shared by the three templates, first names what the question asks about in the
 * question's own words, then the caption's entry for it, word for word: "So blue square 0.0-2.0."
 * (when), "So triangle: yellow triangle 2.0-3.0." (grounded), "So green square none: no."
 * (yes/no), "So squares: 1 blue square, 2 red square. 2 squares appeared." (count: the matching
 * shapes numbered, so the count is the last number written), "So blue appears first, option A."
 * (multiple choice). Restating the question's words puts them right before the answer: a copy a
 * small transformer learns early, where a conclusion in other words ("it appears at 0.0 s") left
 * the warm start answering about whatever shape it liked (docs/experiments/demo-log.md).
 *
 * <p>Answers: an option letter, digits, yes/no, {@code [1.5, 3.0]}, {@code red <> [1.5, 3.0]}.
 */
public final class ReferenceResponses {

    /** Problem types whose VideoAuto-R1 reference answers in the first box instead of falling back. */
    public static final Set<ProblemType> DIRECT = Set.of(ProblemType.EXACT_MATCH);

    static final String PERCEPTION_OPENING = "Based on the question, I need to notice ";

    /**
     * Opens the caption, so that its first colour is a word after a space (" red") like every
     * other colour in the caption, the questions and the conclusions: the tokenizer spells a word
     * at the start of a text differently ("red"), and the caption stage would teach the first
     * shape's colour as a token the conclusions never use.
     */
    static final String CAPTION_OPENING = "I see ";

    private ReferenceResponses() {
    }

    /** What the reasoning says: what to look for, what was seen, what follows. */
    private record Reasoning(String focus, List<String> observed, List<String> concluded) {
    }

    /** The three reference responses for {@code question} about {@code video}. */
    public static References of(SynthVideo video, Question question) {
        Reasoning reasoning = reasoning(video, question);
        String answer = question.sample().solution().answerText();
        String observed = String.join(" ", reasoning.observed());
        String concluded = String.join(" ", reasoning.concluded());
        List<String> cited = new ArrayList<>();
        question.sample().temporalGrounding().forEach((time, claim) -> cited.add("At " + time + " " + claim + "."));

        Map<String, String> responses = new LinkedHashMap<>();
        responses.put(VideoP2R.NAME, "<observation>" + PERCEPTION_OPENING + reasoning.focus() + ". " + observed
                + "</observation> <think>" + concluded + "</think><answer>" + answer + "</answer>");
        String first = DIRECT.contains(question.sample().problemType()) ? answer : VideoAutoR1.FALLBACK_PHRASE;
        responses.put(VideoAutoR1.NAME, "\\boxed{" + first + "}<think>" + concluded + "</think>\\boxed{" + answer + "}");
        responses.put(VideoR2.NAME, "<think>" + String.join(" ", cited) + " " + concluded + "</think><answer>"
                + answer + "</answer>");
        return new References(question.sample().id(), responses, caption(video),
                video.scene().byAppearance().stream().map(VisibleObject::of).toList());
    }

    /**
     * Every shape of the video and when it is visible, in order of appearance, as briefly as
     * the words allow ("blue square 0.0-2.0, red circle 1.5-3.0."): every word of it is
     * perception, which SFT's caption stage teaches before the templates. The conclusions name a
     * shape the same way.
     */
    static String caption(SynthVideo video) {
        List<String> entries = new ArrayList<>();
        for (SceneShape shape : video.scene().byAppearance()) {
            entries.add(entry(shape));
        }
        return CAPTION_OPENING + String.join(", ", entries) + ".";
    }

    /** A shape as the caption names it, "blue square 0.0-2.0"; conclusions name it so too. */
    private static String entry(SceneShape shape) {
        return shape.name() + " " + SynthText.seconds(shape.appear()) + "-" + SynthText.seconds(shape.disappear());
    }

    private static Reasoning reasoning(SynthVideo video, Question question) {
        return switch (question.kind()) {
            case FIRST_COLOUR -> firstColour(video, question);
            case COUNT -> count(video);
            case EXISTS -> exists(video);
            case WHEN -> when(video);
            case GROUNDED -> grounded(video);
        };
    }

    private static Reasoning firstColour(SynthVideo video, Question question) {
        List<SceneShape> ordered = video.scene().byAppearance();
        SceneShape first = ordered.get(0);
        List<String> observed = new ArrayList<>();
        observed.add("The " + first.name() + " appears first, at " + SynthText.seconds(first.appear()) + " s.");
        for (SceneShape shape : ordered.subList(1, ordered.size())) {
            observed.add("The " + shape.name() + " appears at " + SynthText.seconds(shape.appear()) + " s.");
        }
        String letter = question.sample().solution().answerText();
        return new Reasoning("which colour appears first", observed,
                List.of("So " + first.colour().word() + " appears first, option " + letter + "."));
    }

    private static Reasoning count(SynthVideo video) {
        ShapeKind kind = video.plan().countKind();
        List<SceneShape> shapes = video.scene().shapesOf(kind);
        List<String> seen = new ArrayList<>();
        for (SceneShape shape : shapes) {
            seen.add("the " + shape.name() + " at " + SynthText.seconds(shape.appear()) + " s");
        }
        String observed = switch (shapes.size()) {
            case 0 -> "I see no " + kind.word() + ".";
            case 1 -> "I see 1 " + kind.word() + ": " + seen.get(0) + ".";
            default -> "I see " + shapes.size() + " " + kind.plural() + ": " + SynthText.list(seen) + ".";
        };
        List<String> numbered = new ArrayList<>();
        for (SceneShape shape : shapes) {
            numbered.add((numbered.size() + 1) + " " + shape.name());
        }
        return new Reasoning("every " + kind.word(), List.of(observed), List.of(
                "So " + kind.plural() + ": " + (numbered.isEmpty() ? "none" : String.join(", ", numbered)) + ".",
                shapes.size() + " " + (shapes.size() == 1 ? kind.word() : kind.plural()) + " appeared."));
    }

    private static Reasoning exists(SynthVideo video) {
        String asked = video.plan().askedColour().word() + " " + video.plan().askedKind().word();
        SceneShape match = QuestionGenerator.matchOf(video);
        String focus = "whether a " + asked + " appears";
        if (match != null) {
            return new Reasoning(focus, List.of("A " + asked + " appears at " + SynthText.seconds(match.appear()) + " s."),
                    List.of("So " + entry(match) + ": yes."));
        }
        List<String> seen = new ArrayList<>();
        for (SceneShape shape : video.scene().byAppearance()) {
            seen.add("a " + shape.name());
        }
        return new Reasoning(focus, List.of("I see no " + asked + ".", "I see " + SynthText.list(seen) + "."),
                List.of("So " + asked + " none: no."));
    }

    private static Reasoning when(SynthVideo video) {
        SceneShape shape = QuestionGenerator.whenShape(video);
        return new Reasoning("when the " + shape.name() + " is visible",
                List.of("The " + shape.name() + " is visible " + SynthText.fromTo(shape) + "."),
                List.of("So " + entry(shape) + "."));
    }

    private static Reasoning grounded(SynthVideo video) {
        SceneShape shape = QuestionGenerator.groundedShape(video);
        String kind = shape.kind().word();
        String colour = shape.colour().word();
        return new Reasoning("the colour of the " + kind + " and when it is visible",
                List.of("The " + kind + " is " + colour + ".", "The " + shape.name() + " is visible " + SynthText.fromTo(shape) + "."),
                List.of("So " + kind + ": " + entry(shape) + "."));
    }
}
