package ai.videorl.cluster.model.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The weights of a Hugging Face checkpoint in safetensors form: one file, or a directory holding
 * {@code model.safetensors} or a {@code model.safetensors.index.json} and its shards.
 *
 * <p>Every header is validated when the checkpoint is opened; tensors are read on demand through
 * memory maps at long offsets (shards are 4-5 GB), so only what is read is paged in. Floating
 * tensors come back as float32, widened exactly: stock DJL 0.36 aborts the JVM on any bfloat16
 * array, so bfloat16 never reaches DJL. Safe for concurrent reads; {@link #close} releases the
 * files (arrays already made stay valid).
 */
public final class Safetensors implements AutoCloseable {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    /** Tensors are mapped in pieces of at most this many bytes (a Java buffer holds under 2 GiB); a multiple of every element size. */
    static final long CHUNK_BYTES = 1L << 30;

    /** The most elements a Java array holds on common JVMs. */
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private final Path source;
    private final long chunkBytes;
    private final Map<Path, FileChannel> channels;
    private final Map<String, TensorEntry> entries;
    private final Map<String, String> metadata;
    private volatile boolean closed;

    private Safetensors(Path source, long chunkBytes, Map<Path, FileChannel> channels, List<SafetensorsHeader> headers) {
        this.source = source;
        this.chunkBytes = chunkBytes;
        this.channels = channels;
        Map<String, TensorEntry> all = new TreeMap<>();
        headers.forEach(header -> all.putAll(header.entries()));
        this.entries = Collections.unmodifiableMap(all);
        this.metadata = agreedMetadata(headers);
    }

    /**
     * Opens a checkpoint: a {@code .safetensors} file, a {@code *.safetensors.index.json} file, or a
     * directory holding {@code model.safetensors} (preferred, as transformers does) or
     * {@code model.safetensors.index.json}. For a sharded checkpoint, every shard the index names
     * must exist and hold exactly the tensors the index assigns to it.
     *
     * @throws VideoRlException bad configuration when nothing loadable is at {@code directoryOrFile};
     *     bad input, naming the file and the tensor or field, when a header or the index is invalid
     */
    public static Safetensors open(Path directoryOrFile) {
        return open(directoryOrFile, CHUNK_BYTES);
    }

    /** {@link #open(Path)} mapping tensors in pieces of {@code chunkBytes} (a multiple of 8), so tests can cross piece boundaries. */
    static Safetensors open(Path directoryOrFile, long chunkBytes) {
        Objects.requireNonNull(directoryOrFile, "directoryOrFile");
        if (chunkBytes <= 0 || chunkBytes % Long.BYTES != 0 || chunkBytes > CHUNK_BYTES) {
            throw new IllegalArgumentException("chunkBytes must be a positive multiple of 8 up to " + CHUNK_BYTES + ", got " + chunkBytes);
        }
        if (Files.isDirectory(directoryOrFile)) {
            Path single = directoryOrFile.resolve(SINGLE_FILE);
            Path index = directoryOrFile.resolve(INDEX_FILE);
            if (Files.isRegularFile(single)) {
                return openFile(directoryOrFile, single, chunkBytes);
            }
            if (Files.isRegularFile(index)) {
                return openIndexed(directoryOrFile, index, chunkBytes);
            }
            throw VideoRlException.invalidConfiguration("checkpoint directory " + directoryOrFile + " holds neither " + SINGLE_FILE
                    + " nor " + INDEX_FILE);
        }
        if (!Files.isRegularFile(directoryOrFile)) {
            throw VideoRlException.invalidConfiguration("checkpoint " + directoryOrFile + " does not exist");
        }
        if (directoryOrFile.getFileName().toString().endsWith(".index.json")) {
            return openIndexed(directoryOrFile, directoryOrFile, chunkBytes);
        }
        return openFile(directoryOrFile, directoryOrFile, chunkBytes);
    }

    private static Safetensors openFile(Path source, Path file, long chunkBytes) {
        Map<Path, FileChannel> channels = new LinkedHashMap<>();
        try {
            SafetensorsHeader header = openHeader(file, channels);
            return new Safetensors(source, chunkBytes, channels, List.of(header));
        } catch (RuntimeException e) {
            closeAll(channels.values(), e);
            throw e;
        }
    }

    private static Safetensors openIndexed(Path source, Path indexFile, long chunkBytes) {
        CheckpointIndex index = CheckpointIndex.read(indexFile);
        Path directory = indexFile.toAbsolutePath().getParent();
        Map<Path, FileChannel> channels = new LinkedHashMap<>();
        try {
            List<SafetensorsHeader> headers = new ArrayList<>();
            for (Map.Entry<String, List<String>> shard : index.tensorsByShard().entrySet()) {
                Path file = directory.resolve(shard.getKey());
                List<String> assigned = shard.getValue();
                if (!Files.isRegularFile(file)) {
                    throw CheckpointIndex.problem(indexFile, "shard " + shard.getKey() + " (holding '" + assigned.get(0) + "'"
                            + (assigned.size() > 1 ? " and " + (assigned.size() - 1) + " more" : "") + ") does not exist: " + file);
                }
                SafetensorsHeader header = openHeader(file, channels);
                checkShard(index, shard.getKey(), assigned, header);
                headers.add(header);
            }
            return new Safetensors(source, chunkBytes, channels, headers);
        } catch (RuntimeException e) {
            closeAll(channels.values(), e);
            throw e;
        }
    }

    /** A shard must hold exactly the tensors the index assigns to it: anything else is a mixed-up or partly written checkpoint. */
    private static void checkShard(CheckpointIndex index, String shard, List<String> assigned, SafetensorsHeader header) {
        String indexName = index.file().getFileName().toString();
        for (String name : assigned) {
            if (!header.entries().containsKey(name)) {
                throw SafetensorsHeader.tensorProblem(header.file(), name, indexName + " places it in this shard, but its header does not hold it");
            }
        }
        for (String name : header.entries().keySet()) {
            String indexed = index.weightMap().get(name);
            if (indexed == null) {
                throw SafetensorsHeader.tensorProblem(header.file(), name, "in this shard's header but missing from " + indexName);
            }
            if (!indexed.equals(shard)) {
                throw SafetensorsHeader.tensorProblem(header.file(), name, "in this shard's header, but " + indexName + " places it in " + indexed);
            }
        }
    }

    private static SafetensorsHeader openHeader(Path file, Map<Path, FileChannel> channels) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channels.put(file, channel);
            return SafetensorsHeader.read(file, channel);
        } catch (IOException e) {
            throw storageFailure("reading " + file, e);
        }
    }

    /** For a sharded checkpoint, the {@code __metadata__} entries all shards agree on. */
    private static Map<String, String> agreedMetadata(List<SafetensorsHeader> headers) {
        Map<String, String> agreed = new TreeMap<>(headers.get(0).metadata());
        for (SafetensorsHeader header : headers.subList(1, headers.size())) {
            agreed.entrySet().removeIf(entry -> !entry.getValue().equals(header.metadata().get(entry.getKey())));
        }
        return Collections.unmodifiableMap(agreed);
    }

    /** What was opened: the file, index file or directory given to {@link #open}. */
    public Path source() {
        return source;
    }

    /** The safetensors files, shards in order. */
    public List<Path> files() {
        return List.copyOf(channels.keySet());
    }

    /** Every tensor, sorted by name. */
    public Map<String, TensorEntry> entries() {
        return entries;
    }

    /** The {@code __metadata__} strings (e.g. {@code format=pt}); for a sharded checkpoint, those all shards agree on. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /**
     * @throws VideoRlException (bad input) naming the checkpoint, the missing name and the nearest names it holds
     */
    public TensorEntry entry(String name) {
        TensorEntry entry = entries.get(name);
        if (entry == null) {
            throw VideoRlException.invalidInput("checkpoint " + source + " has no tensor '" + name + "' (" + entries.size()
                    + " tensors; nearest: " + CloseNames.nearest(name, entries.keySet(), 3) + ")");
        }
        return entry;
    }

    /**
     * The tensor as float32, row-major: F32 as stored, F16 and BF16 widened exactly.
     *
     * @throws VideoRlException (bad input) naming file, tensor and dtype for any other dtype, or
     *     when the tensor has more elements than a Java array holds
     */
    public float[] floats(String name) {
        TensorEntry entry = entry(name);
        requireFloating(entry, "floats()");
        float[] values = new float[arrayLength(entry, "floats()")];
        FloatBuffer target = FloatBuffer.wrap(values);
        forEachChunk(entry, (chunk, first) -> widen(entry.type(), chunk, target, first));
        return values;
    }

    /**
     * The tensor as a FLOAT32 array of its shape (F32, F16 or BF16 in the file), copied or widened
     * once, straight from the mapped file into the buffer the array keeps. The copy is needed: on
     * CPU, torch uses the buffer an array is made from in place, so an array over a read-only map
     * would crash at the first in-place operation (and a copy-on-write map needs the file open for
     * writing).
     *
     * @throws VideoRlException (bad input) for other dtypes, or a tensor over 2 GiB as float32
     */
    public NDArray array(String name, NDManager manager) {
        TensorEntry entry = entry(name);
        requireFloating(entry, "array()");
        Shape shape = new Shape(entry.shape());
        if (entry.elements() == 0) {
            return manager.zeros(shape, DataType.FLOAT32);
        }
        long floatBytes = entry.elements() * Float.BYTES;
        if (floatBytes > MAX_ARRAY_LENGTH) {
            throw SafetensorsHeader.tensorProblem(entry.file(), name, "as float32 it takes " + floatBytes
                    + " bytes, more than the 2 GiB one DJL array can be made from");
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) floatBytes).order(ByteOrder.nativeOrder());
        FloatBuffer target = buffer.asFloatBuffer();
        forEachChunk(entry, (chunk, first) -> widen(entry.type(), chunk, target, first));
        return manager.create(buffer, shape, DataType.FLOAT32);
    }

    /**
     * The tensor's bytes as stored (little-endian, its own dtype), mapped read-only from the file:
     * what a writer copies to pass a tensor through unchanged.
     *
     * @throws VideoRlException (bad input) for a tensor of more than 2 GiB
     */
    public ByteBuffer bytes(String name) {
        TensorEntry entry = entry(name);
        if (entry.byteCount() > MAX_ARRAY_LENGTH) {
            throw SafetensorsHeader.tensorProblem(entry.file(), name, "its " + entry.byteCount() + " bytes are more than one buffer maps");
        }
        return map(entry, 0, entry.byteCount()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The tensor as longs: I64 as stored, I32 widened (token ids are stored as either).
     *
     * @throws VideoRlException (bad input) naming file, tensor and dtype for any other dtype
     */
    public long[] longs(String name) {
        TensorEntry entry = entry(name);
        if (entry.type() != TensorType.I64 && entry.type() != TensorType.I32) {
            throw SafetensorsHeader.tensorProblem(entry.file(), name, "dtype " + entry.type() + " cannot be read by longs(), which reads I64 and I32");
        }
        long[] values = new long[arrayLength(entry, "longs()")];
        forEachChunk(entry, (chunk, first) -> {
            if (entry.type() == TensorType.I64) {
                LongBuffer longs = chunk.asLongBuffer();
                longs.get(values, first, longs.remaining());
            } else {
                IntBuffer ints = chunk.asIntBuffer();
                for (int i = 0; i < ints.remaining(); i++) {
                    values[first + i] = ints.get(i);
                }
            }
        });
        return values;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeAll(channels.values(), null);
        }
    }

    @Override
    public String toString() {
        return "Safetensors[" + source + ", " + entries.size() + " tensors in " + channels.size() + " file(s)]";
    }

    private static void requireFloating(TensorEntry entry, String reader) {
        if (!entry.type().widensToFloat()) {
            throw SafetensorsHeader.tensorProblem(entry.file(), entry.name(), "dtype " + entry.type() + " cannot be read by " + reader
                    + ", which reads F32, F16 and BF16");
        }
    }

    private static int arrayLength(TensorEntry entry, String reader) {
        if (entry.elements() > MAX_ARRAY_LENGTH) {
            throw SafetensorsHeader.tensorProblem(entry.file(), entry.name(), "has " + entry.elements() + " elements, more than the "
                    + MAX_ARRAY_LENGTH + " one Java array from " + reader + " holds");
        }
        return (int) entry.elements();
    }

    /** Widens one chunk of a floating tensor into {@code target}, starting at element {@code first}. */
    private static void widen(TensorType type, ByteBuffer chunk, FloatBuffer target, int first) {
        switch (type) {
            case F32 -> {
                FloatBuffer floats = chunk.asFloatBuffer();
                target.put(first, floats, 0, floats.remaining());
            }
            case F16 -> {
                ShortBuffer halves = chunk.asShortBuffer();
                for (int i = 0; i < halves.remaining(); i++) {
                    target.put(first + i, HalfFloats.float16ToFloat(halves.get(i)));
                }
            }
            case BF16 -> {
                ShortBuffer brains = chunk.asShortBuffer();
                for (int i = 0; i < brains.remaining(); i++) {
                    target.put(first + i, HalfFloats.bfloat16ToFloat(brains.get(i)));
                }
            }
            case BOOL, U8, I8, I16, I32, F64, I64 -> throw new IllegalStateException(type + " is not a floating type to widen");
        }
    }

    /** Something that takes a tensor's bytes one mapped piece at a time. */
    private interface ChunkReader {
        /**
         * @param chunk little-endian bytes, whole elements
         * @param first the index of its first element in the tensor
         */
        void read(ByteBuffer chunk, int first);
    }

    /** Maps the tensor in pieces of at most {@code chunkBytes} (callers have checked the element count fits an int). */
    private void forEachChunk(TensorEntry entry, ChunkReader reader) {
        int elementSize = entry.type().byteSize();
        for (long offset = 0; offset < entry.byteCount(); offset += chunkBytes) {
            long length = Math.min(chunkBytes, entry.byteCount() - offset);
            ByteBuffer chunk = map(entry, offset, length).order(ByteOrder.LITTLE_ENDIAN);
            reader.read(chunk, (int) (offset / elementSize));
        }
    }

    private ByteBuffer map(TensorEntry entry, long offset, long length) {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        try {
            return channels.get(entry.file()).map(MapMode.READ_ONLY, entry.begin() + offset, length);
        } catch (IOException e) {
            throw storageFailure("reading tensor '" + entry.name() + "' from " + entry.file(), e);
        }
    }

    private static VideoRlException storageFailure(String action, IOException e) {
        return new VideoRlException(ErrorCode.STORAGE_FAILURE, action + " failed: " + e, e);
    }

    private static void closeAll(Iterable<FileChannel> channels, RuntimeException failure) {
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
        }
    }
}
