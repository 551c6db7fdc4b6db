package ai.videorl.cluster.rollout;

import ai.videorl.cluster.model.PolicyWeights;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A blob as Spark broadcasts, one a chunk of at most {@value #CHUNK_BYTES} bytes (one Java array
 * holds at most 2 GiB): Spark's torrent broadcast, which Spark's authentication and network
 * encryption cover.
 *
 * @param chunks the blob's chunks, in order
 */
record BroadcastChunks(List<Broadcast<byte[]>> chunks) implements WeightSource {

    /** The largest chunk: big enough that a push is a few broadcasts, far below a Java array's 2 GiB. */
    static final int CHUNK_BYTES = 256 << 20;

    BroadcastChunks {
        chunks = List.copyOf(chunks);
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("weights travel in at least one chunk");
        }
    }

    /** {@code weights}' blob broadcast in chunks of at most {@code chunkBytes}. */
    static BroadcastChunks of(JavaSparkContext spark, PolicyWeights weights, int chunkBytes) {
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
        return new BroadcastChunks(broadcasts);
    }

    @Override
    public InputStream open() {
        List<InputStream> parts = chunks.stream().<InputStream>map(chunk -> new ByteArrayInputStream(chunk.value())).toList();
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    @Override
    public void destroy() {
        chunks.forEach(Broadcast::destroy);
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
                done.add(Arrays.copyOf(current, used));
                current = null;
            }
            return done;
        }
    }
}
