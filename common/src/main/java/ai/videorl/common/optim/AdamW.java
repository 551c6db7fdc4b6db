package ai.videorl.common.optim;

import java.util.Objects;

/**
 * AdamW over one flat parameter vector, as {@code torch.optim.AdamW} computes it:
 * <pre>
 *   θ ← θ · (1 − lr·λ)                       // decoupled weight decay
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 *   θ ← θ − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * </pre>
 * The driver applies it to the gradient aggregated over the executors; moments are kept in
 * double precision, parameters in float like the model's.
 */
public final class AdamW {

    private final AdamWConfig config;
    private final double[] firstMoment;
    private final double[] secondMoment;
    private long steps;

    public AdamW(AdamWConfig config, int parameters) {
        this(config, new State(0, new double[parameters], new double[parameters]));
    }

    /** Resumes from a checkpointed state. */
    public AdamW(AdamWConfig config, State state) {
        this.config = Objects.requireNonNull(config, "config");
        if (state.firstMoment().length != state.secondMoment().length || state.steps() < 0) {
            throw new IllegalArgumentException("inconsistent optimizer state: " + state.firstMoment().length + " and "
                    + state.secondMoment().length + " moments after " + state.steps() + " steps");
        }
        this.firstMoment = state.firstMoment().clone();
        this.secondMoment = state.secondMoment().clone();
        this.steps = state.steps();
    }

    /**
     * Optimizer state for checkpoints.
     *
     * @param steps updates applied so far
     * @param firstMoment m, one per parameter
     * @param secondMoment v, one per parameter
     */
    public record State(long steps, double[] firstMoment, double[] secondMoment) {
    }

    public State state() {
        return new State(steps, firstMoment.clone(), secondMoment.clone());
    }

    /** Updates {@code parameters} in place with {@code gradient} (same length, finite). */
    public void step(float[] parameters, float[] gradient) {
        step(parameters, gradient, config.learningRate());
    }

    /** As {@link #step(float[], float[])}, at {@code lr} instead of the configured rate (warm-up, schedules). */
    public void step(float[] parameters, float[] gradient, double lr) {
        if (parameters.length != firstMoment.length || gradient.length != firstMoment.length) {
            throw new IllegalArgumentException("the optimizer holds " + firstMoment.length + " parameters, got "
                    + parameters.length + " parameters and " + gradient.length + " gradients");
        }
        steps++;
        double beta1 = config.beta1();
        double beta2 = config.beta2();
        double decay = 1 - lr * config.weightDecay();
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        for (int i = 0; i < parameters.length; i++) {
            double g = gradient[i];
            firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * g;
            secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * g * g;
            double update = (firstMoment[i] / correction1) / (Math.sqrt(secondMoment[i] / correction2) + config.epsilon());
            parameters[i] = (float) (parameters[i] * decay - lr * update);
        }
    }

    public long steps() {
        return steps;
    }
}
