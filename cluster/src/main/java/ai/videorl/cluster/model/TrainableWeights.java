package ai.videorl.cluster.model;

import ai.djl.ndarray.NDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The weights a policy trains, as named float32 tensors: what it exports after a step and imports
 * before the next. Frozen weights (a pretrained base) never travel.
 *
 * @param version the weight version (optimizer steps taken)
 * @param names tensor names, in order
 * @param shapes each tensor's dimensions
 * @param values all values, tensor after tensor, float32
 */
public record TrainableWeights(long version, List<String> names, List<long[]> shapes, float[] values) {

    public TrainableWeights {
        names = List.copyOf(names);
        shapes = shapes.stream().map(long[]::clone).toList();
        Objects.requireNonNull(values, "values");
        long expected = shapes.stream().mapToLong(TrainableWeights::elements).sum();
        if (names.size() != shapes.size() || expected != values.length) {
            throw new IllegalArgumentException(names.size() + " names, " + shapes.size() + " shapes covering " + expected
                    + " values, but " + values.length + " values given");
        }
    }

    /** The values of {@code tensors} (float32, any device), copied out in order, labelled {@code version}. */
    public static TrainableWeights of(long version, List<String> names, List<NDArray> tensors) {
        List<long[]> shapes = new ArrayList<>(tensors.size());
        float[] values = new float[Math.toIntExact(tensors.stream().mapToLong(NDArray::size).sum())];
        int offset = 0;
        for (NDArray tensor : tensors) {
            shapes.add(tensor.getShape().getShape());
            float[] tensorValues = tensor.toFloatArray();
            System.arraycopy(tensorValues, 0, values, offset, tensorValues.length);
            offset += tensorValues.length;
        }
        return new TrainableWeights(version, names, shapes, values);
    }

    /** Each tensor's values, copied out of {@link #values}, in order. */
    public List<float[]> tensors() {
        List<float[]> tensors = new ArrayList<>(names.size());
        int offset = 0;
        for (long[] shape : shapes) {
            int length = Math.toIntExact(elements(shape));
            tensors.add(Arrays.copyOfRange(values, offset, offset + length));
            offset += length;
        }
        return tensors;
    }

    /** The values a tensor of {@code shape} holds. */
    public static long elements(long[] shape) {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    /** CRC32C of the names, shapes and values: equal weights, equal checksum. */
    public long checksum() {
        CRC32C crc = new CRC32C();
        for (int t = 0; t < names.size(); t++) {
            crc.update(names.get(t).getBytes(StandardCharsets.UTF_8));
            ByteBuffer dims = ByteBuffer.allocate(Long.BYTES * shapes.get(t).length);
            Arrays.stream(shapes.get(t)).forEach(dims::putLong);
            crc.update(dims.array());
        }
        ByteBuffer floats = ByteBuffer.allocate(Float.BYTES * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i += 4096) {
            floats.clear();
            floats.asFloatBuffer().put(values, i, Math.min(4096, values.length - i));
            crc.update(floats.array(), 0, Float.BYTES * Math.min(4096, values.length - i));
        }
        return crc.getValue();
    }

    /**
     * Throws unless {@code other} names the same tensors with the same shapes, naming the first
     * that differs.
     */
    public void requireSameTensors(List<String> otherNames, List<long[]> otherShapes) {
        if (!names.equals(otherNames)) {
            throw new IllegalArgumentException("weights of tensors " + names + " do not fit a policy of tensors " + otherNames);
        }
        for (int t = 0; t < names.size(); t++) {
            if (!Arrays.equals(shapes.get(t), otherShapes.get(t))) {
                throw new IllegalArgumentException(names.get(t) + " has shape " + Arrays.toString(shapes.get(t))
                        + " in the weights but " + Arrays.toString(otherShapes.get(t)) + " in the policy");
            }
        }
    }
}
