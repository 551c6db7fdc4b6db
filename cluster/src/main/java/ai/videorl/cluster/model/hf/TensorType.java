package ai.videorl.cluster.model.hf;

import java.util.Optional;

/**
 * The element types a safetensors file can hold that this project reads or writes; the constant
 * names are the format's {@code dtype} strings.
 *
 * <p>Declared in the order of the safetensors crate's {@code Dtype} (increasing alignment): the
 * crate lays tensors out in decreasing order of it, then by name, and {@link SafetensorsWriter}
 * reproduces that layout byte for byte.
 */
public enum TensorType {
    BOOL(1),
    U8(1),
    I8(1),
    I16(2),
    F16(2),
    BF16(2),
    I32(4),
    F32(4),
    F64(8),
    I64(8);

    private final int byteSize;

    TensorType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether {@link Safetensors#floats} widens this type to float32 exactly. */
    public boolean widensToFloat() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** The type a header's {@code dtype} string names, or empty for one this project does not handle. */
    public static Optional<TensorType> named(String dtype) {
        for (TensorType type : values()) {
            if (type.name().equals(dtype)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
