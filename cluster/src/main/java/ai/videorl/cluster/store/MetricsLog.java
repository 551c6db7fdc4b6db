package ai.videorl.cluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code RUN_DIR/metrics.jsonl}: one line per iteration, {@code {"iteration": n, NAME: value, …}}
 * with the metric names dashboards know. Object stores cannot append, so a write rewrites the
 * (small) file whole; a reader sees the old or the new version. Lines are written at the first
 * append and then at most every {@link #WRITE_EVERY}, and on {@link #flush()} (before a
 * checkpoint) and {@link #close()}. A resumed run keeps only the lines up to its checkpoint, so
 * iterations done again are not logged twice.
 */
public final class MetricsLog implements Closeable {

    public static final String FILE = "metrics.jsonl";

    /**
     * How stale the file may get. A write per SFT step cost 10-14 ms (on the local file system
     * Hadoop sets permissions through two {@code chmod} processes), about 12 s of the demo.
     */
    public static final Duration WRITE_EVERY = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Configuration hadoop;
    private final List<String> lines;
    private int linesWritten;
    /** As if written {@link #WRITE_EVERY} ago: a run's first line goes to the file at once. */
    private long writtenAt = System.nanoTime() - WRITE_EVERY.toNanos();

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

    /** Adds an iteration's line; rewrites the file if the last write is {@link #WRITE_EVERY} old (or there was none). */
    public void append(long iteration, Map<String, Double> metrics) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("iteration", iteration);
        metrics.forEach(line::put);
        lines.add(JSON.writeValueAsString(line));
        if (System.nanoTime() - writtenAt >= WRITE_EVERY.toNanos()) {
            flush();
        }
    }

    /** Writes the lines this log has not written yet (a resumed log's kept lines count as not yet written). */
    public void flush() throws IOException {
        if (linesWritten == lines.size()) {
            return;
        }
        FileSystem fileSystem = file.getFileSystem(hadoop);
        try (FSDataOutputStream out = fileSystem.create(file, true)) {
            write(out);
        }
        linesWritten = lines.size();
        writtenAt = System.nanoTime();
    }

    @Override
    public void close() throws IOException {
        flush();
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
