package ai.videorl.cluster.rollout;

import org.apache.spark.broadcast.Broadcast;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Collections;
import java.util.List;

/**
 * A blob as Spark broadcasts, one a chunk: Spark's torrent broadcast, which Spark's authentication
 * and network encryption cover.
 *
 * @param chunks the blob's chunks, in order
 */
record BroadcastChunks(List<Broadcast<byte[]>> chunks) implements WeightSource {

    BroadcastChunks {
        chunks = List.copyOf(chunks);
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("weights travel in at least one chunk");
        }
    }

    @Override
    public InputStream open() {
        List<InputStream> parts = chunks.stream().<InputStream>map(chunk -> new ByteArrayInputStream(chunk.value())).toList();
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    @Override
    public long id() {
        return chunks.get(0).id();
    }

    @Override
    public void destroy() {
        chunks.forEach(Broadcast::destroy);
    }
}
