package ai.videorl.cluster.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.loss.LossAggregation;
import ai.videorl.common.loss.LossResult;
import ai.videorl.common.loss.PolicyLossConfig;

import java.util.Arrays;

/**
 * What every architecture computes alike once its forward pass has the logits that predict each
 * response token: log-probabilities and entropies at a temperature, and the token objectives
 * (the GRPO loss, the SFT cross-entropy) built from them. Responses are ragged; tensors are
 * [B, R] with R the longest response, zero past each response's end.
 */
public final class TeacherForcing {

    private TeacherForcing() {
    }

    /** Per-token log-probabilities, entropies and the real-token mask, [B, R] each. */
    public record Scores(NDArray logProbs, NDArray entropies, NDArray mask) {
    }

    /** R, the longest response; refuses a batch whose responses are all empty or do not match its prompts. */
    public static int longest(int[][] responses, int prompts) {
        if (responses.length != prompts) {
            throw new IllegalArgumentException(responses.length + " responses for " + prompts + " prompts");
        }
        int longest = Arrays.stream(responses).mapToInt(response -> response.length).max().orElse(0);
        if (longest == 0) {
            throw new IllegalArgumentException("every response is empty");
        }
        return longest;
    }

    /**
     * The scores of {@code responses} from {@code predicting} [B, R, V], the logits at the positions
     * that predict each response token, under softmax(logits / temperature).
     */
    public static Scores scores(NDArray predicting, int[][] responses, double temperature, NDManager scope) {
        int batch = responses.length;
        int longest = Math.toIntExact(predicting.getShape().get(1));
        float[] mask = new float[batch * longest];
        long[] targets = new long[batch * longest];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < responses[b].length; t++) {
                targets[b * longest + t] = responses[b][t];
                mask[b * longest + t] = 1;
            }
        }
        if (temperature != 1) {
            predicting = predicting.div(TapeScalar.of(predicting, (float) temperature));
        }
        NDArray predicted = predicting.logSoftmax(-1);
        NDArray logProbs = predicted.gather(scope.create(targets, new Shape(batch, longest, 1)), 2).squeeze(2);
        NDArray entropies = predicted.exp().mul(predicted).sum(new int[] {2}).neg();
        return new Scores(logProbs, entropies, scope.create(mask, new Shape(batch, longest)));
    }

    /** The scores as ragged numbers, one per response token. */
    public static Policy.TokenScores ragged(Scores scores, int[][] responses) {
        return new Policy.TokenScores(ragged(scores.logProbs(), responses), ragged(scores.entropies(), responses));
    }

    /** The GRPO loss of this shard's share of the batch. */
    public static TensorLoss.Result policyLoss(Scores forced, int[][] responses, Policy.PolicyTargets targets, PolicyLossConfig config,
                                               BatchShape batch, NDManager scope) {
        NDArray weights = tokenWeights(scope, responses, config.aggregation(), batch);
        return TensorLoss.evaluate(config, forced.logProbs(), padded(scope, targets.oldLogProbs(), responses),
                targets.referenceLogProbs() == null ? null : padded(scope, targets.referenceLogProbs(), responses),
                padded(scope, targets.advantages(), responses), forced.entropies(), weights, forced.mask());
    }

    /** Cross-entropy of the responses, token-mean over the batch: this shard's share. */
    public static TensorLoss.Result supervisedLoss(Scores forced, int[][] responses, BatchShape batch, NDManager scope) {
        NDArray weights = tokenWeights(scope, responses, LossAggregation.TOKEN_MEAN, batch);
        NDArray loss = forced.logProbs().mul(weights).sum().neg();
        return new TensorLoss.Result(loss, new LossResult(loss.getFloat(), loss.getFloat(), 0, 0, batch.tokens(), 0, 0, 0));
    }

    /** Each token's loss weight: the aggregation's, over the whole batch's shape; 0 on padding. */
    private static NDArray tokenWeights(NDManager scope, int[][] responses, LossAggregation aggregation, BatchShape batch) {
        int longest = Arrays.stream(responses).mapToInt(response -> response.length).max().orElse(0);
        float[] weights = new float[responses.length * longest];
        for (int b = 0; b < responses.length; b++) {
            float weight = (float) aggregation.tokenWeight(responses[b].length, batch);
            Arrays.fill(weights, b * longest, b * longest + responses[b].length, weight);
        }
        return scope.create(weights, new Shape(responses.length, longest));
    }

    /** Ragged per-token values as a [B, R] tensor, zero-padded. */
    private static NDArray padded(NDManager scope, double[][] values, int[][] responses) {
        int longest = Arrays.stream(responses).mapToInt(response -> response.length).max().orElse(0);
        float[] flat = new float[responses.length * longest];
        for (int b = 0; b < responses.length; b++) {
            if (values[b].length != responses[b].length) {
                throw new IllegalArgumentException("response " + b + " has " + responses[b].length + " tokens but "
                        + values[b].length + " values");
            }
            for (int t = 0; t < values[b].length; t++) {
                flat[b * longest + t] = (float) values[b][t];
            }
        }
        return scope.create(flat, new Shape(responses.length, longest));
    }

    private static double[][] ragged(NDArray values, int[][] responses) {
        float[] flat = values.toFloatArray();
        int longest = Math.toIntExact(values.getShape().get(1));
        double[][] out = new double[responses.length][];
        for (int b = 0; b < responses.length; b++) {
            out[b] = new double[responses[b].length];
            for (int t = 0; t < responses[b].length; t++) {
                out[b][t] = flat[b * longest + t];
            }
        }
        return out;
    }
}
