package ai.videorl.cluster;

import org.apache.spark.sql.SparkSession;

/** One local[2] Spark session per test JVM, quiet and without a UI. */
public final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("videorl tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return session;
    }
}
