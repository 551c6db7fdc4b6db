package ai.videorl.cluster.rollout;

import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.PolicyWeights;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;

/**
 * One version of the policy's weights as a Spark broadcast: what the driver pushes after each
 * optimizer step and tasks load their shard from. Serialised with the task, it carries only the
 * broadcast's handle and the version.
 *
 * @param weights the {@link PolicyWeights} blob
 * @param version the weight version (optimizer steps taken)
 * @param role which shard the weights are for
 */
public record BroadcastWeights(Broadcast<byte[]> weights, long version, PolicyShards.Role role) implements Serializable {

    /** Pushes {@code weights} to the executors as version {@link PolicyWeights#version()}. */
    public static BroadcastWeights push(JavaSparkContext spark, PolicyWeights weights, PolicyShards.Role role) {
        return new BroadcastWeights(spark.broadcast(weights.toBytes()), weights.version(), role);
    }

    /** This task's shard at these weights (executor side). */
    public Policy shard() {
        return PolicyShards.forTask(role, weights, version);
    }

    /** Frees the broadcast on the executors and the driver once no task can need it. */
    public void destroy() {
        weights.destroy();
    }
}
