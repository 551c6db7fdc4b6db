package ai.videorl.cluster.model;

import ai.videorl.common.error.VideoRlException;

import java.util.Arrays;

/**
 * The architectures a policy can have, by the name {@code model.architecture} gives: each a
 * {@link Policy} and the {@link PolicyProcessor} that makes its inputs.
 */
public enum PolicyArchitecture {

    /** The project's own small video policy, trained from scratch: {@link VideoPolicy} and {@link TinyProcessor}. */
    TINY("tiny"),

    /**
     * Qwen2.5-VL from a Hugging Face checkpoint: {@code ai.videorl.cluster.model.qwen.QwenPolicy} and
     * {@code QwenPolicyProcessor}.
     */
    QWEN2_5_VL("qwen2_5_vl");

    private final String key;

    PolicyArchitecture(String key) {
        this.key = key;
    }

    /** The name a configuration writes. */
    public String key() {
        return key;
    }

    /**
     * The architecture of that name.
     *
     * @throws VideoRlException naming {@code source} and the known names when there is none
     */
    public static PolicyArchitecture named(String name, String source) {
        return Arrays.stream(values()).filter(architecture -> architecture.key.equals(name)).findFirst()
                .orElseThrow(() -> VideoRlException.invalidConfiguration(source + ": unknown architecture '" + name + "'; known: "
                        + Arrays.stream(values()).map(PolicyArchitecture::key).toList()));
    }

    @Override
    public String toString() {
        return key;
    }
}
