package ai.videorl.common.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One prompt: a question about a video and its ground truth. Field names follow the public
 * Video-R1 style manifests (see {@link SampleJson}).
 *
 * @param id unique within a dataset; groups of rollouts are keyed by it
 * @param video the video's location as written (path or URI, possibly relative to the
 *        manifest); "" when only scoring text
 * @param problem the question text (may be empty when only scoring)
 * @param problemType how answers are scored
 * @param options the choices of a multiple-choice question, e.g. "A. red"; may be empty
 * @param solution the ground truth
 * @param temporalGrounding timestamped claims about the video, {@code "MM:SS"} or
 *        {@code "MM:SS-MM:SS"} to a sentence, in the order written; may be empty
 * @param facts what a perfect observation must mention to deduce the answer; may be empty
 * @param difficulty a difficulty score (higher is harder), when the dataset has one
 */
public record Sample(String id, String video, String problem, ProblemType problemType, List<String> options,
                     Solution solution, Map<String, String> temporalGrounding, List<String> facts,
                     OptionalDouble difficulty) {

    public Sample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(video, "video");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(problemType, "problemType");
        options = List.copyOf(options);
        Objects.requireNonNull(solution, "solution");
        temporalGrounding = Collections.unmodifiableMap(new LinkedHashMap<>(temporalGrounding));
        facts = List.copyOf(facts);
        Objects.requireNonNull(difficulty, "difficulty");
        boolean shapeFits = switch (problemType) {
            case TEMPORAL_GROUNDING -> solution instanceof Solution.Segments;
            case GROUNDED_QA -> solution instanceof Solution.Grounded;
            case MULTIPLE_CHOICE, NUMERICAL, REGRESSION, OCR, FREE_FORM, EXACT_MATCH, MATH -> solution instanceof Solution.Text;
        };
        if (!shapeFits) {
            throw new IllegalArgumentException("a " + problemType + " sample cannot have the solution " + solution);
        }
    }

    /** A sample for scoring text alone: no video, claims, facts or difficulty. */
    public Sample(String id, String problem, ProblemType problemType, List<String> options, Solution solution) {
        this(id, "", problem, problemType, options, solution, Map.of(), List.of(), OptionalDouble.empty());
    }

    /** This sample with its video at another location (e.g. resolved against the manifest's directory). */
    public Sample withVideo(String location) {
        return new Sample(id, location, problem, problemType, options, solution, temporalGrounding, facts, difficulty);
    }
}
