package ai.videorl.common.optim;

import ai.videorl.common.error.VideoRlException;

import java.util.Arrays;
import java.util.Locale;

/**
 * The learning rate of steps 1..{@code steps}: a linear warm-up to {@code peak} over
 * {@code warmupSteps}, then held ({@link Decay#NONE}) or decayed towards 0 by the last step, as
 * Hugging Face's linear and cosine schedules do (the last step still takes a small step rather
 * than none).
 */
public record LearningRateSchedule(double peak, int warmupSteps, int steps, Decay decay) {

    /** What follows the warm-up. */
    public enum Decay {
        NONE, LINEAR, COSINE;

        public static Decay parse(String name) {
            String key = name.trim().toUpperCase(Locale.ROOT);
            return Arrays.stream(values()).filter(decay -> decay.name().equals(key)).findFirst()
                    .orElseThrow(() -> VideoRlException.invalidConfiguration("unknown learning-rate decay '" + name
                            + "'; expected none, linear or cosine"));
        }
    }

    public LearningRateSchedule {
        if (!(peak >= 0) || !Double.isFinite(peak) || warmupSteps < 0 || steps < 0) {
            throw VideoRlException.invalidConfiguration("a learning-rate schedule needs a peak >= 0 and non-negative steps, got peak "
                    + peak + ", " + warmupSteps + " warm-up steps of " + steps);
        }
    }

    /** The rate of step {@code step}, counted from 1. */
    public double at(int step) {
        if (step <= warmupSteps) {
            return peak * step / (double) warmupSteps;
        }
        // 1 at the first step after the warm-up, 1 / decaying at the last.
        int decaying = Math.max(1, steps - warmupSteps);
        double remaining = Math.max(0, steps - step + 1) / (double) decaying;
        return switch (decay) {
            case NONE -> peak;
            case LINEAR -> peak * remaining;
            case COSINE -> peak * 0.5 * (1 + Math.cos(Math.PI * (1 - remaining)));
        };
    }
}
