package ai.videorl.cluster.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/** Spark sessions for videorl's jobs; the master and the rest come from spark-submit (bin/videorl). */
public final class SparkSessions {

    private SparkSessions() {
    }

    private static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";
    private static final String EXECUTOR_JAVA_OPTIONS = "spark.executor.extraJavaOptions";

    /** Kryo with every shipped class registered (KryoRegistration), as the training jobs run. */
    public static final Map<String, String> KRYO = Map.of(
            "spark.serializer", KryoSerializer.class.getName(),
            "spark.kryo.registrator", KryoRegistration.class.getName(),
            "spark.kryo.registrationRequired", "true");

    /** Executor JVMs the job runs on: 1 in local mode (the driver is the executor), else those registered. */
    public static int executors(SparkSession spark) {
        if (spark.sparkContext().isLocal()) {
            return 1;
        }
        // The status tracker lists the driver too.
        return Math.max(1, spark.sparkContext().statusTracker().getExecutorInfos().length - 1);
    }

    public static SparkSession forJob(String command) {
        return forJob(command, Map.of());
    }

    /**
     * A session with {@code settings} (the run's {@code spark.conf}, say) and the project's Kryo
     * settings, each unless spark-submit ({@code --conf}) set it already; executors always get a
     * headless Java2D, after any JVM options given.
     */
    public static SparkSession forJob(String command, Map<String, String> settings) {
        SparkConf submitted = new SparkConf(); // spark-submit passes its settings as spark.* system properties
        // Frames are composed with Java2D on the executors (letterbox, burnt clock), which have no display.
        String executorOptions = (submitted.get(EXECUTOR_JAVA_OPTIONS, "") + " -Djava.awt.headless=true").trim();
        SparkSession.Builder builder = SparkSession.builder()
                .appName("videorl " + command)
                .config(EXECUTOR_JAVA_OPTIONS, executorOptions);
        KRYO.forEach((key, value) -> configureUnlessSubmitted(builder, submitted, key, value));
        settings.forEach((key, value) -> configureUnlessSubmitted(builder, submitted, key, value));
        SparkSession spark = builder.getOrCreate();
        // Spark's default of 200 shuffle partitions makes hundreds of tiny tasks (and Parquet
        // files) for prompt tables; twice the cores is plenty unless the user says otherwise.
        if (!spark.sparkContext().getConf().contains(SHUFFLE_PARTITIONS)) {
            spark.conf().set(SHUFFLE_PARTITIONS, 2 * spark.sparkContext().defaultParallelism());
        }
        return spark;
    }

    private static void configureUnlessSubmitted(SparkSession.Builder builder, SparkConf submitted, String key, String value) {
        if (!submitted.contains(key)) {
            builder.config(key, value);
        }
    }
}
