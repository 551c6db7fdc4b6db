package ai.videorl.cluster.rollout;

import ai.videorl.cluster.model.PolicyWeights;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;

/**
 * Where executors read one pushed weights blob from: the driver's own endpoint
 * ({@link DriverWeightServer}), or Spark broadcasts where Spark's network security is on.
 * Serialised with every task that needs the weights: it carries handles, not bytes.
 */
interface WeightSource extends Serializable {

    /** The blob, from its first byte. */
    InputStream open() throws IOException;

    /** The weights the blob holds; {@code source} names them in errors. */
    default PolicyWeights read(String source) throws IOException {
        try (InputStream in = open()) {
            return PolicyWeights.read(in, source);
        }
    }

    /** Frees the blob once no task can need it (driver side). */
    void destroy();
}
