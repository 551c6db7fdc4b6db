package ai.videorl.cluster.model;

import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A policy's weights as one versioned, checksummed blob: what the driver broadcasts after each
 * update and what checkpoints hold. Layout (big-endian): magic {@code VRLW}, format version,
 * weight version, the {@link PolicyConfig}, each tensor's name and shape, the values, and a
 * CRC32C of everything before it. Reading checks all of it and names what is wrong.
 *
 * @param version the weight version (updates applied), for executors' shard caches
 * @param config the shape of the policy these weights fit
 * @param names tensor names, in flat order
 * @param shapes each tensor's dimensions
 * @param values all values, tensor after tensor
 */
public record PolicyWeights(long version, PolicyConfig config, List<String> names, List<long[]> shapes, float[] values) {

    private static final int MAGIC = 0x56524c57; // "VRLW"
    private static final int FORMAT = 1;

    public PolicyWeights {
        Objects.requireNonNull(config, "config");
        names = List.copyOf(names);
        shapes = shapes.stream().map(long[]::clone).toList();
        Objects.requireNonNull(values, "values");
        long expected = 0;
        for (long[] shape : shapes) {
            expected += Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }
        if (names.size() != shapes.size() || expected != values.length) {
            throw new IllegalArgumentException(names.size() + " names, " + shapes.size() + " shapes covering " + expected
                    + " values, but " + values.length + " values given");
        }
    }

    /** The same tensors holding {@code newValues}, labelled {@code newVersion} (after an optimizer step). */
    public PolicyWeights with(long newVersion, float[] newValues) {
        return new PolicyWeights(newVersion, config, names, shapes, newValues);
    }

    public PolicyWeights withVersion(long newVersion) {
        return with(newVersion, values);
    }

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(values.length * 4 + 1024);
            write(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    public void write(OutputStream out) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(header);
        data.writeInt(MAGIC);
        data.writeInt(FORMAT);
        data.writeLong(version);
        data.writeInt(config.vocabularySize());
        data.writeInt(config.width());
        data.writeInt(config.layers());
        data.writeInt(config.heads());
        data.writeInt(config.frameSize());
        data.writeInt(config.maxFrames());
        data.writeInt(config.maxLength());
        data.writeInt(names.size());
        for (int i = 0; i < names.size(); i++) {
            data.writeUTF(names.get(i));
            data.writeInt(shapes.get(i).length);
            for (long dimension : shapes.get(i)) {
                data.writeLong(dimension);
            }
        }
        data.writeInt(values.length);
        data.flush();
        ByteBuffer body = ByteBuffer.allocate(values.length * 4);
        body.asFloatBuffer().put(values);
        CRC32C crc = new CRC32C();
        crc.update(header.toByteArray());
        crc.update(body.array());
        DataOutputStream stream = new DataOutputStream(out);
        header.writeTo(stream);
        stream.write(body.array());
        stream.writeLong(crc.getValue());
        stream.flush();
    }

    public static PolicyWeights fromBytes(byte[] bytes, String source) {
        try {
            return read(new java.io.ByteArrayInputStream(bytes), source);
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory cannot fail", e);
        }
    }

    /**
     * Reads weights; {@code source} names them in errors.
     *
     * @throws VideoRlException (bad input) when the blob is not weights, is truncated or fails its checksum
     */
    public static PolicyWeights read(InputStream in, String source) throws IOException {
        CRC32C crc = new CRC32C();
        DataInputStream data = new DataInputStream(new java.util.zip.CheckedInputStream(in, crc));
        try {
            if (data.readInt() != MAGIC) {
                throw corrupt(source, "not a videorl weights file");
            }
            int format = data.readInt();
            if (format != FORMAT) {
                throw corrupt(source, "weights format " + format + ", this build reads format " + FORMAT);
            }
            long version = data.readLong();
            PolicyConfig config = new PolicyConfig(data.readInt(), data.readInt(), data.readInt(), data.readInt(),
                    data.readInt(), data.readInt(), data.readInt());
            int tensors = data.readInt();
            if (tensors < 0 || tensors > 100_000) {
                throw corrupt(source, "implausible tensor count " + tensors);
            }
            List<String> names = new ArrayList<>(tensors);
            List<long[]> shapes = new ArrayList<>(tensors);
            for (int i = 0; i < tensors; i++) {
                names.add(data.readUTF());
                int rank = data.readInt();
                if (rank < 0 || rank > 8) {
                    throw corrupt(source, "implausible rank " + rank + " of tensor '" + names.get(i) + "'");
                }
                long[] shape = new long[rank];
                for (int d = 0; d < rank; d++) {
                    shape[d] = data.readLong();
                }
                shapes.add(shape);
            }
            int count = data.readInt();
            if (count < 0) {
                throw corrupt(source, "implausible value count " + count);
            }
            byte[] body = new byte[Math.multiplyExact(count, 4)];
            data.readFully(body);
            long computed = crc.getValue();
            long stored = new DataInputStream(in).readLong();
            if (stored != computed) {
                throw corrupt(source, "checksum mismatch (stored " + Long.toHexString(stored) + ", computed "
                        + Long.toHexString(computed) + ")");
            }
            float[] values = new float[count];
            ByteBuffer.wrap(body).asFloatBuffer().get(values);
            try {
                return new PolicyWeights(version, config, names, shapes, values);
            } catch (IllegalArgumentException e) {
                throw corrupt(source, e.getMessage());
            }
        } catch (EOFException e) {
            throw corrupt(source, "truncated");
        } catch (VideoRlException e) {
            if (e.code() == ErrorCode.INVALID_CONFIGURATION) {
                throw corrupt(source, "holds an impossible model shape: " + e.getMessage());
            }
            throw e;
        }
    }

    /** @throws VideoRlException naming what differs when these weights do not fit {@code expected} */
    public void requireFits(PolicyConfig expected, List<String> expectedNames) {
        if (!config.equals(expected) || !names.equals(expectedNames)) {
            throw new VideoRlException(ErrorCode.INVALID_INPUT, "weights of version " + version + " are for " + config
                    + ", not " + expected + (names.equals(expectedNames) ? "" : " (tensor names differ)"));
        }
    }

    private static VideoRlException corrupt(String source, String detail) {
        return new VideoRlException(ErrorCode.INVALID_INPUT, "corrupted weights " + source + ": " + detail);
    }
}
