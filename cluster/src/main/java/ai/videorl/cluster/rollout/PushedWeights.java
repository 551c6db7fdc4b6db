package ai.videorl.cluster.rollout;

import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.PolicyWeights;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One version of the policy's weights, pushed to the executors: what the driver pushes after each
 * optimizer step and tasks load their shard from. The driver serves the {@link PolicyWeights}
 * itself ({@link DriverWeightServer}), streaming the blob to each executor over one connection as
 * it reads it, and handing the weights as they are to tasks in its own JVM; where Spark's
 * authentication or network encryption is on ({@code spark.authenticate},
 * {@code spark.network.crypto.enabled}), the blob travels as Spark broadcasts instead, which they
 * cover ({@link BroadcastChunks}).
 * Serialised with the task, it carries only handles and the version.
 *
 * @param id tells this push from every other of the driver's JVM, whatever its source (two runs
 *        number their versions independently, and a new SparkContext its broadcasts)
 * @param source where executors read the blob
 * @param version the weight version (optimizer steps taken)
 * @param role which shard the weights are for
 */
public record PushedWeights(long id, WeightSource source, long version, PolicyShards.Role role) implements Serializable {

    private static final AtomicLong PUSHES = new AtomicLong();

    /** How a push travels. */
    public enum Transport {
        /** From the driver's own endpoint ({@link DriverWeightServer}), each executor over one connection. */
        DRIVER,
        /** As Spark broadcasts, which Spark's authentication and network encryption cover. */
        BROADCAST;

        /** Broadcasts where {@code spark.authenticate} or {@code spark.network.crypto.enabled} is on, else the driver's endpoint. */
        static Transport of(SparkConf conf) {
            return conf.getBoolean("spark.authenticate", false) || conf.getBoolean("spark.network.crypto.enabled", false)
                    ? BROADCAST : DRIVER;
        }
    }

    /** Pushes {@code weights} to the executors as version {@link PolicyWeights#version()}. */
    public static PushedWeights push(JavaSparkContext spark, PolicyWeights weights, PolicyShards.Role role) {
        return push(spark, weights, role, Transport.of(spark.getConf()));
    }

    /** The same over {@code transport} (benchmarks compare them). */
    public static PushedWeights push(JavaSparkContext spark, PolicyWeights weights, PolicyShards.Role role, Transport transport) {
        return push(spark, weights, role, transport, BroadcastChunks.CHUNK_BYTES);
    }

    static PushedWeights push(JavaSparkContext spark, PolicyWeights weights, PolicyShards.Role role, Transport transport,
                              int chunkBytes) {
        WeightSource source = transport == Transport.BROADCAST ? BroadcastChunks.of(spark, weights, chunkBytes)
                : DriverWeightServer.get(spark.sc()).add(weights);
        return new PushedWeights(PUSHES.incrementAndGet(), source, weights.version(), role);
    }

    /** The weights pushed, read from their source (executor side). */
    public PolicyWeights read() {
        try {
            return source.read("pushed weights v" + version);
        } catch (IOException e) {
            throw new UncheckedIOException("reading pushed weights v" + version + ": " + e.getMessage(), e);
        }
    }

    /** This task's shard at these weights (executor side). */
    public Policy shard() {
        return PolicyShards.forTask(this);
    }

    /** Frees the pushed blob once no task can need it. */
    public void destroy() {
        source.destroy();
    }
}
