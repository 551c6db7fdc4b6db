package ai.videorl.common.metric;

import ai.videorl.common.data.Sample;

/**
 * Scores an extracted answer against a sample's ground truth. Implementations never throw for
 * any answer text: an answer that cannot be read scores 0.
 */
@FunctionalInterface
public interface TaskMetric {

    double score(String answer, Sample sample);

    /** Scores an answer extracted from a completion: "" means none could be extracted, and scores 0. */
    default double scoreExtracted(String answer, Sample sample) {
        return answer.isEmpty() ? 0 : score(answer, sample);
    }
}
