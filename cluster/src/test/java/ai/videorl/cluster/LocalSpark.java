package ai.videorl.cluster;

import ai.videorl.cluster.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session per test JVM, quiet and without a UI: 2 cores, a failed task tried up
 * to 3 times (as a cluster would retry it), and Kryo with registration required, as jobs run.
 */
public final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null) {
            SparkSession.Builder builder = SparkSession.builder()
                    .master("local[2,3]")
                    .appName("videorl tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
            SparkSessions.KRYO.forEach(builder::config);
            session = builder.getOrCreate();
        }
        return session;
    }
}
