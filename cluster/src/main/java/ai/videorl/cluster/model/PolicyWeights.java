package ai.videorl.cluster.model;

import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * A policy's trainable weights as one versioned, checksummed blob: what the driver pushes
 * after each update and what checkpoints hold. Layout (big-endian): magic {@code VRLW}, format
 * version, weight version, the {@link PolicySpec} (a kind byte, then the tiny policy's
 * {@link PolicyConfig}, the {@link AdapterSpec} or the {@link FullModelSpec}), each tensor's name and shape, the values, and a
 * CRC32C of everything before it. Reading checks all of it and names what is wrong.
 *
 * @param version the weight version (updates applied), for executors' shard caches
 * @param spec the policy these weights fit
 * @param names tensor names, in flat order
 * @param shapes each tensor's dimensions
 * @param values all values, tensor after tensor
 */
public record PolicyWeights(long version, PolicySpec spec, List<String> names, List<long[]> shapes, float[] values) {

    private static final int MAGIC = 0x56524c57; // "VRLW"
    // 2: the config holds the patch stride and the frame-tag count. 3: previous-token and segment
    // embeddings, rotary attention. 4: the frame grid. 5: the frame times. 6: a kind byte before
    // the spec (adapters over a pretrained base); format 5 blobs still read, as tiny policies.
    private static final int FORMAT = 6;
    private static final int TINY_FORMAT = 5;
    private static final byte TINY = 0;
    private static final byte ADAPTERS = 1;
    private static final byte FULL_MODEL = 2;
    /** Values converted to or from bytes at a time when streaming. */
    private static final int STREAM_CHUNK_FLOATS = 1 << 18;

    public PolicyWeights {
        Objects.requireNonNull(spec, "spec");
        names = List.copyOf(names);
        shapes = shapes.stream().map(long[]::clone).toList();
        Objects.requireNonNull(values, "values");
        long expected = 0;
        for (long[] shape : shapes) {
            expected += TrainableWeights.elements(shape);
        }
        if (names.size() != shapes.size() || expected != values.length) {
            throw new IllegalArgumentException(names.size() + " names, " + shapes.size() + " shapes covering " + expected
                    + " values, but " + values.length + " values given");
        }
    }

    /** {@code weights} as those of the policy {@code spec} describes. */
    public static PolicyWeights of(PolicySpec spec, TrainableWeights weights) {
        return new PolicyWeights(weights.version(), spec, weights.names(), weights.shapes(), weights.values());
    }

    /** The same tensors holding {@code newValues}, labelled {@code newVersion} (after an optimizer step). */
    public PolicyWeights with(long newVersion, float[] newValues) {
        return new PolicyWeights(newVersion, spec, names, shapes, newValues);
    }

    /** The weights alone, for {@link Policy#loadTrainableWeights}. */
    public TrainableWeights trainable() {
        return new TrainableWeights(version, names, shapes, values);
    }

    /**
     * The tiny policy's shape.
     *
     * @throws VideoRlException when these are another architecture's weights
     */
    public PolicyConfig tiny() {
        if (spec instanceof PolicyConfig config) {
            return config;
        }
        throw VideoRlException.invalidConfiguration("these are " + spec.architecture() + " weights, not the tiny policy's");
    }

    public PolicyWeights withVersion(long newVersion) {
        return with(newVersion, values);
    }

    /** These weights without the frame-tag head (its tensors are the last ones), or these weights when there is none. */
    public PolicyWeights withoutFrameTags() {
        PolicyConfig config = tiny();
        if (config.frameTags() == 0) {
            return this;
        }
        int kept = names.size() - 2;
        if (!names.get(kept).equals(PolicyParameters.FRAME_TAGS_WEIGHT) || !names.get(kept + 1).equals(PolicyParameters.FRAME_TAGS_BIAS)) {
            throw new IllegalStateException("the frame-tag head must be the last two tensors, found " + names.subList(kept, names.size()));
        }
        long headValues = TrainableWeights.elements(shapes.get(kept)) + shapes.get(kept + 1)[0];
        return new PolicyWeights(version, config.withFrameTags(0), names.subList(0, kept), shapes.subList(0, kept),
                Arrays.copyOf(values, Math.toIntExact(values.length - headValues)));
    }

    /**
     * The blob in one array of exactly its size: header, values and checksum written in place, so
     * a push of N bytes of weights allocates N bytes once (a push copies it again).
     *
     * @throws VideoRlException (bad configuration) when the blob would not fit one Java array (2 GiB):
     *     {@link #write} streams a blob of any size
     */
    public byte[] toBytes() {
        byte[] header = header();
        long size = blobBytes(header);
        if (size > Integer.MAX_VALUE - 8) {
            throw VideoRlException.invalidConfiguration("the policy has " + values.length + " parameters: its weights blob of "
                    + size + " bytes exceeds the 2 GiB one array holds (write it to a stream instead)");
        }
        byte[] blob = new byte[(int) size];
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        buffer.put(header);
        buffer.asFloatBuffer().put(values);
        CRC32C crc = new CRC32C();
        crc.update(blob, 0, blob.length - Long.BYTES);
        buffer.putLong(blob.length - Long.BYTES, crc.getValue());
        return blob;
    }

    /** The size of the blob {@link #write} writes. */
    public long blobBytes() {
        return blobBytes(header());
    }

    private long blobBytes(byte[] header) {
        return header.length + (long) Float.BYTES * values.length + Long.BYTES;
    }

    /**
     * Writes the blob {@link #toBytes} makes, streamed: any size, a chunk of the values at a time
     * (checkpoints and pushes of weights over 2 GiB).
     */
    public void write(OutputStream out) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] header = header();
        crc.update(header);
        out.write(header);
        ByteBuffer chunk = ByteBuffer.allocate(STREAM_CHUNK_FLOATS * Float.BYTES);
        for (int offset = 0; offset < values.length; offset += STREAM_CHUNK_FLOATS) {
            int count = Math.min(STREAM_CHUNK_FLOATS, values.length - offset);
            chunk.clear();
            chunk.asFloatBuffer().put(values, offset, count);
            crc.update(chunk.array(), 0, count * Float.BYTES);
            out.write(chunk.array(), 0, count * Float.BYTES);
        }
        out.write(ByteBuffer.allocate(Long.BYTES).putLong(crc.getValue()).array());
        out.flush();
    }

    /** Magic, format, version, config, tensor names and shapes, and the value count. */
    private byte[] header() {
        try {
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream data = new DataOutputStream(header);
            data.writeInt(MAGIC);
            data.writeInt(FORMAT);
            data.writeLong(version);
            writeSpec(data);
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
            return header.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    private void writeSpec(DataOutputStream data) throws IOException {
        if (spec instanceof PolicyConfig config) {
            data.writeByte(TINY);
            data.writeInt(config.vocabularySize());
            data.writeInt(config.width());
            data.writeInt(config.layers());
            data.writeInt(config.heads());
            data.writeInt(config.frameSize());
            data.writeInt(config.maxFrames());
            data.writeInt(config.maxLength());
            data.writeInt(config.patchStride());
            data.writeInt(config.frameTags());
            data.writeInt(config.frameGrid());
            data.writeInt(config.frameTimes());
        } else if (spec instanceof AdapterSpec adapters) {
            data.writeByte(ADAPTERS);
            data.writeUTF(adapters.architecture().key());
            data.writeUTF(adapters.basePath());
            data.writeLong(adapters.baseChecksum());
            data.writeUTF(adapters.dtype().toString());
            data.writeInt(adapters.rank());
            data.writeDouble(adapters.alpha());
            data.writeDouble(adapters.dropout());
        } else if (spec instanceof FullModelSpec full) {
            data.writeByte(FULL_MODEL);
            data.writeUTF(full.architecture().key());
            data.writeUTF(full.basePath());
            data.writeLong(full.baseChecksum());
        } else {
            throw new IllegalStateException("no blob layout for " + spec.getClass().getSimpleName());
        }
    }

    private static PolicySpec readSpec(DataInputStream data, int format, String source) throws IOException {
        byte kind = format == TINY_FORMAT ? TINY : data.readByte();
        return switch (kind) {
            case TINY -> new PolicyConfig(data.readInt(), data.readInt(), data.readInt(), data.readInt(), data.readInt(),
                    data.readInt(), data.readInt(), data.readInt(), data.readInt(), data.readInt(), data.readInt());
            case ADAPTERS -> new AdapterSpec(PolicyArchitecture.named(readName(data, source), source), readName(data, source),
                    data.readLong(), ModelDtype.parse(readName(data, source)), data.readInt(), data.readDouble(), data.readDouble());
            case FULL_MODEL -> new FullModelSpec(PolicyArchitecture.named(readName(data, source), source), readName(data, source),
                    data.readLong());
            default -> throw corrupt(source, "unknown policy kind " + kind);
        };
    }

    /**
     * Reads a blob; {@code source} names it in errors.
     *
     * @throws VideoRlException (bad input) when the blob is not weights, is truncated or fails its checksum
     */
    public static PolicyWeights fromBytes(byte[] blob, String source) {
        try {
            return read(new ByteArrayInputStream(blob), source);
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory cannot fail", e);
        }
    }

    /**
     * Reads weights from a stream (a checkpoint file, a pushed blob), a chunk of the values at
     * a time; {@code source} names them in errors.
     *
     * @throws VideoRlException (bad input) when the blob is not weights, is truncated or fails its checksum
     */
    public static PolicyWeights read(InputStream in, String source) throws IOException {
        CheckedInputStream checked = new CheckedInputStream(in, new CRC32C());
        DataInputStream data = new DataInputStream(checked);
        try {
            if (data.readInt() != MAGIC) {
                throw corrupt(source, "not a videorl weights file");
            }
            int format = data.readInt();
            if (format != FORMAT && format != TINY_FORMAT) {
                throw new VideoRlException(ErrorCode.INVALID_INPUT, "weights " + source + " are in format " + format
                        + ", this build reads format " + FORMAT + " (train them again with this build)");
            }
            long version = data.readLong();
            PolicySpec spec = readSpec(data, format, source);
            int tensors = data.readInt();
            if (tensors < 0 || tensors > 100_000) {
                throw corrupt(source, "implausible tensor count " + tensors);
            }
            List<String> names = new ArrayList<>(tensors);
            List<long[]> shapes = new ArrayList<>(tensors);
            for (int i = 0; i < tensors; i++) {
                names.add(readName(data, source));
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
            long described = shapes.stream().mapToLong(TrainableWeights::elements).sum();
            // Checked before the values are allocated: a damaged count must not ask for gigabytes.
            if (count < 0 || count != described) {
                throw corrupt(source, "implausible value count " + count + " for tensors of " + described + " values");
            }
            float[] values = new float[count];
            byte[] chunk = new byte[Math.min(count, STREAM_CHUNK_FLOATS) * Float.BYTES];
            for (int offset = 0; offset < count; offset += STREAM_CHUNK_FLOATS) {
                int floats = Math.min(STREAM_CHUNK_FLOATS, count - offset);
                data.readFully(chunk, 0, floats * Float.BYTES);
                ByteBuffer.wrap(chunk, 0, floats * Float.BYTES).asFloatBuffer().get(values, offset, floats);
            }
            long computed = checked.getChecksum().getValue();
            long stored = new DataInputStream(in).readLong();
            if (stored != computed) {
                throw corrupt(source, "checksum mismatch (stored " + Long.toHexString(stored) + ", computed "
                        + Long.toHexString(computed) + ")");
            }
            try {
                return new PolicyWeights(version, spec, names, shapes, values);
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

    /** A name as {@link DataOutputStream#writeUTF} wrote it: its length, then modified UTF-8. */
    private static String readName(DataInputStream data, String source) throws IOException {
        try {
            return data.readUTF();
        } catch (UTFDataFormatException e) {
            throw corrupt(source, "a name is not modified UTF-8");
        }
    }

    /** @throws VideoRlException naming what differs when these weights do not fit {@code expected} */
    public void requireFits(PolicyConfig expected, List<String> expectedNames) {
        if (!spec.equals(expected) || !names.equals(expectedNames)) {
            throw new VideoRlException(ErrorCode.INVALID_INPUT, "weights of version " + version + " are for " + spec
                    + ", not " + expected + (names.equals(expectedNames) ? "" : " (tensor names differ)"));
        }
    }

    private static VideoRlException corrupt(String source, String detail) {
        return new VideoRlException(ErrorCode.INVALID_INPUT, "corrupted weights " + source + ": " + detail);
    }
}
