package ai.videorl.common.advantage;

/** Mean and spread of one group's rewards. */
final class GroupStatistics {

    private GroupStatistics() {
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** The (n − 1) standard deviation, as torch.std computes it; 0 for fewer than two values. */
    static double unbiasedStd(double[] values, double mean) {
        if (values.length < 2) {
            return 0;
        }
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        return Math.sqrt(squares / (values.length - 1));
    }

    /** True when every value equals the first: no rollout is better than another. */
    static boolean allEqual(double[] values) {
        for (double value : values) {
            if (value != values[0]) {
                return false;
            }
        }
        return true;
    }
}
