package ai.videorl.common.metric;

import java.util.OptionalDouble;

import ai.videorl.common.data.GroundedText;
import ai.videorl.common.data.Interval;
import ai.videorl.common.data.ProblemType;
import ai.videorl.common.data.Sample;
import ai.videorl.common.data.Solution;

/**
 * The task metrics the recipes choose from, each in [0, 1] except {@link #GROUNDED_SUM}. Every
 * metric reads the solution shape that {@link Sample} guarantees for its problem type.
 */
public final class TaskMetrics {

    /** VideoAuto-R1's normalised equality ({@link ExactMatch}). */
    public static final TaskMetric EXACT_MATCH = (answer, sample) -> ExactMatch.score(answer, text(sample));

    /** VideoP2R multiple choice: the same option letter ({@link OptionLetter}). */
    public static final TaskMetric OPTION_LETTER =
            (answer, sample) -> OptionLetter.score(answer, text(sample), sample.options());

    /** Video-R2 multiple choice: the leading letter A–E, as its reference reads it ({@link LeadingLetter}). */
    public static final TaskMetric LEADING_LETTER = (answer, sample) -> LeadingLetter.score(answer, text(sample));

    /** VideoP2R numerical: the same number. */
    public static final TaskMetric NUMBER_EXACT = (answer, sample) -> NumericAnswer.exact(answer, text(sample));

    /** Video-R2 numerical: decimal-point agreement, then equality at 2 decimals. */
    public static final TaskMetric NUMBER_ROUNDED = (answer, sample) -> NumericAnswer.roundedTo2(answer, text(sample));

    /** Regression: 1 − relative error, clipped. */
    public static final TaskMetric RELATIVE_ACCURACY =
            (answer, sample) -> NumericAnswer.relativeAccuracy(answer, text(sample));

    /** OCR: 1 − word error rate, clipped. */
    public static final TaskMetric WORD_ACCURACY = (answer, sample) -> WordErrorRate.accuracy(answer, text(sample));

    /** Free form: mean of ROUGE-1/2/L F1 with stemming. */
    public static final TaskMetric ROUGE_MEAN = (answer, sample) -> Rouge.meanF1(answer, text(sample));

    /** Math: symbolic equivalence ({@link MathEquivalence}). */
    public static final TaskMetric MATH = (answer, sample) -> MathEquivalence.score(answer, text(sample));

    /** Temporal grounding: IoU of the first interval in the answer, best over the true intervals. */
    public static final TaskMetric TEMPORAL_IOU = (answer, sample) -> {
        Interval predicted = IntervalParser.first(answer);
        return predicted == null ? 0 : bestIou(predicted, (Solution.Segments) sample.solution());
    };

    /**
     * VideoAuto-R1 grounded QA, {@code X <> [s, e]}: exact_match(X) + IoU, in [0, 2], the answer
     * read by {@link GroundedText#ofPrediction} (without a {@code <>} the whole text is both).
     */
    public static final TaskMetric GROUNDED_SUM = TaskMetrics::groundedSum;

    /** Grounded QA for recipes whose accuracy lives in [0, 1]: half of {@link #GROUNDED_SUM}. */
    public static final TaskMetric GROUNDED_MEAN = (answer, sample) -> groundedSum(answer, sample) / 2;

    private TaskMetrics() {
    }

    /**
     * The one metric per problem type that held-out accuracy is reported with, whatever the
     * recipe rewards: every value in [0, 1] (grounded QA takes {@link #GROUNDED_MEAN}), so runs
     * of different recipes compare.
     */
    public static TaskMetric forType(ProblemType type) {
        return switch (type) {
            case MULTIPLE_CHOICE -> OPTION_LETTER;
            case EXACT_MATCH -> EXACT_MATCH;
            case NUMERICAL, MATH -> MATH;
            case TEMPORAL_GROUNDING -> TEMPORAL_IOU;
            case GROUNDED_QA -> GROUNDED_MEAN;
            case OCR -> WORD_ACCURACY;
            case FREE_FORM -> ROUGE_MEAN;
            case REGRESSION -> RELATIVE_ACCURACY;
        };
    }

    /**
     * The temporal IoU of an answer, for the problem types that ask for a time span (temporal
     * grounding, and the segment of grounded QA); empty for the others.
     */
    public static OptionalDouble iou(String answer, Sample sample) {
        return switch (sample.problemType()) {
            case TEMPORAL_GROUNDING -> OptionalDouble.of(TEMPORAL_IOU.scoreExtracted(answer, sample));
            case GROUNDED_QA -> {
                Interval segment = GroundedText.ofPrediction(answer).segment();
                yield OptionalDouble.of(segment == null ? 0 : segment.iou(((Solution.Grounded) sample.solution()).segment()));
            }
            default -> OptionalDouble.empty();
        };
    }

    private static double groundedSum(String answer, Sample sample) {
        GroundedText predicted = GroundedText.ofPrediction(answer);
        Solution.Grounded truth = (Solution.Grounded) sample.solution();
        double iou = predicted.segment() == null ? 0 : predicted.segment().iou(truth.segment());
        return ExactMatch.score(predicted.answer(), truth.answer()) + iou;
    }

    private static double bestIou(Interval predicted, Solution.Segments truth) {
        double best = 0;
        for (Interval interval : truth.intervals()) {
            best = Math.max(best, predicted.iou(interval));
        }
        return best;
    }

    private static String text(Sample sample) {
        return ((Solution.Text) sample.solution()).answer();
    }
}
