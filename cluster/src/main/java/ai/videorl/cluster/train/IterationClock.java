package ai.videorl.cluster.train;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Seconds spent in each stage of one iteration (a stage run twice adds up), and in all. */
final class IterationClock {

    private final long start = System.nanoTime();
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    <T> T time(String stage, Supplier<T> work) {
        long begin = System.nanoTime();
        try {
            return work.get();
        } finally {
            seconds.merge(stage, (System.nanoTime() - begin) / 1e9, Double::sum);
        }
    }

    void run(String stage, Runnable work) {
        time(stage, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Computes {@code rows} now and keeps them, timed as {@code stage}: Spark's stages are lazy
     * otherwise. Counted as an RDD: a Dataset count plans an aggregation with a shuffle, which
     * adaptive execution runs as extra jobs (two or three small jobs an iteration per stage).
     */
    Dataset<Row> persist(String stage, Dataset<Row> rows) {
        return time(stage, () -> {
            Dataset<Row> kept = rows.persist(StorageLevel.MEMORY_AND_DISK());
            kept.javaRDD().count();
            return kept;
        });
    }

    Map<String, Double> seconds() {
        return Map.copyOf(seconds);
    }

    double seconds(String stage) {
        return seconds.getOrDefault(stage, 0.0);
    }

    double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }
}
