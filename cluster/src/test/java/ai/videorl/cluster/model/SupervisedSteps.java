package ai.videorl.cluster.model;

import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.optim.AdamW;

import java.util.Arrays;

/** The tests' SFT step, outside Spark: what `sft` does to a policy, on one batch held in one place. */
final class SupervisedSteps {

    private SupervisedSteps() {
    }

    /** One unclipped AdamW step on the token-mean cross-entropy of {@code responses}; returns the loss before it. */
    static double step(VideoPolicy policy, AdamW optimizer, VideoPolicy.Inputs inputs, int[][] responses) {
        long tokens = Arrays.stream(responses).mapToLong(response -> response.length).sum();
        int longest = Arrays.stream(responses).mapToInt(response -> response.length).max().orElse(1);
        VideoPolicy.Gradient gradient = policy.supervisedGradient(inputs, responses, new BatchShape(responses.length, tokens, longest));
        float[] weights = policy.weights();
        optimizer.step(weights, gradient.values());
        policy.loadWeights(weights);
        return gradient.loss().loss();
    }
}
