package ai.videorl.cluster.train;

import ai.videorl.cluster.store.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;

/**
 * The files of a run directory (any Hadoop URI): {@code vocabulary.json}, {@code metrics.jsonl},
 * {@code checkpoints/}, {@code rollouts/iteration=N/} and {@code summary.json}. Small JSON files
 * are written whole ({@link AtomicFiles}): a reader never sees half of one.
 */
public final class RunFiles {

    public static final String VOCABULARY = "vocabulary.json";
    public static final String ROLLOUTS = "rollouts";
    public static final String SUMMARY = "summary.json";
    /** A demo directory's GRPO run: what {@code report --run} and {@code eval --checkpoint} take for the demo. */
    public static final String DEMO_GRPO_RUN = "grpo";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunFiles() {
    }

    public static String child(String runDirectory, String name) {
        return new Path(runDirectory, name).toString();
    }

    public static void writeJson(String location, Object value, Configuration hadoop) throws IOException {
        AtomicFiles.write(location, hadoop, out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, value));
    }

    public static <T> T readJson(String location, Class<T> type, Configuration hadoop) throws IOException {
        Path path = new Path(location);
        try (InputStream in = path.getFileSystem(hadoop).open(path)) {
            return JSON.readValue(in, type);
        }
    }

    public static boolean exists(String location, Configuration hadoop) throws IOException {
        Path path = new Path(location);
        return path.getFileSystem(hadoop).exists(path);
    }
}
