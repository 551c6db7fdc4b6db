package ai.videorl.cluster.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.videorl.common.text.VocabularyTokenizer;

/**
 * Keys and values of the positions already processed, per layer ([B, heads, positions, head
 * width]), so that each new token attends to them without recomputing them: decoding cost per
 * token grows with the length, not with its square.
 *
 * <p>A cache for decoding ({@link #withCapacity}) holds one buffer per layer with room for every
 * position and writes each step's keys and values into it in place. Growing the sequence by
 * concatenation instead copied the whole cache every step: a quarter of libtorch's time while
 * generating. A single pass (teacher forcing, where autograd must see plain tensors) keeps the
 * tensors it is given.
 */
final class KvCache {

    private final NDArray[] keys;
    private final NDArray[] values;
    /** Positions each layer's buffer holds; 0 for a single pass without buffers. */
    private final int capacity;
    private int length;
    private int visualKeys;
    private NDArray lastTokens;
    /** The first call's manager (the prefill's), which outlives the decoding steps after it. */
    private NDManager home;

    /** For one forward pass over the whole sequence. */
    KvCache(int layers) {
        this(layers, 0);
    }

    private KvCache(int layers, int capacity) {
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.capacity = capacity;
    }

    /** For decoding: room for {@code capacity} positions in all, written in place. */
    static KvCache withCapacity(int layers, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        return new KvCache(layers, capacity);
    }

    /**
     * Each new text position's previous token, [B, T_new] (int64): the text's own tokens shifted by
     * one, the first taking the previous call's last token (PAD at the prefill, where frames come
     * before the text). Remembers the last token for the next call.
     */
    NDArray previousTokens(NDArray text) {
        if (home == null) {
            home = text.getManager();
        }
        NDArray first = lastTokens != null ? lastTokens : home.full(new Shape(text.getShape().get(0), 1),
                VocabularyTokenizer.PAD, text.getDataType());
        // A copy, not a view: a decoding step's arrays are freed when the step ends, and a view of
        // ids made from a Java array would read memory the JVM has freed and reused.
        lastTokens = text.get(":, -1:").duplicate();
        lastTokens.attach(home);
        return text.getShape().get(1) == 1 ? first : first.concat(text.get(":, :-1"), 1);
    }

    /** Positions cached so far. */
    int length() {
        return length;
    }

    /** Adds a layer's keys and values for the new positions and returns the whole sequence's. */
    NDArray[] extend(int layer, NDArray newKeys, NDArray newValues) {
        if (capacity == 0) {
            if (keys[layer] != null) {
                throw new IllegalStateException("a single-pass cache cannot be extended; use KvCache.withCapacity");
            }
            keys[layer] = newKeys;
            values[layer] = newValues;
            return new NDArray[] {newKeys, newValues};
        }
        Shape shape = newKeys.getShape();
        long end = length + shape.get(2);
        if (end > capacity) {
            throw new IllegalStateException(end + " positions exceed the cache's capacity of " + capacity);
        }
        if (keys[layer] == null) {
            Shape buffer = new Shape(shape.get(0), shape.get(1), capacity, shape.get(3));
            NDManager owner = home != null ? home : newKeys.getManager();
            keys[layer] = owner.zeros(buffer);
            values[layer] = owner.zeros(buffer);
        }
        NDIndex newPositions = new NDIndex(":, :, {}:{}", length, end);
        keys[layer].set(newPositions, newKeys);
        values[layer].set(newPositions, newValues);
        NDIndex filled = new NDIndex(":, :, :{}", end);
        return new NDArray[] {keys[layer].get(filled), values[layer].get(filled)};
    }

    /** The leading positions that hold frame tokens (set by the prefill). */
    int visualKeys() {
        return visualKeys;
    }

    void setVisualKeys(int visualKeys) {
        this.visualKeys = visualKeys;
    }

    void advance(int positions) {
        length += positions;
    }
}
