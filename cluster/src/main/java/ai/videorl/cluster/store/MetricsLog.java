package ai.videorl.cluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code RUN_DIR/metrics.jsonl}: one line per iteration, {@code {"iteration": n, NAME: value, …}}
 * with the metric names dashboards know. Object stores cannot append, so each iteration rewrites
 * the (small) file whole; a reader sees the old or the new version. A resumed run keeps only
 * the lines up to its checkpoint, so iterations done again are not logged twice.
 */
public final class MetricsLog {

    public static final String FILE = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Configuration hadoop;
    private final List<String> lines;

    private MetricsLog(Path file, Configuration hadoop, List<String> lines) {
        this.file = file;
        this.hadoop = hadoop;
        this.lines = lines;
    }

    /** A new run's log (an existing file is replaced at the first append). */
    public static MetricsLog start(String runDirectory, Configuration hadoop) {
        return new MetricsLog(new Path(runDirectory, FILE), hadoop, new ArrayList<>());
    }

    /** A resumed run's log: the existing lines of iterations up to {@code lastIteration}, in order. */
    public static MetricsLog resume(String runDirectory, Configuration hadoop, long lastIteration) throws IOException {
        Path file = new Path(runDirectory, FILE);
        FileSystem fileSystem = file.getFileSystem(hadoop);
        List<String> kept = new ArrayList<>();
        if (fileSystem.exists(file)) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(fileSystem.open(file), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    JsonNode json = line.isBlank() ? null : JSON.readTree(line);
                    if (json != null && json.path("iteration").asLong(Long.MAX_VALUE) <= lastIteration) {
                        kept.add(line);
                    }
                }
            }
        }
        return new MetricsLog(file, hadoop, kept);
    }

    /** Adds an iteration's line and rewrites the file. */
    public void append(long iteration, Map<String, Double> metrics) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("iteration", iteration);
        metrics.forEach(line::put);
        lines.add(JSON.writeValueAsString(line));
        FileSystem fileSystem = file.getFileSystem(hadoop);
        try (FSDataOutputStream out = fileSystem.create(file, true)) {
            write(out);
        }
    }

    public List<String> lines() {
        return Collections.unmodifiableList(lines);
    }

    private void write(OutputStream out) throws IOException {
        for (String line : lines) {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
    }
}
