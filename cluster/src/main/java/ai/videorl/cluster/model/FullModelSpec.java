package ai.videorl.cluster.model;

import ai.videorl.common.error.VideoRlException;

import java.util.Objects;

/**
 * Full fine-tuning of a pretrained checkpoint, for small models: every weight trains and travels
 * with each push (named in the released layout), and the checkpoint gives the rest (configuration,
 * tokenizer, templates). Float32 only: the driver's optimizer steps float32 values.
 *
 * @param architecture the checkpoint's
 * @param basePath where it is, as configured ({@code model.path})
 * @param baseChecksum its {@link ai.videorl.cluster.model.hf.BaseChecksum}
 */
public record FullModelSpec(PolicyArchitecture architecture, String basePath, long baseChecksum) implements PretrainedSpec {

    public FullModelSpec {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(basePath, "basePath");
        if (architecture == PolicyArchitecture.TINY) {
            throw VideoRlException.invalidConfiguration("the tiny policy is not a pretrained checkpoint");
        }
    }

    @Override
    public ModelDtype dtype() {
        return ModelDtype.FLOAT32;
    }
}
