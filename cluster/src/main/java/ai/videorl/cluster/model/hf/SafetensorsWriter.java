package ai.videorl.cluster.model.hf;

import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes safetensors files byte for byte as the safetensors crate (Python's {@code save_file})
 * does, and sharded checkpoints as transformers' {@code save_pretrained} does; for exporting
 * adapters and merged checkpoints. Files appear whole or not at all: each is written to a
 * temporary file beside its target and renamed over it.
 */
public final class SafetensorsWriter {

    /** The metadata transformers writes, and requires of any file that has a {@code __metadata__}. */
    public static final Map<String, String> PYTORCH_METADATA = Map.of("format", "pt");

    /** The crate's layout: decreasing alignment (dtype order), then name by UTF-8 bytes (Rust's string order). */
    private static final Comparator<Map.Entry<String, Tensor>> LAYOUT_ORDER =
            Comparator.<Map.Entry<String, Tensor>, TensorType>comparing(entry -> entry.getValue().type(), Comparator.reverseOrder())
                    .thenComparing(entry -> entry.getKey().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned);

    /** The files a save owns in its directory; stale ones from an earlier save are removed, as transformers does. */
    private static final Pattern CHECKPOINT_FILE = Pattern.compile("model(-\\d{5}-of-\\d{5})?\\.safetensors(\\.index\\.json)?");

    private static final JsonFactory JSON = new JsonFactory();

    private SafetensorsWriter() {
    }

    /**
     * A tensor to write: its type, shape and encoded bytes (little-endian, row-major).
     *
     * @param type the element type
     * @param shape the dimensions; empty for a scalar
     * @param data exactly elements × type size bytes (the remaining ones); kept read-only
     */
    public record Tensor(TensorType type, long[] shape, ByteBuffer data) {

        public Tensor {
            Objects.requireNonNull(type, "type");
            shape = shape.clone();
            long bytes = Math.multiplyExact(TensorEntry.elementCount(shape), type.byteSize());
            if (data.remaining() != bytes) {
                throw new IllegalArgumentException(type + " " + Arrays.toString(shape) + " needs " + bytes + " bytes, but "
                        + data.remaining() + " were given");
            }
            data = data.slice().asReadOnlyBuffer();
        }

        /**
         * {@code values} stored as {@code type}: F32 as is, F16 and BF16 rounded to nearest even
         * (bit-identical to torch's {@code .half()} and {@code .bfloat16()} for all but NaN
         * payloads, see {@link HalfFloats}).
         */
        public static Tensor ofFloats(TensorType type, long[] shape, float[] values) {
            if (!type.widensToFloat()) {
                throw new IllegalArgumentException("floats are stored as F32, F16 or BF16, not " + type);
            }
            ByteBuffer bytes = allocate(type, shape, values.length);
            switch (type) {
                case F32 -> bytes.asFloatBuffer().put(values);
                case F16 -> {
                    for (int i = 0; i < values.length; i++) {
                        bytes.putShort(2 * i, HalfFloats.floatToFloat16(values[i]));
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < values.length; i++) {
                        bytes.putShort(2 * i, HalfFloats.floatToBfloat16(values[i]));
                    }
                }
                case BOOL, U8, I8, I16, I32, F64, I64 -> throw new IllegalStateException("checked above: " + type);
            }
            return new Tensor(type, shape, bytes);
        }

        /** {@code values} stored as I64 (how token ids and other integer tensors are kept). */
        public static Tensor ofLongs(long[] shape, long[] values) {
            ByteBuffer bytes = allocate(TensorType.I64, shape, values.length);
            bytes.asLongBuffer().put(values);
            return new Tensor(TensorType.I64, shape, bytes);
        }

        private static ByteBuffer allocate(TensorType type, long[] shape, int length) {
            if (TensorEntry.elementCount(shape) != length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + TensorEntry.elementCount(shape)
                        + " elements, but " + length + " values were given");
            }
            return ByteBuffer.allocate(Math.multiplyExact(length, type.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** The bytes (a fresh view: reading it moves nothing here). */
        @Override
        public ByteBuffer data() {
            return data.duplicate();
        }

        public long byteCount() {
            return data.remaining();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Tensor that && type == that.type && Arrays.equals(shape, that.shape) && data.equals(that.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, Arrays.hashCode(shape), data);
        }

        @Override
        public String toString() {
            return type + " " + Arrays.toString(shape);
        }
    }

    /**
     * Writes one safetensors file. {@code metadata} becomes {@code __metadata__} (left out when
     * empty; give {@link #PYTORCH_METADATA} for files transformers will load).
     *
     * @throws VideoRlException (storage failure) when writing fails; no partial file is left
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        if (tensors.containsKey(SafetensorsHeader.METADATA_KEY)) {
            throw new IllegalArgumentException("'" + SafetensorsHeader.METADATA_KEY + "' is reserved for metadata, not a tensor name");
        }
        List<Map.Entry<String, Tensor>> ordered = new ArrayList<>(tensors.entrySet());
        ordered.sort(LAYOUT_ORDER);
        byte[] header = header(ordered, metadata);
        writeAtomically(file, channel -> {
            writeFully(channel, ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
            writeFully(channel, ByteBuffer.wrap(header));
            for (Map.Entry<String, Tensor> entry : ordered) {
                writeFully(channel, entry.getValue().data());
            }
        });
    }

    /**
     * Writes a checkpoint directory as transformers' {@code save_pretrained} does: tensors in the
     * map's iteration order (give a {@link LinkedHashMap} in module order) go into shards of at most
     * {@code maxShardBytes} of tensor data (a larger tensor gets a shard of its own), named
     * {@code model-00001-of-0000N.safetensors}, with {@code model.safetensors.index.json}
     * ({@code metadata.total_size} and the {@code weight_map}); when one shard suffices it is
     * {@code model.safetensors} and there is no index. Each file carries {@code format=pt}. Checkpoint
     * files of an earlier save in the directory are removed afterwards, so the directory holds
     * exactly this checkpoint (a stale {@code model.safetensors} would otherwise win over a new index).
     *
     * @throws VideoRlException (storage failure) when writing fails
     */
    public static void writeSharded(Path directory, Map<String, Tensor> tensors, long maxShardBytes) {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
        }
        List<Map<String, Tensor>> shards = plan(tensors, maxShardBytes);
        Set<String> written = new HashSet<>();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw storageFailure("creating " + directory, e);
        }
        if (shards.size() <= 1) {
            write(directory.resolve(Safetensors.SINGLE_FILE), shards.isEmpty() ? Map.of() : shards.get(0), PYTORCH_METADATA);
            written.add(Safetensors.SINGLE_FILE);
        } else {
            Map<String, String> weightMap = new TreeMap<>();
            long totalSize = 0;
            for (int i = 0; i < shards.size(); i++) {
                String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
                write(directory.resolve(name), shards.get(i), PYTORCH_METADATA);
                written.add(name);
                for (Map.Entry<String, Tensor> tensor : shards.get(i).entrySet()) {
                    weightMap.put(tensor.getKey(), name);
                    totalSize += tensor.getValue().byteCount();
                }
            }
            // The index goes last: until it is renamed into place, a reader sees the old checkpoint or none.
            byte[] index = index(totalSize, weightMap);
            writeAtomically(directory.resolve(Safetensors.INDEX_FILE), channel -> writeFully(channel, ByteBuffer.wrap(index)));
            written.add(Safetensors.INDEX_FILE);
        }
        removeStale(directory, written);
    }

    /** huggingface_hub's split: greedy in order; a tensor over the limit alone in a shard of its own, placed where it comes. */
    static List<Map<String, Tensor>> plan(Map<String, Tensor> tensors, long maxShardBytes) {
        List<Map<String, Tensor>> shards = new ArrayList<>();
        Map<String, Tensor> current = new LinkedHashMap<>();
        long currentBytes = 0;
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            long bytes = entry.getValue().byteCount();
            if (bytes > maxShardBytes) {
                shards.add(Map.of(entry.getKey(), entry.getValue()));
                continue;
            }
            if (currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                currentBytes = 0;
            }
            current.put(entry.getKey(), entry.getValue());
            currentBytes += bytes;
        }
        if (!current.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }

    /** The JSON header as serde_json writes it, padded with spaces to a multiple of 8 bytes so the data that follows is aligned. */
    private static byte[] header(List<Map.Entry<String, Tensor>> ordered, Map<String, String> metadata) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            if (!metadata.isEmpty()) {
                json.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
                for (Map.Entry<String, String> entry : new TreeMap<>(metadata).entrySet()) {
                    json.writeStringField(entry.getKey(), entry.getValue());
                }
                json.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> entry : ordered) {
                Tensor tensor = entry.getValue();
                json.writeObjectFieldStart(entry.getKey());
                json.writeStringField("dtype", tensor.type().name());
                json.writeArrayFieldStart("shape");
                for (long dimension : tensor.shape) {
                    json.writeNumber(dimension);
                }
                json.writeEndArray();
                json.writeArrayFieldStart("data_offsets");
                json.writeNumber(offset);
                json.writeNumber(offset + tensor.byteCount());
                json.writeEndArray();
                json.writeEndObject();
                offset += tensor.byteCount();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        while (bytes.size() % Long.BYTES != 0) {
            bytes.write(' ');
        }
        return bytes.toByteArray();
    }

    /** The index as transformers writes it: {@code json.dumps(index, indent=2, sort_keys=True) + "\n"}. */
    private static byte[] index(long totalSize, Map<String, String> weightMap) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DefaultPrettyPrinter pythonStyle = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try (JsonGenerator json = JSON.createGenerator(bytes).setPrettyPrinter(pythonStyle)) {
            json.writeStartObject();
            json.writeObjectFieldStart("metadata");
            json.writeNumberField("total_size", totalSize);
            json.writeEndObject();
            json.writeObjectFieldStart("weight_map");
            for (Map.Entry<String, String> entry : weightMap.entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    private interface ChannelWriter {
        void write(FileChannel channel) throws IOException;
    }

    /** Writes a uniquely named temporary file beside {@code file}, syncs it, and renames it over {@code file}. */
    private static void writeAtomically(Path file, ChannelWriter writer) {
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.write(channel);
                channel.force(true);
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw storageFailure("writing " + file, e);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void removeStale(Path directory, Set<String> written) {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (CHECKPOINT_FILE.matcher(name).matches() && !written.contains(name)) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw storageFailure("removing an earlier checkpoint's files from " + directory, e);
        }
    }

    private static VideoRlException storageFailure(String action, IOException e) {
        return new VideoRlException(ErrorCode.STORAGE_FAILURE, action + " failed: " + e, e);
    }
}
