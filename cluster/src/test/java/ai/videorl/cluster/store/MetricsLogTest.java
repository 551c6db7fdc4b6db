package ai.videorl.cluster.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class MetricsLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path run;

    private static Map<String, Double> metrics(double score) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("critic/score/mean", score);
        metrics.put("timing_s/gen", 1.5);
        return metrics;
    }

    private List<String> file() throws Exception {
        return Files.readAllLines(run.resolve(MetricsLog.FILE));
    }

    @Test
    void writesOneLinePerIterationWithTheMetricNames() throws Exception {
        try (MetricsLog log = MetricsLog.start(run.toUri().toString(), new Configuration())) {
            log.append(1, metrics(0.5));
            log.append(2, metrics(0.75));
        }
        assertEquals(List.of("{\"iteration\":1,\"critic/score/mean\":0.5,\"timing_s/gen\":1.5}",
                "{\"iteration\":2,\"critic/score/mean\":0.75,\"timing_s/gen\":1.5}"), file());
    }

    @Test
    void theFirstLineIsWrittenAtOnceAndLaterOnesAtTheNextWriteOrFlush() throws Exception {
        MetricsLog log = MetricsLog.start(run.toUri().toString(), new Configuration());
        log.flush();
        assertFalse(Files.exists(run.resolve(MetricsLog.FILE)), "no line, no file");
        log.append(1, metrics(0.5));
        assertEquals(1, file().size(), "a run's first line is on disk at once");
        log.append(2, metrics(0.75));
        log.append(3, metrics(1.0));
        // Well within WRITE_EVERY (10 s) of the first write: the file waits.
        assertEquals(1, file().size());
        log.flush();
        assertEquals(3, file().size());
        assertEquals(1.0, JSON.readTree(file().get(2)).get("critic/score/mean").asDouble());
    }

    @Test
    void aResumedRunForgetsTheIterationsItDoesAgain() throws Exception {
        try (MetricsLog crashed = MetricsLog.start(run.toUri().toString(), new Configuration())) {
            for (int iteration = 1; iteration <= 5; iteration++) {
                crashed.append(iteration, metrics(iteration));
            }
        }
        // The last checkpoint was at iteration 3: iterations 4 and 5 are done again.
        MetricsLog resumed = MetricsLog.resume(run.toUri().toString(), new Configuration(), 3);
        assertEquals(3, resumed.lines().size());
        resumed.append(4, metrics(40));
        List<String> lines = file();
        assertEquals(4, lines.size());
        assertEquals(40.0, JSON.readTree(lines.get(3)).get("critic/score/mean").asDouble(), "no duplicate iteration 4");
        assertEquals(List.of(1L, 2L, 3L, 4L), lines.stream().map(line -> {
            try {
                return JSON.readTree(line).get("iteration").asLong();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList());
    }

    @Test
    void resumingWithoutALogStartsEmpty() throws Exception {
        assertEquals(List.of(), MetricsLog.resume(run.toUri().toString(), new Configuration(), 10).lines());
    }
}
