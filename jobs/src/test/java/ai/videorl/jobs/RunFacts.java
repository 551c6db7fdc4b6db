package ai.videorl.jobs;

import ai.videorl.cluster.store.CheckpointStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a finished run left, read back for comparing two runs; and the waits fault tests need. */
final class RunFacts {

    private static SparkSession spark;

    private RunFacts() {
    }

    /** Each stored rollout's response by "iteration/prompt/sample"; fails on a rollout stored twice. */
    static Map<String, String> responses(Path run) {
        Map<String, String> responses = new HashMap<>();
        for (Row row : session().read().parquet(run.resolve("rollouts").toString())
                .select("iteration", "id", "sample_index", "response").collectAsList()) {
            String key = row.getInt(0) + "/" + row.getString(1) + "/" + row.getInt(2);
            assertEquals(null, responses.put(key, row.getString(3)), "rollout " + key + " stored twice in " + run);
        }
        return responses;
    }

    /** The weights of the run's newest committed checkpoint. */
    static float[] finalWeights(Path run) throws IOException {
        return new CheckpointStore(run.toString(), new Configuration(), 1).latest().orElseThrow("run", run.toString()).weights().values();
    }

    /** Waits for a fault hook's {@code .fired} file and returns the PID of the JVM that claimed it. */
    static long awaitFiredFault(Path fired, Process run, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(fired)) {
            assertTrue(run.isAlive(), "the run ended before reaching the armed fault " + fired.getFileName());
            assertTrue(System.nanoTime() < deadline, "no task reached the armed fault " + fired.getFileName() + " in " + timeout);
            Thread.sleep(50);
        }
        return Long.parseLong(Files.readString(fired, StandardCharsets.UTF_8).trim());
    }

    /** Kills a JVM with SIGKILL, as a lost machine would, and waits until it is gone. */
    static void kill(long pid) throws InterruptedException {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        assertTrue(process.destroyForcibly(), "SIGKILL sent to " + pid);
        while (process.isAlive()) {
            Thread.sleep(20);
        }
    }

    /** The command line of a running process, from /proc. */
    static String commandLine(long pid) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8).replace('\0', ' ');
    }

    private static synchronized SparkSession session() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[1]").appName("videorl run facts")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        }
        return spark;
    }
}
