package ai.videorl.cluster.model;

import ai.djl.ndarray.NDArray;

/**
 * Keys and values of the positions already processed, per layer ([B, heads, positions, head
 * width]), so that each new token attends to them without recomputing them: decoding cost per
 * token grows with the length, not with its square.
 */
final class KvCache {

    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;
    private int visualKeys;

    KvCache(int layers) {
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Positions cached so far. */
    int length() {
        return length;
    }

    /** Appends a layer's new keys and values and returns the whole sequence's. */
    NDArray[] extend(int layer, NDArray newKeys, NDArray newValues) {
        keys[layer] = keys[layer] == null ? newKeys : keys[layer].concat(newKeys, 2);
        values[layer] = values[layer] == null ? newValues : values[layer].concat(newValues, 2);
        return new NDArray[] {keys[layer], values[layer]};
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
