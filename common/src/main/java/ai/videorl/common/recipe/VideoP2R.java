package ai.videorl.common.recipe;

import ai.videorl.common.data.ProblemType;
import ai.videorl.common.judge.JudgeQuestion;
import ai.videorl.common.judge.JudgeTerms;
import ai.videorl.common.metric.TaskMetric;
import ai.videorl.common.metric.TaskMetrics;
import ai.videorl.common.reward.RewardInput;
import ai.videorl.common.reward.RewardServices;
import ai.videorl.common.reward.RewardTerm;
import ai.videorl.common.reward.RewardTerms.Weight;
import ai.videorl.common.text.Span;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static ai.videorl.common.reward.RewardTerms.pointwise;
import static ai.videorl.common.reward.RewardTerms.weight;

/**
 * VideoP2R, perception then reasoning (arXiv 2511.11113). Template:
 * {@code <observation>…</observation> <think>…</think><answer>…</answer>}.
 *
 * <p>Rewards are per segment: perception P = the observation block, reasoning R = everything
 * after it (think + answer). {@code R_k = accuracy_k + format_k + length_k}, total = R_P + R_R.
 * {@code length_k} is 0.2 when the segment's accuracy and format are both non-zero and its token
 * count is in [128, 320] (P) or [320, 512] (R). The perception accuracy needs a judge, which
 * sees the question, the correct answer and only the observation; without one it counts as 0,
 * and so does the perception length bonus.
 *
 * <p>Format: P is well formed when the completion opens (after whitespace) with one observation
 * block; R when the rest is exactly a think block and an answer block, whitespace between. No
 * block may contain a template tag (stricter than the reference's lazy {@code .*?}, which lets
 * "{@code <answer>a</answer><answer>b</answer>}" through as one answer). The answer scored is the
 * first answer block of R, trimmed.
 *
 * <p>Task metric by problem type (accuracy_R, in [0, 1]): option letter for multiple_choice,
 * exact number for numerical, 1 − WER for ocr, mean ROUGE-1/2/L F1 for free_form, 1 − relative
 * error for regression; outside the paper's types: exact_match normalisation, math equivalence,
 * IoU, and grounded QA halved to [0, 1].
 */
public final class VideoP2R implements Recipe<VideoP2R.Parsed> {

    public static final String NAME = "videop2r";

    public static final String ACCURACY_PERCEPTION = "accuracy_perception";
    public static final String FORMAT_PERCEPTION = "format_perception";
    public static final String FORMAT_REASONING = "format_reasoning";
    public static final String ACCURACY_REASONING = "accuracy_reasoning";
    public static final String LENGTH_PERCEPTION = "length_perception";
    public static final String LENGTH_REASONING = "length_reasoning";

    static final double LENGTH_BONUS = 0.2;
    static final int PERCEPTION_MIN_TOKENS = 128;
    static final int PERCEPTION_MAX_TOKENS = 320;
    static final int REASONING_MIN_TOKENS = 320;
    static final int REASONING_MAX_TOKENS = 512;

    private static final List<String> VOCABULARY = List.of(Tags.OBSERVATION, Tags.THINK, Tags.ANSWER);

    private final RewardServices services;

    /** Without a judge: no perception accuracy (it counts as 0). */
    public VideoP2R() {
        this(RewardServices.NONE);
    }

    /** With {@code services}' judge, if any, for the perception accuracy. */
    public VideoP2R(RewardServices services) {
        this.services = Objects.requireNonNull(services, "services");
    }

    /**
     * A parsed completion.
     *
     * @param observation the observation text (trimmed), "" when P is not well formed; what a perception judge sees
     * @param think the first think block of R (trimmed), or ""
     * @param finalAnswer the first answer block of R (trimmed), or ""
     * @param perception P's characters: up to the end of the first {@code </observation>}, empty when there is none
     * @param reasoning R's characters: the rest of the completion
     * @param observationSpan the observation's content characters when P is well formed, else null
     * @param thinkSpan the content characters of R's first think block, or null
     * @param answerSpan the content characters of R's first answer block, or null
     * @param perceptionWellFormed P is one observation block
     * @param reasoningWellFormed R is one think block and one answer block
     */
    public record Parsed(String observation, String think, String finalAnswer, Span perception, Span reasoning,
                         Span observationSpan, Span thinkSpan, Span answerSpan,
                         boolean perceptionWellFormed, boolean reasoningWellFormed) implements ParsedCompletion {

        @Override
        public Map<Segment, Span> segments() {
            Map<Segment, Span> segments = new EnumMap<>(Segment.class);
            segments.put(Segment.PERCEPTION, perception);
            segments.put(Segment.REASONING, reasoning);
            return segments;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String instructions() {
        return "First, inside <observation></observation>, describe in one paragraph what in the video matters for "
                + "the question, beginning with \"Based on the question, I need to notice\". Then reason from your "
                + "observation inside <think></think>. Then give only the concise answer inside <answer></answer>.";
    }

    @Override
    public Parsed parse(String completion) {
        int n = completion.length();
        String close = Tags.close(Tags.OBSERVATION);
        int closeAt = completion.indexOf(close);
        int boundary = closeAt < 0 ? 0 : closeAt + close.length();
        boolean perceptionWellFormed = boundary > 0
                && Tags.isExactly(completion, 0, boundary, List.of(Tags.OBSERVATION), VOCABULARY);
        boolean reasoningWellFormed = Tags.isExactly(completion, boundary, n, List.of(Tags.THINK, Tags.ANSWER), VOCABULARY);
        Tags.Block observation = perceptionWellFormed ? Tags.first(completion, Tags.OBSERVATION, 0, boundary) : null;
        Tags.Block think = Tags.first(completion, Tags.THINK, boundary, n);
        Tags.Block answer = Tags.first(completion, Tags.ANSWER, boundary, n);
        return new Parsed(Tags.contentOf(completion, observation), Tags.contentOf(completion, think),
                Tags.contentOf(completion, answer), new Span(0, boundary), new Span(boundary, n),
                Tags.contentSpan(observation), Tags.contentSpan(think), Tags.contentSpan(answer),
                perceptionWellFormed, reasoningWellFormed);
    }

    @Override
    public List<RewardTerm<Parsed>> scoredTerms() {
        List<RewardTerm<Parsed>> terms = new ArrayList<>(List.of(
                pointwise(FORMAT_PERCEPTION, (input, earlier) -> input.parsed().perceptionWellFormed() ? 1 : 0),
                pointwise(FORMAT_REASONING, (input, earlier) -> input.parsed().reasoningWellFormed() ? 1 : 0),
                pointwise(ACCURACY_REASONING, (input, earlier) -> metricFor(input.sample().problemType())
                        .scoreExtracted(input.parsed().finalAnswer(), input.sample()))));
        if (services.judge().isPresent()) {
            // The judge sees the question, the correct answer and ONLY the observation.
            terms.add(JudgeTerms.verdict(ACCURACY_PERCEPTION, List.of(FORMAT_PERCEPTION), input ->
                    input.parsed().observation().isEmpty() ? Optional.empty()
                            : Optional.of(new JudgeQuestion.Perception(input.sample().problem(),
                                    input.sample().solution().answerText(), input.parsed().observation(), input.sample().facts())),
                    services.judge().get(), services.failurePolicy()));
            terms.add(pointwise(LENGTH_PERCEPTION, List.of(FORMAT_PERCEPTION, ACCURACY_PERCEPTION), (input, earlier) ->
                    lengthBonus(earlier.get(FORMAT_PERCEPTION) > 0 && earlier.get(ACCURACY_PERCEPTION) > 0, input,
                            input.parsed().perception(), PERCEPTION_MIN_TOKENS, PERCEPTION_MAX_TOKENS)));
        } else {
            // len_P also needs acc_P, which only a judge gives: without one it is 0, so padding an
            // observation to 128 tokens earns nothing.
            terms.add(pointwise(LENGTH_PERCEPTION, List.of(FORMAT_PERCEPTION), (input, earlier) -> 0));
        }
        terms.add(pointwise(LENGTH_REASONING, List.of(FORMAT_REASONING, ACCURACY_REASONING), (input, earlier) ->
                lengthBonus(earlier.get(FORMAT_REASONING) > 0 && earlier.get(ACCURACY_REASONING) > 0,
                        input, input.parsed().reasoning(), REASONING_MIN_TOKENS, REASONING_MAX_TOKENS)));
        return terms;
    }

    /** R_P + R_R: every term of both segments' rewards. */
    @Override
    public List<Weight> totalWeights() {
        List<Weight> total = new ArrayList<>(segmentRewards().get(Segment.PERCEPTION));
        total.addAll(segmentRewards().get(Segment.REASONING));
        return total;
    }

    @Override
    public Map<Segment, List<Weight>> segmentRewards() {
        List<Weight> perception = new ArrayList<>();
        if (services.judge().isPresent()) {
            perception.add(weight(ACCURACY_PERCEPTION, 1));
        }
        perception.add(weight(FORMAT_PERCEPTION, 1));
        perception.add(weight(LENGTH_PERCEPTION, 1));
        return Map.of(
                Segment.PERCEPTION, List.copyOf(perception),
                Segment.REASONING, List.of(weight(ACCURACY_REASONING, 1), weight(FORMAT_REASONING, 1),
                        weight(LENGTH_REASONING, 1)));
    }

    /** The bonus when {@code earned} and the segment's token count is within [min, max]. */
    private static double lengthBonus(boolean earned, RewardInput<Parsed> input, Span segment, int min, int max) {
        if (!earned) {
            return 0;
        }
        int tokens = input.tokens().count(segment);
        return tokens >= min && tokens <= max ? LENGTH_BONUS : 0;
    }

    static TaskMetric metricFor(ProblemType type) {
        return switch (type) {
            case MULTIPLE_CHOICE -> TaskMetrics.OPTION_LETTER;
            case NUMERICAL -> TaskMetrics.NUMBER_EXACT;
            case OCR -> TaskMetrics.WORD_ACCURACY;
            case FREE_FORM -> TaskMetrics.ROUGE_MEAN;
            case REGRESSION -> TaskMetrics.RELATIVE_ACCURACY;
            case EXACT_MATCH -> TaskMetrics.EXACT_MATCH;
            case MATH -> TaskMetrics.MATH;
            case TEMPORAL_GROUNDING -> TaskMetrics.TEMPORAL_IOU;
            case GROUNDED_QA -> TaskMetrics.GROUNDED_MEAN;
        };
    }
}
