package ai.videorl.common.recipe;

import ai.videorl.common.data.ProblemType;
import ai.videorl.common.metric.TaskMetric;
import ai.videorl.common.metric.TaskMetrics;
import ai.videorl.common.reward.RewardInput;
import ai.videorl.common.reward.RewardTerm;
import ai.videorl.common.reward.RewardTerms.Weight;
import ai.videorl.common.text.PythonText;
import ai.videorl.common.text.Span;

import java.util.List;
import java.util.Map;

import static ai.videorl.common.reward.RewardTerms.pointwise;
import static ai.videorl.common.reward.RewardTerms.weight;

/**
 * VideoAuto-R1, "thinking once, answering twice" (arXiv 2601.05175). Template:
 * {@code \boxed{a1}<think>…</think>\boxed{a2}}; a1 is an immediate answer or the fallback phrase,
 * a2 the answer after thinking.
 *
 * <p>Reward: {@code 0.9·task(a1) + 1.1·task(a2) + 1.0·format + 0.3·fallback}, where fallback is 1
 * when a1 starts with "Let's analyze" and task(a2) > 0.7.
 *
 * <p>Task metric by problem type: exact_match for multiple_choice and exact_match (so "A." is
 * not "A", as in the paper); math equivalence for math and numerical; IoU for
 * temporal_grounding; exact_match + IoU (range [0, 2]) for grounded_qa. The paper has no OCR,
 * free-form or regression data; those use the shared metrics (1 − WER, ROUGE, relative
 * accuracy).
 */
public final class VideoAutoR1 implements Recipe<VideoAutoR1.Parsed> {

    public static final String NAME = "videoauto-r1";

    public static final String FORMAT = "format";
    public static final String ACCURACY_FIRST = "accuracy_first";
    public static final String ACCURACY_FINAL = "accuracy_final";
    public static final String FALLBACK = "fallback";

    /** What a1 says when the question needs reasoning. */
    public static final String FALLBACK_PHRASE = "Let's analyze the problem step by step.";
    static final String FALLBACK_PREFIX = "Let's analyze";
    static final double FALLBACK_MIN_FINAL_ACCURACY = 0.7;

    private static final List<String> THINK_TAGS = List.of(Tags.THINK);

    /**
     * A parsed completion.
     *
     * @param firstAnswer content of the only box before the first {@code <think>} (the whole text without
     *        one), stripped, or ""
     * @param firstAnswerSpan that content's characters, or null; its tokens give a1's confidence
     * @param finalAnswer content of the only box after the last {@code </think>} (the whole text without
     *        one), stripped, or ""
     * @param finalAnswerSpan that content's characters, or null
     * @param wellFormed the whole completion is box, one think pair, box, with only whitespace between
     * @param length the completion's length in characters
     */
    public record Parsed(String firstAnswer, Span firstAnswerSpan, String finalAnswer, Span finalAnswerSpan,
                         boolean wellFormed, int length) implements ParsedCompletion {

        /** True when a1 asks to reason instead of answering. */
        public boolean fellBack() {
            return firstAnswer.startsWith(FALLBACK_PREFIX);
        }

        @Override
        public Map<Segment, Span> segments() {
            return Map.of(Segment.RESPONSE, new Span(0, length));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String instructions() {
        return "First give your answer at once inside \\boxed{}, with no analysis. If you cannot answer without "
                + "reasoning, write \\boxed{" + FALLBACK_PHRASE + "} instead. Then think the question through inside "
                + "<think></think>. Then give your final answer inside \\boxed{} again: repeat the first answer if it "
                + "was right, otherwise correct it.";
    }

    @Override
    public Parsed parse(String completion) {
        int n = completion.length();
        int firstThink = completion.indexOf(Tags.THINK_OPEN);
        int lastThinkClose = completion.lastIndexOf(Tags.THINK_CLOSE);
        // As the reference splits: before the first <think> and after the last </think>, each the
        // whole text when the tag is missing (so "\boxed{yes}" alone answers twice).
        Span first = Boxes.only(completion, 0, firstThink < 0 ? n : firstThink);
        Span last = Boxes.only(completion, lastThinkClose < 0 ? 0 : lastThinkClose + Tags.THINK_CLOSE.length(), n);
        return new Parsed(textOf(completion, first), first, textOf(completion, last), last,
                isWellFormed(completion), n);
    }

    /** Whitespace, one box, whitespace, the only think pair, whitespace, one box, whitespace. */
    static boolean isWellFormed(String text) {
        int n = text.length();
        int firstThink = text.indexOf(Tags.THINK_OPEN);
        int lastThinkClose = text.lastIndexOf(Tags.THINK_CLOSE);
        // Exactly one pair in the whole text: no tag may hide inside a box either.
        if (firstThink < 0 || lastThinkClose < firstThink || text.lastIndexOf(Tags.THINK_OPEN) != firstThink
                || text.indexOf(Tags.THINK_CLOSE) != lastThinkClose) {
            return false;
        }
        int thinkEnd = lastThinkClose + Tags.THINK_CLOSE.length();
        return isOneBox(text, 0, firstThink)
                && Tags.isExactly(text, firstThink, thinkEnd, THINK_TAGS, THINK_TAGS)
                && isOneBox(text, thinkEnd, n);
    }

    /** text[from, to) is one box with only whitespace around it. */
    private static boolean isOneBox(String text, int from, int to) {
        int start = PythonText.skipSpace(text, from, to);
        if (!text.startsWith(Boxes.KEYWORD, start)) {
            return false;
        }
        List<Span> boxes = Boxes.find(text, start, to, 1);
        return boxes.size() == 1 && boxes.get(0).start() == start + Boxes.KEYWORD.length()
                && PythonText.skipSpace(text, boxes.get(0).end() + 1, to) == to;
    }

    private static String textOf(String completion, Span span) {
        return span == null ? "" : PythonText.strip(span.of(completion));
    }

    @Override
    public List<RewardTerm<Parsed>> scoredTerms() {
        return List.of(
                pointwise(FORMAT, (input, earlier) -> input.parsed().wellFormed() ? 1 : 0),
                pointwise(ACCURACY_FIRST, (input, earlier) -> task(input, input.parsed().firstAnswer())),
                pointwise(ACCURACY_FINAL, (input, earlier) -> task(input, input.parsed().finalAnswer())),
                pointwise(FALLBACK, List.of(ACCURACY_FINAL), (input, earlier) ->
                        input.parsed().fellBack() && earlier.get(ACCURACY_FINAL) > FALLBACK_MIN_FINAL_ACCURACY ? 1 : 0));
    }

    @Override
    public List<Weight> totalWeights() {
        return List.of(weight(ACCURACY_FIRST, 0.9), weight(ACCURACY_FINAL, 1.1), weight(FORMAT, 1.0), weight(FALLBACK, 0.3));
    }

    private static double task(RewardInput<Parsed> input, String answer) {
        return metricFor(input.sample().problemType()).scoreExtracted(answer, input.sample());
    }

    static TaskMetric metricFor(ProblemType type) {
        return switch (type) {
            case MULTIPLE_CHOICE, EXACT_MATCH -> TaskMetrics.EXACT_MATCH;
            case NUMERICAL, MATH -> TaskMetrics.MATH;
            case TEMPORAL_GROUNDING -> TaskMetrics.TEMPORAL_IOU;
            case GROUNDED_QA -> TaskMetrics.GROUNDED_SUM;
            case OCR -> TaskMetrics.WORD_ACCURACY;
            case FREE_FORM -> TaskMetrics.ROUGE_MEAN;
            case REGRESSION -> TaskMetrics.RELATIVE_ACCURACY;
        };
    }
}
