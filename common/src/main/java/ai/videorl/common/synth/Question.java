package ai.videorl.common.synth;

import ai.videorl.common.data.Sample;

import java.util.Objects;

/**
 * One generated question: the manifest sample and which kind of question it is, which the
 * reference responses need to phrase their reasoning.
 */
public record Question(QuestionKind kind, Sample sample) {

    public Question {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sample, "sample");
        if (sample.problemType() != kind.problemType()) {
            throw new IllegalArgumentException("a " + kind + " question must be " + kind.problemType()
                    + ", got " + sample.problemType());
        }
    }
}
