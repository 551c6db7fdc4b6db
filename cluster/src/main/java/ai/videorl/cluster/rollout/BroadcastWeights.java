package ai.videorl.cluster.rollout;

import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.PolicyWeights;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One version of the policy's weights as Spark broadcasts: what the driver pushes after each
 * optimizer step and tasks load their shard from. The {@link PolicyWeights} blob travels in chunks
 * of at most {@value #CHUNK_BYTES} bytes, one broadcast each, so weights of any size go (one Java
 * array, and so one broadcast, holds at most 2 GiB). Serialised with the task, it carries only the
 * broadcasts' handles and the version.
 *
 * @param chunks the blob's chunks, in order
 * @param version the weight version (optimizer steps taken)
 * @param role which shard the weights are for
 */
public record BroadcastWeights(List<Broadcast<byte[]>> chunks, long version, PolicyShards.Role role) implements Serializable {

    /** The largest chunk: big enough that a push is a few broadcasts, far below a Java array's 2 GiB. */
    static final int CHUNK_BYTES = 256 << 20;

    public BroadcastWeights {
        chunks = List.copyOf(chunks);
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("weights travel in at least one chunk");
        }
    }

    /** Pushes {@code weights} to the executors as version {@link PolicyWeights#version()}. */
    public static BroadcastWeights push(JavaSparkContext spark, PolicyWeights weights, PolicyShards.Role role) {
        return push(spark, weights, role, CHUNK_BYTES);
    }

    static BroadcastWeights push(JavaSparkContext spark, PolicyWeights weights, PolicyShards.Role role, int chunkBytes) {
        Chunks chunks = new Chunks(chunkBytes);
        try {
            weights.write(chunks);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        List<Broadcast<byte[]>> broadcasts = new ArrayList<>();
        for (byte[] chunk : chunks.done()) {
            broadcasts.add(spark.broadcast(chunk));
        }
        return new BroadcastWeights(broadcasts, weights.version(), role);
    }

    /** The weights these broadcasts hold, read from their chunks (executor side). */
    public PolicyWeights read() {
        List<InputStream> parts = chunks.stream().<InputStream>map(chunk -> new ByteArrayInputStream(chunk.value())).toList();
        try {
            return PolicyWeights.read(new SequenceInputStream(Collections.enumeration(parts)), "broadcast weights v" + version);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
    }

    /** Identifies this push: two runs in one application number their versions independently. */
    long id() {
        return chunks.get(0).id();
    }

    /** This task's shard at these weights (executor side). */
    public Policy shard() {
        return PolicyShards.forTask(this);
    }

    /** Frees the broadcasts on the executors and the driver once no task can need them. */
    public void destroy() {
        chunks.forEach(Broadcast::destroy);
    }

    /** A stream into byte arrays of at most a fixed size each. */
    private static final class Chunks extends OutputStream {
        private final int size;
        private final List<byte[]> done = new ArrayList<>();
        private byte[] current;
        private int used;

        Chunks(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("chunks of " + size + " bytes");
            }
            this.size = size;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            while (length > 0) {
                if (current == null) {
                    current = new byte[size];
                    used = 0;
                }
                int n = Math.min(length, size - used);
                System.arraycopy(bytes, offset, current, used, n);
                used += n;
                offset += n;
                length -= n;
                if (used == size) {
                    done.add(current);
                    current = null;
                }
            }
        }

        /** The chunks, the last one trimmed to what it holds. */
        List<byte[]> done() {
            if (current != null) {
                done.add(java.util.Arrays.copyOf(current, used));
                current = null;
            }
            return done;
        }
    }
}
