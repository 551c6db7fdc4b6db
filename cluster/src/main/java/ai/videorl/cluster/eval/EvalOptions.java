package ai.videorl.cluster.eval;

import ai.videorl.common.error.VideoRlException;

import java.util.List;

/**
 * What {@code eval} was asked.
 *
 * @param checkpoint a run directory (its newest committed checkpoint) or one checkpoint directory
 * @param manifest the prompts: a manifest or a prepared dataset
 * @param earlyExit decode VideoAuto-R1 with the confidence-gated early exit at {@code threshold}
 * @param threshold τ of the early exit
 * @param sweep thresholds the early exit is worked out at from a full decode
 * @param out the JSON report (any Hadoop URI)
 * @param responses where the scored responses go as Parquet, or null
 * @param baseline an earlier evaluation's {@code responses} of the same prompts, to compare with
 *                 question by question ({@link ai.videorl.cluster.train.PairedGain}), or null
 * @param overrides {@code key=value} settings over the checkpoint's stored configuration
 */
public record EvalOptions(String checkpoint, String manifest, boolean earlyExit, double threshold, List<Double> sweep, String out,
                          String responses, String baseline, List<String> overrides) {

    public EvalOptions {
        sweep = List.copyOf(sweep);
        overrides = List.copyOf(overrides);
        for (double tau : sweep) {
            requireThreshold(tau, "--sweep");
        }
        requireThreshold(threshold, "--tau");
        if (baseline != null && responses == null) {
            throw VideoRlException.invalidConfiguration("--baseline " + baseline + " is compared with the answers --responses writes;"
                    + " give --responses DIR too");
        }
        if (baseline != null && baseline.equals(responses)) {
            throw VideoRlException.invalidConfiguration("--baseline and --responses are both " + baseline + ": the evaluation would"
                    + " overwrite the answers it is compared with");
        }
    }

    private static void requireThreshold(double tau, String option) {
        if (!(tau >= 0 && tau <= 1)) {
            throw VideoRlException.invalidConfiguration(option + " takes confidences in [0, 1], got " + tau);
        }
    }
}
