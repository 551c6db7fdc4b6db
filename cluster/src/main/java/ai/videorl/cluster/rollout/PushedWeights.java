package ai.videorl.cluster.rollout;

import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.PolicyWeights;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One version of the policy's weights, pushed to the executors: what the driver pushes after each
 * optimizer step and tasks load their shard from. The driver serves the {@link PolicyWeights}
 * itself ({@link DriverWeightServer}), streaming the blob to each executor over one connection as
 * it reads it, and handing the weights as they are to tasks in its own JVM; where Spark's
 * authentication or network encryption is on ({@code spark.authenticate},
 * {@code spark.network.crypto.enabled}), the blob travels as Spark broadcasts instead, which they
 * cover, cut into chunks of at most {@value #CHUNK_BYTES} bytes (one Java array holds at most 2 GiB).
 * Serialised with the task, it carries only handles and the version.
 *
 * @param source where executors read the blob
 * @param version the weight version (optimizer steps taken)
 * @param role which shard the weights are for
 */
public record PushedWeights(WeightSource source, long version, PolicyShards.Role role) implements Serializable {

    /** The largest chunk: big enough that a push is a few arrays, far below a Java array's 2 GiB. */
    static final int CHUNK_BYTES = 256 << 20;

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
        return push(spark, weights, role, transport, CHUNK_BYTES);
    }

    static PushedWeights push(JavaSparkContext spark, PolicyWeights weights, PolicyShards.Role role, Transport transport,
                              int chunkBytes) {
        WeightSource source;
        if (transport == Transport.BROADCAST) {
            Chunks chunks = new Chunks(chunkBytes, weights.blobBytes());
            try {
                weights.write(chunks);
            } catch (IOException e) {
                throw new UncheckedIOException("writing to memory cannot fail", e);
            }
            List<Broadcast<byte[]>> broadcasts = new ArrayList<>();
            for (byte[] chunk : chunks.done()) {
                broadcasts.add(spark.broadcast(chunk));
            }
            source = new BroadcastChunks(broadcasts);
        } else {
            source = DriverWeightServer.get(spark.getConf()).add(weights);
        }
        return new PushedWeights(source, weights.version(), role);
    }

    /** The weights pushed, read from their source (executor side). */
    public PolicyWeights read() {
        try {
            return source.read("pushed weights v" + version);
        } catch (IOException e) {
            throw new UncheckedIOException("reading pushed weights v" + version + ": " + e.getMessage(), e);
        }
    }

    /** Identifies this push: two runs in one application number their versions independently. */
    long id() {
        return source.id();
    }

    /** This task's shard at these weights (executor side). */
    public Policy shard() {
        return PolicyShards.forTask(this);
    }

    /** Frees the pushed blob once no task can need it. */
    public void destroy() {
        source.destroy();
    }

    /** A stream into byte arrays of at most a fixed size each. */
    private static final class Chunks extends OutputStream {
        private final int size;
        private long unallocated;
        private final List<byte[]> done = new ArrayList<>();
        private byte[] current;
        private int used;

        /** @param total the bytes to come: each chunk is allocated at its final size, never larger */
        Chunks(int size, long total) {
            if (size < 1) {
                throw new IllegalArgumentException("chunks of " + size + " bytes");
            }
            this.size = size;
            this.unallocated = total;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            while (length > 0) {
                if (current == null) {
                    current = new byte[(int) Math.max(1, Math.min(size, unallocated))];
                    unallocated -= current.length;
                    used = 0;
                }
                int n = Math.min(length, current.length - used);
                System.arraycopy(bytes, offset, current, used, n);
                used += n;
                offset += n;
                length -= n;
                if (used == current.length) {
                    done.add(current);
                    current = null;
                }
            }
        }

        /** The chunks (the last one trimmed to what it holds, should the total have been more than was written). */
        List<byte[]> done() {
            if (current != null) {
                done.add(java.util.Arrays.copyOf(current, used));
                current = null;
            }
            return done;
        }
    }
}
