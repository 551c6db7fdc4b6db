package ai.videorl.cluster.spark;

import org.apache.spark.sql.SparkSession;

/** Spark sessions for videorl's jobs; the master and the rest come from spark-submit (bin/videorl). */
public final class SparkSessions {

    private SparkSessions() {
    }

    private static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";

    public static SparkSession forJob(String command) {
        SparkSession spark = SparkSession.builder()
                .appName("videorl " + command)
                // Frames are resized with Java2D on the executors, which have no display.
                .config("spark.executor.extraJavaOptions", "-Djava.awt.headless=true")
                .getOrCreate();
        // Spark's default of 200 shuffle partitions makes hundreds of tiny tasks (and Parquet
        // files) for prompt tables; twice the cores is plenty unless the user says otherwise.
        if (!spark.sparkContext().getConf().contains(SHUFFLE_PARTITIONS)) {
            spark.conf().set(SHUFFLE_PARTITIONS, 2 * spark.sparkContext().defaultParallelism());
        }
        return spark;
    }
}
