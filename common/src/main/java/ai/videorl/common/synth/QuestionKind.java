package ai.videorl.common.synth;

import ai.videorl.common.data.ProblemType;

/** The questions asked about every synthetic video, one sample each, in this order. */
public enum QuestionKind {
    /** "Which colour appeared first?" with options A-D. */
    FIRST_COLOUR("mc", ProblemType.MULTIPLE_CHOICE),
    /** "How many circles appeared?", 0-3. */
    COUNT("count", ProblemType.NUMERICAL),
    /** "Did a green triangle appear?", yes or no. */
    EXISTS("exists", ProblemType.EXACT_MATCH),
    /** "When was the red circle visible?", {@code [start, end]}. */
    WHEN("when", ProblemType.TEMPORAL_GROUNDING),
    /** "What colour was the square, and when was it visible?", {@code colour <> [start, end]}. */
    GROUNDED("grounded", ProblemType.GROUNDED_QA);

    private final String idSuffix;
    private final ProblemType problemType;

    QuestionKind(String idSuffix, ProblemType problemType) {
        this.idSuffix = idSuffix;
        this.problemType = problemType;
    }

    /** The end of the sample id, e.g. "mc" in "000042-mc". */
    public String idSuffix() {
        return idSuffix;
    }

    public ProblemType problemType() {
        return problemType;
    }
}
