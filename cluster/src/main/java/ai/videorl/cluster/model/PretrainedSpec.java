package ai.videorl.cluster.model;

import ai.videorl.cluster.model.hf.BaseChecksum;
import ai.videorl.common.error.VideoRlException;

import java.nio.file.Path;

/**
 * A policy built on a pretrained checkpoint: every executor reads the checkpoint itself (its
 * configuration, tokenizer and templates, and whatever weights do not train), and it must be the
 * checkpoint the weights were trained from.
 */
public sealed interface PretrainedSpec extends PolicySpec permits AdapterSpec, FullModelSpec {

    /** Where the checkpoint is, as configured ({@code model.path}: a local directory or a Hadoop URI). */
    String basePath();

    /** The checkpoint's {@link ai.videorl.cluster.model.hf.BaseChecksum}. */
    long baseChecksum();

    /** What the model computes in. */
    ModelDtype dtype();

    /** Throws unless the checkpoint in {@code directory} is this base, naming both. */
    default void requireBaseAt(Path directory) {
        requireBase(BaseChecksum.of(directory), directory.toString());
    }

    /** Throws unless {@code checksum} is this base's, naming both bases. */
    default void requireBase(long checksum, String location) {
        if (checksum != baseChecksum()) {
            throw VideoRlException.invalidConfiguration("the weights were trained on " + basePath() + " (checksum "
                    + Long.toHexString(baseChecksum()) + "), but " + location + " has checksum " + Long.toHexString(checksum)
                    + ": they apply only to the base they were trained on");
        }
    }
}
