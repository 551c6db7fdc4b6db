package ai.videorl.cluster.spark;

import org.apache.spark.sql.SparkSession;

/** Spark sessions for videorl's jobs; the master and the rest come from spark-submit (bin/videorl). */
public final class SparkSessions {

    private SparkSessions() {
    }

    public static SparkSession forJob(String command) {
        return SparkSession.builder()
                .appName("videorl " + command)
                // Frames are resized with Java2D on the executors, which have no display.
                .config("spark.executor.extraJavaOptions", "-Djava.awt.headless=true")
                .getOrCreate();
    }
}
