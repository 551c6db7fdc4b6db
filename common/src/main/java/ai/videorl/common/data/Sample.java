package ai.videorl.common.data;

import java.util.List;
import java.util.Objects;

/**
 * One prompt: a question about a video and its ground truth. Field names follow the public
 * Video-R1 style manifests ({@code id}, {@code problem}, {@code problem_type}, {@code options},
 * {@code solution}).
 *
 * @param id unique within a dataset; groups of rollouts are keyed by it
 * @param problem the question text (may be empty when only scoring)
 * @param problemType how answers are scored
 * @param options the choices of a multiple-choice question, e.g. "A. red"; may be empty
 * @param solution the ground truth
 */
public record Sample(String id, String problem, ProblemType problemType, List<String> options, Solution solution) {

    public Sample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(problemType, "problemType");
        options = List.copyOf(options);
        Objects.requireNonNull(solution, "solution");
        boolean shapeFits = switch (problemType) {
            case TEMPORAL_GROUNDING -> solution instanceof Solution.Segments;
            case GROUNDED_QA -> solution instanceof Solution.Grounded;
            case MULTIPLE_CHOICE, NUMERICAL, REGRESSION, OCR, FREE_FORM, EXACT_MATCH, MATH -> solution instanceof Solution.Text;
        };
        if (!shapeFits) {
            throw new IllegalArgumentException("a " + problemType + " sample cannot have the solution " + solution);
        }
    }
}
