package ai.videorl.common.recipe;

import ai.videorl.common.data.ProblemType;
import ai.videorl.common.grounding.ClaimExtractor;
import ai.videorl.common.grounding.ClaimParser;
import ai.videorl.common.grounding.Embedder;
import ai.videorl.common.grounding.TemporalAlignment;
import ai.videorl.common.judge.JudgeFailurePolicy;
import ai.videorl.common.judge.JudgeQuestion;
import ai.videorl.common.judge.JudgeTerms;
import ai.videorl.common.metric.TaskMetric;
import ai.videorl.common.metric.TaskMetrics;
import ai.videorl.common.reward.RewardServices;
import ai.videorl.common.reward.RewardTerm;
import ai.videorl.common.reward.RewardTerms;
import ai.videorl.common.reward.RewardTerms.Weight;
import ai.videorl.common.text.PythonText;
import ai.videorl.common.text.Span;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static ai.videorl.common.reward.RewardTerms.pointwise;
import static ai.videorl.common.reward.RewardTerms.weight;

/**
 * Video-R2, temporal grounding inside reasoning (arXiv 2511.23478). Template:
 * {@code <think>…</think> <answer>…</answer>}, the reasoning citing video times as
 * {@code MM:SS}, {@code HH:MM:SS} or ranges {@code MM:SS-MM:SS}.
 *
 * <p>Reward: accuracy + format (weights 1, 1), plus — when a judge and an embedder are
 * configured — the temporal alignment reward gated by think–answer consistency:
 * {@code tar} (the think text's timestamped claims against the sample's, see
 * {@link TemporalAlignment}), {@code consistency} (the judge: does the reasoning support the
 * final answer; no answer means no gate), {@code tar_gated = consistency · tar}, weight 1.
 *
 * <p>Format, as the reference's full match: the completion is a think block, whitespace, an
 * answer block, and nothing else, not even surrounding whitespace ({@link #isWellFormed}). The
 * answer scored is the first answer block, stripped; the think text the first think block.
 *
 * <p>Task metric by problem type, taken from the data — never inferred from the answer's
 * spelling, which is the reference's bug (it treats any answer starting with a–e as multiple
 * choice): for multiple_choice the leading letter A–E as the reference reads it
 * ({@link ai.videorl.common.metric.LeadingLetter}); numerical: 0 when exactly one side has a
 * decimal point or comma, else equality at 2 decimals, commas dropped; regression
 * {@code 1 − (|p − t| + 1e-9) / (|t| + 1e-9)}, clipped; 1 − WER for ocr; mean ROUGE-1/2/L F1 for
 * free_form; outside the paper's types: exact_match normalisation, math equivalence, IoU, and
 * grounded QA halved to [0, 1].
 */
public final class VideoR2 implements Recipe<VideoR2.Parsed> {

    public static final String NAME = "video-r2";

    public static final String FORMAT = "format";
    public static final String ACCURACY = "accuracy";
    public static final String TAR = "tar";
    public static final String CONSISTENCY = "consistency";
    public static final String TAR_GATED = "tar_gated";

    private final RewardServices services;

    /** Accuracy and format only. */
    public VideoR2() {
        this(RewardServices.NONE);
    }

    /** With a judge and an embedder, the gated temporal alignment term joins the total. */
    public VideoR2(RewardServices services) {
        this.services = Objects.requireNonNull(services, "services");
    }

    /**
     * A parsed completion.
     *
     * @param think the first think block (trimmed), or ""; where timestamped claims are read from
     * @param finalAnswer the first answer block (trimmed), or ""
     * @param thinkSpan the characters of that think block's content, or null
     * @param answerSpan the characters of that answer block's content, or null
     * @param wellFormed exactly a think block then an answer block
     * @param length the completion's length in characters
     */
    public record Parsed(String think, String finalAnswer, Span thinkSpan, Span answerSpan, boolean wellFormed, int length)
            implements ParsedCompletion {

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
        return "Think the question through inside <think></think>, citing the video times you rely on as MM:SS, "
                + "or MM:SS-MM:SS for a span. Then give only the final answer inside <answer></answer>.";
    }

    @Override
    public Parsed parse(String completion) {
        int n = completion.length();
        Tags.Block think = Tags.first(completion, Tags.THINK, 0, n);
        Tags.Block answer = Tags.first(completion, Tags.ANSWER, 0, n);
        return new Parsed(Tags.contentOf(completion, think), Tags.contentOf(completion, answer), Tags.contentSpan(think),
                Tags.contentSpan(answer), isWellFormed(completion), n);
    }

    /**
     * The reference's {@code re.fullmatch(r"<think>.*?</think>\s*<answer>.*?</answer>", text, re.DOTALL)}
     * without a regular expression: the text opens with {@code <think>}, ends with
     * {@code </answer>}, and somewhere between them a {@code </think>} is followed, after only
     * whitespace, by an {@code <answer>}. Nothing may surround the blocks (not even whitespace),
     * and the blocks may hold anything, tags included, as the lazy groups let them.
     */
    static boolean isWellFormed(String text) {
        int answerCloseAt = text.length() - Tags.ANSWER_CLOSE.length();
        if (!text.startsWith(Tags.THINK_OPEN) || answerCloseAt < 0 || !text.startsWith(Tags.ANSWER_CLOSE, answerCloseAt)) {
            return false;
        }
        for (int at = text.indexOf(Tags.THINK_CLOSE, Tags.THINK_OPEN.length()); at >= 0;
             at = text.indexOf(Tags.THINK_CLOSE, at + 1)) {
            int answerAt = PythonText.skipSpace(text, at + Tags.THINK_CLOSE.length(), text.length());
            if (text.startsWith(Tags.ANSWER_OPEN, answerAt) && answerAt + Tags.ANSWER_OPEN.length() <= answerCloseAt) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<RewardTerm<Parsed>> scoredTerms() {
        List<RewardTerm<Parsed>> terms = new ArrayList<>(List.of(
                pointwise(FORMAT, (input, earlier) -> input.parsed().wellFormed() ? 1 : 0),
                pointwise(ACCURACY, (input, earlier) -> metricFor(input.sample().problemType())
                        .scoreExtracted(input.parsed().finalAnswer(), input.sample()))));
        if (withTemporalAlignment()) {
            terms.add(temporalAlignment(services.embedder().get(), services.alignment()));
            terms.add(JudgeTerms.verdict(CONSISTENCY, List.of(), input -> input.parsed().finalAnswer().isEmpty()
                            ? Optional.empty()
                            : Optional.of(new JudgeQuestion.Consistency(input.sample().problem(), input.parsed().think(),
                                    input.parsed().finalAnswer())),
                    services.judge().get(), services.failurePolicy()));
            terms.add(pointwise(TAR_GATED, List.of(TAR, CONSISTENCY),
                    (input, earlier) -> earlier.get(CONSISTENCY) * earlier.get(TAR)));
        }
        return terms;
    }

    @Override
    public List<Weight> totalWeights() {
        List<Weight> total = new ArrayList<>(List.of(weight(ACCURACY, 1), weight(FORMAT, 1)));
        if (withTemporalAlignment()) {
            total.add(weight(TAR_GATED, 1));
        }
        return total;
    }

    /** The gated temporal alignment needs both a judge and an embedder. */
    private boolean withTemporalAlignment() {
        return services.judge().isPresent() && services.embedder().isPresent();
    }

    /** {@code tar}: one extraction call per batch; a failed extraction scores 0 and follows the failure policy. */
    private RewardTerm<Parsed> temporalAlignment(Embedder embedder, TemporalAlignment alignment) {
        return RewardTerms.batched(TAR, List.of(), "temporal alignment", (batch, earlier) -> {
            List<ClaimExtractor.Extraction> extractions = services.claimExtractor()
                    .extract(batch.stream().map(input -> input.parsed().think()).toList());
            double[] values = new double[batch.size()];
            for (int row = 0; row < values.length; row++) {
                ClaimExtractor.Extraction extraction = extractions.get(row);
                if (extraction.failed()) {
                    earlier.unavailable(row, TAR, extraction.failure(), services.failurePolicy() == JudgeFailurePolicy.DROP_ROLLOUT);
                    continue;
                }
                values[row] = alignment.evaluate(extraction.claims(),
                        ClaimParser.fromMap(batch.get(row).sample().temporalGrounding()), embedder).value();
            }
            return values;
        });
    }

    static TaskMetric metricFor(ProblemType type) {
        return switch (type) {
            case MULTIPLE_CHOICE -> TaskMetrics.LEADING_LETTER;
            case NUMERICAL -> TaskMetrics.NUMBER_ROUNDED;
            case REGRESSION -> TaskMetrics.RELATIVE_ACCURACY;
            case OCR -> TaskMetrics.WORD_ACCURACY;
            case FREE_FORM -> TaskMetrics.ROUGE_MEAN;
            case EXACT_MATCH -> TaskMetrics.EXACT_MATCH;
            case MATH -> TaskMetrics.MATH;
            case TEMPORAL_GROUNDING -> TaskMetrics.TEMPORAL_IOU;
            case GROUNDED_QA -> TaskMetrics.GROUNDED_MEAN;
        };
    }
}
