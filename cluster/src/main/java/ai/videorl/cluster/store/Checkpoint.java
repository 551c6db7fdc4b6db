package ai.videorl.cluster.store;

import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.common.optim.AdamW;

import java.util.Objects;

/**
 * Everything a run needs to continue exactly where it stopped.
 *
 * @param iteration iterations completed
 * @param weights the policy's weights (their version is the iteration)
 * @param optimizer AdamW's moments and step count
 * @param state the run's own state as JSON: data cursor, generator positions, metrics so far
 * @param config the resolved configuration that made the run, as YAML
 */
public record Checkpoint(long iteration, PolicyWeights weights, AdamW.State optimizer, String state, String config) {

    public Checkpoint {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(config, "config");
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
    }
}
