package ai.videorl.cluster.model;

import ai.videorl.common.error.VideoRlException;

import java.util.Objects;

/**
 * LoRA adapters over a frozen pretrained checkpoint: the trainable weights are the adapters'
 * matrices, named as PEFT names them, and every executor loads the base itself.
 *
 * @param architecture the base's
 * @param basePath where the base is, as configured ({@code model.path}: a local directory or a Hadoop URI)
 * @param baseChecksum the base's {@link ai.videorl.cluster.model.hf.BaseChecksum}: an adapter
 *        applies only to the weights it was trained on
 * @param dtype what the base computes in
 * @param rank the adapters' rank
 * @param alpha their scale's numerator (the update is {@code B A · alpha / rank})
 * @param dropout the probability that an adapter's input element is zeroed in a training pass
 */
public record AdapterSpec(PolicyArchitecture architecture, String basePath, long baseChecksum, ModelDtype dtype, int rank,
                          double alpha, double dropout) implements PretrainedSpec {

    public AdapterSpec {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(basePath, "basePath");
        Objects.requireNonNull(dtype, "dtype");
        if (architecture == PolicyArchitecture.TINY) {
            throw new IllegalArgumentException("the tiny policy trains all its weights, not adapters");
        }
        if (rank < 1 || !(alpha > 0) || !(dropout >= 0 && dropout < 1)) {
            throw VideoRlException.invalidConfiguration("LoRA rank " + rank + ", alpha " + alpha + ", dropout " + dropout
                    + ": the rank must be at least 1, alpha positive and dropout in [0, 1)");
        }
    }
}
