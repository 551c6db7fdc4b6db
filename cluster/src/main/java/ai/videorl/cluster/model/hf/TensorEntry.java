package ai.videorl.cluster.model.hf;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where one tensor of a checkpoint lies: its bytes are {@code [begin, end)} of {@code file},
 * absolute offsets (8 + header length + the header's {@code data_offsets}), little-endian and in
 * row-major order.
 *
 * @param name the tensor's name in the checkpoint, e.g. {@code model.layers.0.mlp.up_proj.weight}
 * @param type the element type
 * @param shape the dimensions; empty for a scalar, a zero dimension for an empty tensor
 * @param file the file holding the bytes
 * @param begin the first byte's offset in {@code file}
 * @param end the offset one past the last byte
 */
public record TensorEntry(String name, TensorType type, long[] shape, Path file, long begin, long end) {

    public TensorEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(file, "file");
        shape = shape.clone();
        long expected = Math.multiplyExact(elementCount(shape), type.byteSize());
        if (begin < 0 || end - begin != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' of " + type + " " + Arrays.toString(shape) + " needs "
                    + expected + " bytes, but [" + begin + ", " + end + ") was given");
        }
    }

    /** The dimensions (a copy: entries are immutable). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements: the product of the dimensions, 1 for a scalar. */
    public long elements() {
        return elementCount(shape);
    }

    public long byteCount() {
        return end - begin;
    }

    /**
     * The product of {@code shape}.
     *
     * @throws IllegalArgumentException for a negative dimension
     * @throws ArithmeticException when the product overflows a long
     */
    static long elementCount(long[] shape) {
        long count = 1;
        for (long dimension : shape) {
            if (dimension < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dimension);
        }
        return count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorEntry that && name.equals(that.name) && type == that.type && Arrays.equals(shape, that.shape)
                && file.equals(that.file) && begin == that.begin && end == that.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(shape), file, begin, end);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + " at [" + begin + ", " + end + ") of " + file;
    }
}
