package ai.videorl.cluster.train;

import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.common.loss.GradientClipping;
import ai.videorl.common.optim.AdamW;

/**
 * The driver's half of an update, the same for SFT and GRPO: clip the summed gradient by its
 * global norm and, unless it is not finite, take an AdamW step to the next weight version.
 *
 * @param gradientNorm the norm before clipping
 * @param weights the new weights (version + 1), or null when the step was skipped
 */
record OptimizerStep(double gradientNorm, PolicyWeights weights) {

    static OptimizerStep take(GradientSum summed, PolicyWeights current, AdamW optimizer, double maxNorm, double lr) {
        float[] gradient = summed.gradient(current.values().length);
        double norm = GradientClipping.clipByGlobalNorm(gradient, maxNorm);
        if (!summed.isFinite() || !Double.isFinite(norm)) {
            return new OptimizerStep(norm, null);
        }
        float[] values = current.values().clone();
        optimizer.step(values, gradient, lr);
        return new OptimizerStep(norm, current.with(current.version() + 1, values));
    }

    /** False when the gradient was not finite and the weights stayed as they were. */
    boolean taken() {
        return weights != null;
    }
}
