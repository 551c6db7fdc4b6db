package ai.videorl.common.loss;

/**
 * Clipping by global L2 norm over a flat gradient, as {@code torch.nn.utils.clip_grad_norm_}
 * does: scale by {@code max_norm / (norm + 1e-6)} when that is below 1.
 */
public final class GradientClipping {

    static final double EPSILON = 1e-6;

    private GradientClipping() {
    }

    /** The L2 norm of the whole gradient, summed in double precision. */
    public static double globalNorm(float[] gradient) {
        double squares = 0;
        for (float g : gradient) {
            squares += (double) g * g;
        }
        return Math.sqrt(squares);
    }

    /**
     * Scales {@code gradient} in place so its norm is at most {@code maxNorm}. A non-finite norm
     * leaves it untouched: the caller must skip the update (and report {@code actor/grad_norm}).
     *
     * @return the norm before clipping ({@code actor/grad_norm})
     */
    public static double clipByGlobalNorm(float[] gradient, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("max norm must be positive, got " + maxNorm);
        }
        double norm = globalNorm(gradient);
        double scale = maxNorm / (norm + EPSILON);
        if (Double.isFinite(norm) && scale < 1) {
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] *= (float) scale;
            }
        }
        return norm;
    }
}
